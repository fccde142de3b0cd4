package io.github.cartrecovery.privacy;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import javax.sql.DataSource;

import org.broadleafcommerce.core.order.domain.Order;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.cartrecovery.capture.CaptureBuffer;
import io.github.cartrecovery.testing.PluginContext;

/**
 * A shopper the plugin knows a lot about: a captured cart (with IP, user agent and items), a sent and a planned
 * message, events (one with the address in its detail), a coupon, a suppression, an attribution, and the address in
 * a job error. Written through Broadleaf (the cart) and SQL (what later steps would write), in a mixed casing.
 */
final class ShopperData {

    final PluginContext broadleaf;
    final JdbcTemplate jdbc;
    final String email;
    long orderId;
    long sentMessageId;
    long plannedMessageId;

    ShopperData(PluginContext broadleaf) {
        this.broadleaf = broadleaf;
        this.jdbc = new JdbcTemplate(broadleaf.bean("crDataSource", DataSource.class));
        this.email = "Jane.Doe+" + UUID.randomUUID().toString().substring(0, 8) + "@Example.COM";
    }

    String lower() {
        return email.toLowerCase(Locale.ROOT);
    }

    Timestamp now() {
        return new Timestamp(broadleaf.clock().millis());
    }

    /** The captured cart, abandoned, with the shopper's IP and user agent. */
    ShopperData cart() {
        Order cart = broadleaf.store().cartWithEmail(email);
        broadleaf.store().add(cart, broadleaf.store().product("Engraved Mug", "19.00"), 1);
        broadleaf.bean("crCaptureBuffer", CaptureBuffer.class).flush();
        orderId = cart.getId();
        jdbc.update("UPDATE CR_CAPTURED_CART SET STATUS = 'IN_RECOVERY', ABANDONED_AT = ?, CLIENT_IP = '203.0.113.7', "
                + "USER_AGENT = 'Mozilla/5.0 (Jane''s laptop)', CURRENCY_CODE = 'USD', EXCLUSION_REASON = ? WHERE ORDER_ID = ?",
                now(), "was excluded for " + email.toUpperCase(Locale.ROOT), orderId);
        return this;
    }

    /** Everything else, on top of {@link #cart()}. */
    ShopperData everywhere() {
        cart();
        Timestamp now = now();
        sentMessageId = message(1, "SENT", now);
        plannedMessageId = message(2, "PLANNED", now);
        event(sentMessageId, "SENT", null, 1);
        event(sentMessageId, "OPENED", null, 1);
        event(sentMessageId, "CLICKED", "https://shop.example/cart?utm_source=cart-recovery&email=" + lower().replace("@", "%40"), 0);
        event(sentMessageId, "FAILED", "550 5.1.1 <" + email + ">: mailbox unavailable", 1);
        jdbc.update("INSERT INTO CR_COUPON (PLANNED_MESSAGE_ID, ORDER_ID, EMAIL, OFFER_ID, OFFER_CODE_ID, CODE, STATUS, ISSUED_AT, EXPIRES_AT) "
                + "VALUES (?, ?, ?, -1, -1, ?, 'ISSUED', ?, ?)", sentMessageId, orderId, lower(), "CR-" + UUID.randomUUID().toString()
                .substring(0, 10), now, now);
        jdbc.update("INSERT INTO CR_SUPPRESSION (EMAIL, REASON, SOURCE, CREATED_AT) VALUES (?, 'UNSUBSCRIBED', 'one-click', ?)",
                email, now);
        jdbc.update("INSERT INTO CR_ORDER_ATTRIBUTION (ORDER_ID, OUTCOME, PLANNED_MESSAGE_ID, CAMPAIGN_ID, STEP_NO, CURRENCY_CODE, "
                + "AMOUNT, PURCHASED_AT, ATTRIBUTED_AT, REASON, REPORTED) VALUES (?, 'RECOVERED', ?, -1, 1, 'USD', 19.00, ?, ?, 'clicked', 0)",
                orderId, sentMessageId, now, now);
        jdbc.update("INSERT INTO CR_JOB_RUN (JOB_NAME, NODE_ID, STARTED_AT, DURATION_MS, OUTCOME, ITEMS, ERROR) "
                + "VALUES ('deliver-recovery-messages', 'test', ?, 1, 'FAILED', 0, ?)", now, "Invalid address " + email);
        return this;
    }

