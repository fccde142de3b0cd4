package io.github.cartrecovery.reporting;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import io.github.cartrecovery.testing.PluginContext;

/**
 * Writes report source rows straight into the plugin's tables (captured carts, planned messages, events,
 * attributions), for orders that do not exist in Broadleaf. Carts are written in states no job picks up
 * while a test runs (IN_RECOVERY, IDLE, PURCHASED); messages as SENT.
 */
final class ReportHistory {

    private static final AtomicLong NEXT_ORDER = new AtomicLong(700_000_000L + (System.nanoTime() % 1_000_000L) * 100);

    final JdbcTemplate jdbc;
    final DataSource dataSource;
    final PlatformTransactionManager transactions;

    ReportHistory(PluginContext broadleaf) {
        this.dataSource = broadleaf.bean("crDataSource", DataSource.class);
        this.transactions = broadleaf.bean("crTransactionManager", PlatformTransactionManager.class);
        this.jdbc = new JdbcTemplate(dataSource);
    }

    static long nextOrderId() {
        return NEXT_ORDER.incrementAndGet();
    }

    /** A cart detection found abandoned (with an email) at {@code abandonedAt}; planned already. */
    long abandonedCart(String currency, Instant abandonedAt) {
        long orderId = nextOrderId();
        jdbc.update("INSERT INTO CR_CAPTURED_CART (ORDER_ID, EMAIL, CURRENCY_CODE, ITEM_COUNT, TOTAL, STATUS, FIRST_SEEN,"
                + " LAST_ACTIVITY, ABANDONED_AT, STATUS_CHANGED_AT) VALUES (?, ?, ?, 1, 10, 'IN_RECOVERY', ?, ?, ?, ?)",
                orderId, "report-" + orderId + "@example.com", currency, ts(abandonedAt), ts(abandonedAt), ts(abandonedAt),
                ts(abandonedAt));
        return orderId;
    }

    /** A cart that went idle with items but without an email at {@code idleAt}. */
    long idleCartWithoutEmail(String currency, Instant idleAt) {
        long orderId = nextOrderId();
        jdbc.update("INSERT INTO CR_CAPTURED_CART (ORDER_ID, CURRENCY_CODE, ITEM_COUNT, TOTAL, STATUS, FIRST_SEEN,"
                + " LAST_ACTIVITY, STATUS_CHANGED_AT) VALUES (?, ?, 2, 10, 'IDLE', ?, ?, ?)",
                orderId, currency, ts(idleAt), ts(idleAt), ts(idleAt));
        return orderId;
    }

    /** A sent message of {@code campaignId} / {@code stepNo} to the cart. */
    long sentMessage(long orderId, long campaignId, int stepNo, Instant sentAt) {
        return sentMessage(orderId, campaignId, stepNo, "EMAIL", sentAt);
    }

    /** A sent message of {@code campaignId} / {@code stepNo} on {@code channel} to the cart. */
    long sentMessage(long orderId, long campaignId, int stepNo, String channel, Instant sentAt) {
        long stepId = campaignId * 100 - stepNo;
        jdbc.update("INSERT INTO CR_PLANNED_MESSAGE (ORDER_ID, CAMPAIGN_ID, STEP_ID, STEP_NO, EMAIL, CHANNEL, STATUS, DUE_AT,"
                + " ATTEMPTS, SENT_AT, CREATED_AT, UPDATED_AT) VALUES (?, ?, ?, ?, ?, ?, 'SENT', ?, 1, ?, ?, ?)",
                orderId, campaignId, stepId, stepNo, "report-" + orderId + "@example.com", channel, ts(sentAt), ts(sentAt),
                ts(sentAt), ts(sentAt));
        return jdbc.queryForObject("SELECT ID FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? AND STEP_ID = ?", Long.class,
                orderId, stepId);
    }

    void event(long messageId, String type, Instant at) {
        jdbc.update("INSERT INTO CR_MESSAGE_EVENT (PLANNED_MESSAGE_ID, EVENT_TYPE, OCCURRED_AT) VALUES (?, ?, ?)",
                messageId, type, ts(at));
    }

    /** A decided attribution, as the attribution job writes it. */
    void attribution(long orderId, String outcome, long messageId, long campaignId, int stepNo, String currency,
                     BigDecimal amount, Instant purchasedAt) {
        jdbc.update("INSERT INTO CR_ORDER_ATTRIBUTION (ORDER_ID, OUTCOME, PLANNED_MESSAGE_ID, CAMPAIGN_ID, STEP_NO,"
                + " CURRENCY_CODE, AMOUNT, PURCHASED_AT, ATTRIBUTED_AT, REPORTED) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                orderId, outcome, "NONE".equals(outcome) ? null : messageId, "NONE".equals(outcome) ? null : campaignId,
                "NONE".equals(outcome) ? null : stepNo, currency, amount, ts(purchasedAt), ts(purchasedAt),
                "NONE".equals(outcome) ? 1 : 0);
    }

    static Timestamp ts(Instant instant) {
        return new Timestamp(instant.toEpochMilli());
    }
}
