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

    /** The first rule that stops this message, or null when it may be sent. */
    public ExitReason check(JdbcTemplate jdbc, PlannedMessageRow message, Instant now) {
        List<String> campaign = jdbc.queryForList("SELECT STATUS FROM CR_CAMPAIGN WHERE ID = ?", String.class,
                message.getCampaignId());
        if (campaign.isEmpty() || !"ENABLED".equals(campaign.get(0))) {
            return ExitReason.CAMPAIGN_DISABLED;
        }
        List<Map<String, Object>> captured = jdbc.queryForList(
                "SELECT STATUS, MARKETING_CONSENT FROM CR_CAPTURED_CART WHERE ORDER_ID = ?", message.getOrderId());
        if (captured.isEmpty() || !"IN_RECOVERY".equals(captured.get(0).get("STATUS"))) {
            return ExitReason.CART_LEFT_RECOVERY;
        }
        if ("DENIED".equals(captured.get(0).get("MARKETING_CONSENT"))) {
            return ExitReason.CONSENT_WITHDRAWN;
        }
        List<String> order = jdbc.queryForList("SELECT ORDER_STATUS FROM BLC_ORDER WHERE ORDER_ID = ?", String.class,
                message.getOrderId());
        if (order.isEmpty()) {
            return ExitReason.CART_DELETED;
        }
        if ("SUBMITTED".equals(order.get(0))) {
            return ExitReason.CART_SUBMITTED;
        }
        if (order.get(0) != null && !"IN_PROCESS".equals(order.get(0))) {
            return ExitReason.CART_CLOSED;
        }
        if (count(jdbc, "SELECT COUNT(*) FROM BLC_ORDER_ITEM WHERE ORDER_ID = ?", message.getOrderId()) == 0) {
            return ExitReason.CART_EMPTIED;
        }
        if (count(jdbc, "SELECT COUNT(*) FROM BLC_ORDER WHERE LOWER(EMAIL_ADDRESS) = ? AND ORDER_STATUS = 'SUBMITTED' "
                + "AND SUBMIT_DATE >= ?", message.getEmail(), ts(message.getAbandonedAt())) > 0) {
            return ExitReason.ORDERED_SINCE;
        }
        if (count(jdbc, "SELECT COUNT(*) FROM CR_SUPPRESSION WHERE EMAIL = ?", message.getEmail()) > 0) {
            return ExitReason.SUPPRESSED;
        }
        if (frequencyCapMessages > 0 && count(jdbc, "SELECT COUNT(*) FROM CR_PLANNED_MESSAGE WHERE EMAIL = ? "
                + "AND SENT_AT > ?", message.getEmail(), ts(now.minus(frequencyCapWindow))) >= frequencyCapMessages) {
            return ExitReason.FREQUENCY_CAP;
        }
        return null;
    }

    private static int count(JdbcTemplate jdbc, String sql, Object... args) {
        Integer count = jdbc.queryForObject(sql, Integer.class, args);
        return count == null ? 0 : count;
    }

    private static Timestamp ts(Instant instant) {
        return new Timestamp(instant.toEpochMilli());
    }
}
