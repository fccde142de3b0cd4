package io.github.cartrecovery.delivery;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Decides, right before a send and inside the claim transaction, whether a planned message must not go
 * out. Reads Broadleaf's own tables (BLC_ORDER, BLC_ORDER_ITEM), not only the plugin's captured status,
 * because capture is buffered: a purchase committed a moment before the send is seen here.
 * Stateless; safe on every node.
 */
public class ExitRules {

    private final int frequencyCapMessages;
    private final Duration frequencyCapWindow;

    public ExitRules(int frequencyCapMessages, int frequencyCapWindowHours) {
        this.frequencyCapMessages = frequencyCapMessages;
        this.frequencyCapWindow = Duration.ofHours(frequencyCapWindowHours);
    }

    /**
     * Everything the rules read, in one statement (one round trip, one consistent read): no row when the
     * campaign is gone. Uses PK lookups, IX_CR_PLANNED_EMAIL_SENT and the suppression key.
     */
    static final String FACTS = "SELECT c.STATUS AS CAMPAIGN_STATUS, "
            + "(SELECT STATUS FROM CR_CAPTURED_CART WHERE ORDER_ID = ?) AS CART_STATUS, "
            + "(SELECT MARKETING_CONSENT FROM CR_CAPTURED_CART WHERE ORDER_ID = ?) AS CONSENT, "
            + "(SELECT COUNT(*) FROM BLC_ORDER WHERE ORDER_ID = ?) AS ORDERS, "
            + "(SELECT ORDER_STATUS FROM BLC_ORDER WHERE ORDER_ID = ?) AS ORDER_STATUS, "
            + "(SELECT COUNT(*) FROM BLC_ORDER_ITEM WHERE ORDER_ID = ?) AS ITEMS, "
            + "(SELECT COUNT(*) FROM BLC_ORDER WHERE LOWER(EMAIL_ADDRESS) = ? AND ORDER_STATUS = 'SUBMITTED' "
            + "AND SUBMIT_DATE >= ?) AS ORDERED_SINCE, "
            + "(SELECT COUNT(*) FROM CR_SUPPRESSION WHERE EMAIL = ?) AS SUPPRESSED, "
            + "(SELECT COUNT(*) FROM CR_PLANNED_MESSAGE WHERE EMAIL = ? AND SENT_AT > ?) AS RECENTLY_SENT "
            + "FROM CR_CAMPAIGN c WHERE c.ID = ?";

    /** The first rule that stops this message, or null when it may be sent. */
    public ExitReason check(JdbcTemplate jdbc, PlannedMessageRow message, Instant now) {
        long orderId = message.getOrderId();
        String email = message.getEmail();
        List<Map<String, Object>> rows = jdbc.queryForList(FACTS, orderId, orderId, orderId, orderId, orderId,
                email, ts(message.getAbandonedAt()), email, email, ts(now.minus(frequencyCapWindow)),
                message.getCampaignId());
        if (rows.isEmpty() || !"ENABLED".equals(value(rows.get(0), "CAMPAIGN_STATUS"))) {
            return ExitReason.CAMPAIGN_DISABLED;
        }
        Map<String, Object> facts = rows.get(0);
        if (!"IN_RECOVERY".equals(value(facts, "CART_STATUS"))) {
            return ExitReason.CART_LEFT_RECOVERY;
        }
        if ("DENIED".equals(value(facts, "CONSENT"))) {
            return ExitReason.CONSENT_WITHDRAWN;
        }
        if (count(facts, "ORDERS") == 0) {
            return ExitReason.CART_DELETED;
        }
        Object orderStatus = value(facts, "ORDER_STATUS");
        if ("SUBMITTED".equals(orderStatus)) {
            return ExitReason.CART_SUBMITTED;
        }
        if (orderStatus != null && !"IN_PROCESS".equals(orderStatus)) {
            return ExitReason.CART_CLOSED;
        }
        if (count(facts, "ITEMS") == 0) {
            return ExitReason.CART_EMPTIED;
        }
        if (count(facts, "ORDERED_SINCE") > 0) {
            return ExitReason.ORDERED_SINCE;
        }
        if (count(facts, "SUPPRESSED") > 0) {
            return ExitReason.SUPPRESSED;
        }
        if (frequencyCapMessages > 0 && count(facts, "RECENTLY_SENT") >= frequencyCapMessages) {
            return ExitReason.FREQUENCY_CAP;
        }
        return null;
    }

    /** Column labels come back upper case (HSQLDB, MariaDB) or lower case (PostgreSQL). */
    private static Object value(Map<String, Object> row, String label) {
        return row.containsKey(label) ? row.get(label) : row.get(label.toLowerCase(java.util.Locale.ROOT));
    }

    private static long count(Map<String, Object> row, String label) {
        Object value = value(row, label);
        return value == null ? 0 : ((Number) value).longValue();
    }

    private static Timestamp ts(Instant instant) {
        return new Timestamp(instant.toEpochMilli());
    }
}
