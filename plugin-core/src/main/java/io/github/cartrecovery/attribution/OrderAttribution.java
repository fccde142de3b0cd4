package io.github.cartrecovery.attribution;

import io.github.cartrecovery.messages.MessageEventType;
import io.github.cartrecovery.messages.MessageEvents;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.cartrecovery.capture.CartStatusTransitions;
import io.github.cartrecovery.scheduling.ScheduledWork;
import io.github.cartrecovery.metrics.PluginMetrics;

/**
 * Credits completed orders to recovery messages. Capture marks a cart PURCHASED when Broadleaf's checkout
 * submits it (the submit's {@code OrderPersistedEvent}, or reconciliation when that event was lost with a
 * node); this job then looks at every purchased cart once and records in CR_ORDER_ATTRIBUTION:
 * <ul>
 *   <li>RECOVERED: a recovery message sent to this cart, to a cart its restore link was copied into
 *       (CR_RESTORED_CART, see {@link RestoredCarts}), or to the same address within the attribution window
 *       before the purchase was clicked before the purchase. The cart becomes RECOVERED; so does the original
 *       cart when the order was placed from a copy of it (its remaining messages stop).</li>
 *   <li>INFLUENCED: such a message was sent within the window, but none was clicked.</li>
 *   <li>NONE: neither, or the cart was created in the Broadleaf admin (staff orders never count).</li>
 * </ul>
 * The purchase instant is when the plugin saw the cart submitted (CR_CAPTURED_CART.STATUS_CHANGED_AT);
 * revenue is the submitted order's total in its own currency. RECOVERED and INFLUENCED are also written to
 * CR_MESSAGE_EVENT against the credited message.
 *
 * <p>Guarantees: an order is credited at most once. Each order is decided in its own transaction, and the
 * primary key of CR_ORDER_ATTRIBUTION refuses a second decision (a second node, a retry, a later click or
 * a repeated event all find the order already decided). Its cost follows the carts purchased within
 * {@code lookBack} (index IX_CR_CART_STATUS_CHANGED), not the size of the history.
 */
public class OrderAttribution implements ScheduledWork {

    static final String PURCHASED_NOT_DECIDED =
            "SELECT c.ORDER_ID FROM CR_CAPTURED_CART c WHERE c.STATUS = 'PURCHASED' AND c.STATUS_CHANGED_AT >= ?"
            + " AND NOT EXISTS (SELECT 1 FROM CR_ORDER_ATTRIBUTION a WHERE a.ORDER_ID = c.ORDER_ID)"
            + " ORDER BY c.STATUS_CHANGED_AT, c.ORDER_ID LIMIT ?";

    /** Messages sent in the window, with their last click before the purchase (null when never clicked). */
    private static final String SENT_IN_WINDOW =
            "SELECT m.ID, m.ORDER_ID, m.CAMPAIGN_ID, m.STEP_NO, m.SENT_AT,"
            + " (SELECT MAX(e.OCCURRED_AT) FROM CR_MESSAGE_EVENT e WHERE e.PLANNED_MESSAGE_ID = m.ID"
            + " AND e.EVENT_TYPE = 'CLICKED' AND e.OCCURRED_AT <= ?) AS LAST_CLICK"
            + " FROM CR_PLANNED_MESSAGE m WHERE m.SENT_AT >= ? AND m.SENT_AT <= ?"
            // browse and post-purchase emails are their own kind: never credited as cart recovery
            + " AND m.TRIGGER_TYPE NOT IN ('BROWSE', 'POST_PURCHASE') AND ";

    /** Messages whose restore link was opened into this order's cart (the cart is a copy of theirs). */
    private static final String RESTORED_INTO = "m.ID IN (SELECT r.PLANNED_MESSAGE_ID FROM CR_RESTORED_CART r"
            + " WHERE r.TARGET_ORDER_ID = ?)";

    private final JdbcTemplate jdbc;
    private final CartStatusTransitions transitions;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Duration window;
    private final Duration lookBack;
    private final int batchSize;

    private volatile PluginMetrics metrics = PluginMetrics.inMemory();

    public OrderAttribution(DataSource dataSource, PlatformTransactionManager transactionManager, Clock clock,
                            int windowDays, int lookBackHours, int batchSize) {
        if (windowDays < 1) {
            throw new IllegalArgumentException("cartrecovery.attribution.window-days must be at least 1, was " + windowDays);
        }
        if (lookBackHours < 1) {
            throw new IllegalArgumentException("cartrecovery.attribution.look-back-hours must be at least 1, was "
                    + lookBackHours);
        }
        this.jdbc = new JdbcTemplate(dataSource);
        this.transitions = new CartStatusTransitions(jdbc);
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
        this.window = Duration.ofDays(windowDays);
        this.lookBack = Duration.ofHours(lookBackHours);
        this.batchSize = batchSize;
    }

