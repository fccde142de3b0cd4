package io.github.cartrecovery.operations;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

import javax.sql.DataSource;

import org.broadleafcommerce.core.catalog.domain.Product;
import org.broadleafcommerce.core.order.domain.Order;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.cartrecovery.capture.CaptureBuffer;
import io.github.cartrecovery.testing.PluginContext;
import io.github.cartrecovery.testing.Store;

/** Planned email messages for a store's own delivery engine to send: a real cart, one campaign step, one row. */
final class Messages {

    private final PluginContext store;
    final JdbcTemplate jdbc;

    Messages(PluginContext store) {
        this.store = store;
        this.jdbc = new JdbcTemplate(store.bean("crDataSource", DataSource.class));
    }

    /** One email due now for a new abandoned cart; returns the planned message's id. */
    long dueNow() {
        Instant now = store.clock().instant();
        String email = "health-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        Store shop = store.store();
        Product product = shop.product("Health Mug " + email, "12.50");
        Order cart = shop.add(shop.cartWithEmail(email), product, 1);
        store.bean("crCaptureBuffer", CaptureBuffer.class).flush();
        Timestamp at = Timestamp.from(now);
        jdbc.update("UPDATE CR_CAPTURED_CART SET STATUS = 'IN_RECOVERY', ABANDONED_AT = ?, LOCALE_CODE = 'en_US',"
                + " CURRENCY_CODE = 'USD' WHERE ORDER_ID = ?", at, cart.getId());
        String name = "Health " + email;
        jdbc.update("INSERT INTO CR_CAMPAIGN (NAME, STATUS, PRIORITY, CREATED_AT, UPDATED_AT) VALUES (?, 'ENABLED', -100, ?, ?)",
                name, at, at);
        long campaignId = jdbc.queryForObject("SELECT ID FROM CR_CAMPAIGN WHERE NAME = ?", Long.class, name);
        jdbc.update("INSERT INTO CR_CAMPAIGN_CONDITION (CAMPAIGN_ID, CONDITION_TYPE, TEXT_VALUE) VALUES (?, 'LOCALE', 'xx')", campaignId);
        jdbc.update("INSERT INTO CR_CAMPAIGN_STEP (CAMPAIGN_ID, STEP_NO, DELAY_MINUTES, CHANNEL, TEMPLATE, COUPON_POLICY)"
                + " VALUES (?, 1, 0, 'EMAIL', 'gentle-reminder', 'NONE')", campaignId);
        long stepId = jdbc.queryForObject("SELECT ID FROM CR_CAMPAIGN_STEP WHERE CAMPAIGN_ID = ?", Long.class, campaignId);
        jdbc.update("INSERT INTO CR_CAMPAIGN_STEP_SUBJECT (STEP_ID, LOCALE_CODE, SUBJECT) VALUES (?, '*', 'Your cart')", stepId);
        jdbc.update("INSERT INTO CR_PLANNED_MESSAGE (ORDER_ID, CAMPAIGN_ID, STEP_ID, STEP_NO, EMAIL, LOCALE_CODE, STATUS, DUE_AT,"
                + " ATTEMPTS, CREATED_AT, UPDATED_AT) VALUES (?, ?, ?, 1, ?, 'en_US', 'PLANNED', ?, 0, ?, ?)",
                cart.getId(), campaignId, stepId, email, at, at, at);
        return jdbc.queryForObject("SELECT ID FROM CR_PLANNED_MESSAGE WHERE CAMPAIGN_ID = ?", Long.class, campaignId);
    }

    String status(long id) {
        return jdbc.queryForObject("SELECT STATUS FROM CR_PLANNED_MESSAGE WHERE ID = ?", String.class, id);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
