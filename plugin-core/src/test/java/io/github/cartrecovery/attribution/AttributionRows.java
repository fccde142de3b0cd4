package io.github.cartrecovery.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

import org.broadleafcommerce.core.catalog.domain.Product;
import org.broadleafcommerce.core.order.domain.Order;
import org.broadleafcommerce.core.order.service.type.OrderStatus;
import org.broadleafcommerce.core.pricing.service.exception.PricingException;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.cartrecovery.capture.CaptureBuffer;
import io.github.cartrecovery.testing.Store;

/**
 * What the attribution tests arrange and read: carts captured and bought through Broadleaf's services, clicks, and
 * the rows attribution and capture leave.
 */
final class AttributionRows {

    private final Store store;
    private final CaptureBuffer buffer;
    private final JdbcTemplate jdbc;

    AttributionRows(Store store, CaptureBuffer buffer, JdbcTemplate jdbc) {
        this.store = store;
        this.buffer = buffer;
        this.jdbc = jdbc;
    }

    /** A cart with one of {@code product}, captured. */
    Order capturedCart(String email, Product product) {
        Order cart = store.add(store.cartWithEmail(email), product, 1);
        buffer.flush();
        return cart;
    }

    /** The cart submitted as an order, and its capture seen PURCHASED. */
    void submit(Order cart) {
        Order order = store.orders().findOrderById(cart.getId());
        order.setStatus(OrderStatus.SUBMITTED);
        try {
            store.orders().save(order, false);
        } catch (PricingException e) {
            throw new IllegalStateException(e);
        }
        buffer.flush();
        assertThat(cartStatus(cart)).isEqualTo("PURCHASED");
    }

    void clickedAt(long message, Instant at) {
        jdbc.update("INSERT INTO CR_MESSAGE_EVENT (PLANNED_MESSAGE_ID, EVENT_TYPE, OCCURRED_AT) VALUES (?, 'CLICKED', ?)",
                message, ts(at));
    }

    String outcome(Order cart) {
        return jdbc.queryForObject("SELECT OUTCOME FROM CR_ORDER_ATTRIBUTION WHERE ORDER_ID = ?", String.class, cart.getId());
    }

    String cartStatus(Order cart) {
        return jdbc.queryForObject("SELECT STATUS FROM CR_CAPTURED_CART WHERE ORDER_ID = ?", String.class, cart.getId());
    }

    BigDecimal total(Order cart) {
        return jdbc.queryForObject("SELECT TOTAL FROM CR_CAPTURED_CART WHERE ORDER_ID = ?", BigDecimal.class, cart.getId());
    }

    int events(long message, String type) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM CR_MESSAGE_EVENT WHERE PLANNED_MESSAGE_ID = ? AND EVENT_TYPE = ?",
                Integer.class, message, type);
    }

    static String uniqueEmail(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    static Timestamp ts(Instant instant) {
        return new Timestamp(instant.toEpochMilli());
    }
}