    /** Where the plugin counts what happens (bean crMetrics); in memory only until set. */
    public void setMetrics(PluginMetrics metrics) {
        this.metrics = metrics;
    }

    /** Decides every purchased cart not decided yet; returns how many were credited (recovered or influenced). */
    @Override
    public int run() {
        int credited = 0;
        while (!Thread.currentThread().isInterrupted()) {
            JdbcTemplate batch = new JdbcTemplate(jdbc.getDataSource());
            List<Long> due = batch.queryForList(PURCHASED_NOT_DECIDED, Long.class,
                    ts(clock.instant().minus(lookBack)), batchSize);
            int decided = 0;
            for (Long orderId : due) {
                Outcome outcome = decide(orderId);
                if (outcome != null) {
                    decided++;
                    if (outcome != Outcome.NONE) {
                        credited++;
                    }
                }
            }
            if (due.size() < batchSize || decided == 0) {
                break;
            }
        }
        return credited;
    }

    /** Decides one purchased cart; null when it was not (any more) undecided and purchased. */
    public Outcome decide(final long orderId) {
        try {
            return transactions.execute(new TransactionCallback<Outcome>() {
                @Override
                public Outcome doInTransaction(TransactionStatus status) {
                    return decideInTransaction(orderId);
                }
            });
        } catch (DataIntegrityViolationException decidedElsewhere) {
            return null; // another node recorded this order first: its decision stands
        }
    }

    private Outcome decideInTransaction(long orderId) {
        List<Purchase> found = jdbc.query("SELECT ORDER_ID, EMAIL, CURRENCY_CODE, TOTAL, ORIGIN, STATUS_CHANGED_AT"
                + " FROM CR_CAPTURED_CART WHERE ORDER_ID = ? AND STATUS = 'PURCHASED'", new PurchaseMapper(), orderId);
        Integer decided = jdbc.queryForObject("SELECT COUNT(*) FROM CR_ORDER_ATTRIBUTION WHERE ORDER_ID = ?",
                Integer.class, orderId);
        if (found.isEmpty() || (decided != null && decided > 0)) {
            return null;
        }
        Purchase purchase = found.get(0);
        Instant now = clock.instant();
        if ("ADMIN".equals(purchase.origin)) {
            record(purchase, Outcome.NONE, null, "created in the admin", now);
            return Outcome.NONE;
        }
        List<SentMessage> sent = sentInWindow(purchase);
        SentMessage clicked = best(sent, purchase, true);
        if (clicked != null) {
            record(purchase, Outcome.RECOVERED, clicked, null, now);
            transitions.recoverPurchase(orderId);
            if (clicked.restoredInto && clicked.orderId != orderId) {
                // bought from a copy: the original cart is recovered too (not counted again: the report counts
                // CR_ORDER_ATTRIBUTION rows), so nothing more is sent for it
                transitions.recoverOriginal(clicked.orderId, purchase.purchasedAt);
            }
            return Outcome.RECOVERED;
        }
        SentMessage influencing = best(sent, purchase, false);
        if (influencing != null) {
            record(purchase, Outcome.INFLUENCED, influencing, null, now);
            return Outcome.INFLUENCED;
        }
        record(purchase, Outcome.NONE, null, "no recovery message within " + window.toDays() + " days", now);
        return Outcome.NONE;
    }

    private List<SentMessage> sentInWindow(Purchase purchase) {
        Timestamp purchasedAt = ts(purchase.purchasedAt);
        Timestamp windowStart = ts(purchase.purchasedAt.minus(window));
        List<SentMessage> sent = new ArrayList<SentMessage>(jdbc.query(SENT_IN_WINDOW + "m.ORDER_ID = ?",
                new SentMessageMapper(), purchasedAt, windowStart, purchasedAt, purchase.orderId));
        for (SentMessage restored : jdbc.query(SENT_IN_WINDOW + RESTORED_INTO + " AND m.ORDER_ID <> ?",
                new SentMessageMapper(), purchasedAt, windowStart, purchasedAt, purchase.orderId, purchase.orderId)) {
            restored.restoredInto = true;
            sent.add(restored);
        }
        if (purchase.email != null) {
            // the same address: a later cart of the shopper's (influenced, or clicked in another email)
            sent.addAll(jdbc.query(SENT_IN_WINDOW + "m.EMAIL = ? AND m.ORDER_ID <> ?", new SentMessageMapper(),
                    purchasedAt, windowStart, purchasedAt, purchase.email, purchase.orderId));
        }
        return sent;
    }