    /**
     * A phone number on the cart (E.164) with SMS consent, an SMS provider's error quoting it (plain and URL-encoded),
     * and the number on the SMS opt-out list; on top of {@link #everywhere()}.
     */
    String phone() {
        String phone = "+447400" + String.format("%06d", Math.abs(UUID.randomUUID().getLeastSignificantBits() % 1_000_000L));
        jdbc.update("UPDATE CR_CAPTURED_CART SET PHONE = ?, SMS_CONSENT = 'GRANTED', SMS_CONSENT_AT = ? WHERE ORDER_ID = ?",
                phone, now(), orderId);
        event(sentMessageId, "FAILED", "21614: 'To' number " + phone + " is not a mobile number (to=" + phone.replace("+", "%2B") + ")", 1);
        jdbc.update("INSERT INTO CR_SMS_OPT_OUT (PHONE, REASON, SOURCE, CREATED_AT) VALUES (?, 'STOP', 'inbound', ?)", phone, now());
        return phone;
    }

    long message(int stepNo, String status, Timestamp at) {
        jdbc.update("INSERT INTO CR_PLANNED_MESSAGE (ORDER_ID, CAMPAIGN_ID, STEP_ID, STEP_NO, EMAIL, LOCALE_CODE, STATUS, DUE_AT, "
                + "ATTEMPTS, SENT_AT, CREATED_AT, UPDATED_AT) VALUES (?, -1, ?, ?, ?, 'en_US', ?, ?, 0, ?, ?, ?)",
                orderId, -stepNo, stepNo, stepNo == 1 ? email : lower(), status, at, "SENT".equals(status) ? at : null, at, at);
        return jdbc.queryForObject("SELECT ID FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? AND STEP_NO = ?", Long.class, orderId, stepNo);
    }

    void event(long messageId, String type, String detail, int reported) {
        jdbc.update("INSERT INTO CR_MESSAGE_EVENT (PLANNED_MESSAGE_ID, EVENT_TYPE, OCCURRED_AT, DETAIL, REPORTED) VALUES (?, ?, ?, ?, ?)",
                messageId, type, now(), detail, reported);
    }

    /**
     * Every place in every CR_ table (found from the database's metadata, Quartz and Liquibase tables included) where a
     * text column holds {@code needle} in any casing, as "TABLE.COLUMN = value".
     */
    static List<String> occurrences(JdbcTemplate jdbc, String needle) {
        List<String[]> columns = jdbc.execute((Connection connection) -> {
            List<String[]> found = new ArrayList<>();
            DatabaseMetaData metadata = connection.getMetaData();
            String schema;
            try {
                schema = connection.getSchema();
            } catch (Exception e) {
                schema = null;
            }
            try (ResultSet rs = metadata.getColumns(connection.getCatalog(), schema, "%", "%")) {
                while (rs.next()) {
                    String table = rs.getString("TABLE_NAME");
                    int type = rs.getInt("DATA_TYPE");
                    if (table.toUpperCase(Locale.ROOT).startsWith("CR_")
                            && (type == Types.VARCHAR || type == Types.CHAR || type == Types.LONGVARCHAR || type == Types.NVARCHAR)) {
                        found.add(new String[] {table, rs.getString("COLUMN_NAME")});
                    }
                }
            }
            return found;
        });
        List<String> hits = new ArrayList<>();
        for (String[] column : columns) {
            for (String value : jdbc.queryForList("SELECT " + column[1] + " FROM " + column[0] + " WHERE LOWER(" + column[1]
                    + ") LIKE ?", String.class, "%" + needle.toLowerCase(Locale.ROOT) + "%")) {
                hits.add(column[0] + "." + column[1] + " = " + value);
            }
        }
        return hits;
    }
}