    /** This cart's own messages (and those restored into it) first; then the latest click (clicked) or the latest send (not clicked). */
    private static SentMessage best(List<SentMessage> sent, Purchase purchase, boolean clicked) {
        SentMessage best = null;
        for (SentMessage message : sent) {
            if (clicked && message.lastClick == null) {
                continue;
            }
            if (best == null || better(message, best, purchase.orderId, clicked)) {
                best = message;
            }
        }
        return best;
    }

    private static boolean better(SentMessage a, SentMessage b, long orderId, boolean byClick) {
        boolean aOwn = a.orderId == orderId || a.restoredInto;
        boolean bOwn = b.orderId == orderId || b.restoredInto;
        if (aOwn != bOwn) {
            return aOwn;
        }
        Instant aAt = byClick ? a.lastClick : a.sentAt;
        Instant bAt = byClick ? b.lastClick : b.sentAt;
        return aAt.isAfter(bAt) || (aAt.equals(bAt) && a.id > b.id);
    }

    private void record(Purchase purchase, Outcome outcome, SentMessage message, String reason, Instant now) {
        String currency = purchase.currencyCode == null ? null : purchase.currencyCode.toUpperCase(Locale.ROOT);
        jdbc.update("INSERT INTO CR_ORDER_ATTRIBUTION (ORDER_ID, OUTCOME, PLANNED_MESSAGE_ID, CAMPAIGN_ID, STEP_NO,"
                + " CURRENCY_CODE, AMOUNT, PURCHASED_AT, ATTRIBUTED_AT, REASON, REPORTED)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                purchase.orderId, outcome.name(),
                message == null ? null : message.id,
                message == null ? null : message.campaignId,
                message == null ? null : message.stepNo,
                currency, purchase.total, ts(purchase.purchasedAt), ts(now), reason,
                // NONE never reaches the report
                outcome == Outcome.NONE ? 1 : 0);
        if (outcome == Outcome.RECOVERED) {
            metrics.cartRecovered(currency, purchase.total);
        }
        if (message != null) {
            // REPORTED = 1: the rollup counts recoveries from CR_ORDER_ATTRIBUTION (it has the revenue)
            MessageEvents.recordReported(jdbc, message.id, MessageEventType.valueOf(outcome.name()), "order " + purchase.orderId + ": " + (purchase.total == null ? "?" : purchase.total.toPlainString())
                            + " " + (currency == null ? "" : currency), purchase.purchasedAt);
        }
    }

    private static Timestamp ts(Instant instant) {
        return new Timestamp(instant.toEpochMilli());
    }

    /** What a purchased cart is credited to. */
    public enum Outcome { RECOVERED, INFLUENCED, NONE }

    private static final class Purchase {
        long orderId;
        String email;
        String currencyCode;
        BigDecimal total;
        String origin;
        Instant purchasedAt;
    }

    private static final class PurchaseMapper implements RowMapper<Purchase> {
        @Override
        public Purchase mapRow(ResultSet rs, int rowNum) throws SQLException {
            Purchase purchase = new Purchase();
            purchase.orderId = rs.getLong("ORDER_ID");
            String email = rs.getString("EMAIL");
            purchase.email = email == null || email.trim().isEmpty() ? null : email.trim().toLowerCase(Locale.ROOT);
            purchase.currencyCode = rs.getString("CURRENCY_CODE");
            purchase.total = rs.getBigDecimal("TOTAL");
            purchase.origin = rs.getString("ORIGIN");
            purchase.purchasedAt = rs.getTimestamp("STATUS_CHANGED_AT").toInstant();
            return purchase;
        }
    }

    private static final class SentMessage {
        long id;
        long orderId;
        long campaignId;
        int stepNo;
        Instant sentAt;
        Instant lastClick;
        /** Sent for another cart whose restore link copied it into the purchased one. */
        boolean restoredInto;
    }

    private static final class SentMessageMapper implements RowMapper<SentMessage> {
        @Override
        public SentMessage mapRow(ResultSet rs, int rowNum) throws SQLException {
            SentMessage message = new SentMessage();
            message.id = rs.getLong("ID");
            message.orderId = rs.getLong("ORDER_ID");
            message.campaignId = rs.getLong("CAMPAIGN_ID");
            message.stepNo = rs.getInt("STEP_NO");
            message.sentAt = rs.getTimestamp("SENT_AT").toInstant();
            Timestamp click = rs.getTimestamp("LAST_CLICK");
            message.lastClick = click == null ? null : click.toInstant();
            return message;
        }
    }
}
