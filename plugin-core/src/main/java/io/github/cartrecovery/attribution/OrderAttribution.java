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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

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
 * Credits completed orders to the messages sent before them. Capture marks a cart PURCHASED when Broadleaf's checkout
 * submits it (the submit's {@code OrderPersistedEvent}, or reconciliation when that event was lost with a
 * node); this job then looks at every purchased cart once and records in CR_ORDER_ATTRIBUTION one of:
 * <ul>
 *   <li>RECOVERED: a cart message (abandoned cart, price drop, back in stock) sent to this cart, to a cart its restore
 *       link was copied into (CR_RESTORED_CART, see {@link RestoredCarts}), or to the same address within the
 *       attribution window before the purchase was clicked before the purchase. The cart becomes RECOVERED; so does
 *       the original cart when the order was placed from a copy of it (its remaining messages stop).</li>
 *   <li>BROWSE_CONVERTED / REPEAT_CONVERTED: no cart message was clicked, but a browse email (BROWSE_CONVERTED) or a
 *       post-purchase follow-up (REPEAT_CONVERTED) of the same shopper (address, or customer) was, after it was sent
 *       within the window and before the purchase. The latest click wins. A follow-up never earns the order it
 *       followed up.</li>
 *   <li>INFLUENCED: no message was clicked; a cart message was sent within the window.</li>
 *   <li>BROWSE_INFLUENCED: nothing clicked and no cart message sent; a browse email of the shopper was sent within
 *       the window and the order holds a product of its browse session (the products the email showed).</li>
 *   <li>REPEAT_INFLUENCED: as above with none of those; a follow-up of an earlier order of the shopper was sent within
 *       the window.</li>
 *   <li>NONE: none of these, or the cart was created in the Broadleaf admin (staff orders never count).</li>
 * </ul>
 * So a click beats a send, and cart recovery beats browse and post-purchase at the same level: an order whose cart
 * message was clicked (its restore link used) is recovered, not browse or repeat, even when a browse email was
 * clicked too. Only RECOVERED changes the cart's status.
 * The purchase instant is when the plugin saw the cart submitted (CR_CAPTURED_CART.STATUS_CHANGED_AT);
 * revenue is the submitted order's total in its own currency. Every outcome but NONE is also written to
 * CR_MESSAGE_EVENT against the credited message (its own event type).
 *
 * <p>Guarantees: an order is credited at most once, to one message of one kind. Each order is decided in its own
 * transaction, and the primary key of CR_ORDER_ATTRIBUTION refuses a second decision (a second node, a retry, a later
 * click or a repeated event all find the order already decided). Its cost follows the carts purchased within
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

    /** Browse and post-purchase messages sent in the window, with their last click before the purchase. */
    private static final String FOLLOW_UPS_SENT_IN_WINDOW =
            "SELECT m.ID, m.ORDER_ID, m.CAMPAIGN_ID, m.STEP_NO, m.SENT_AT, m.TRIGGER_TYPE, m.BROWSE_SESSION_ID,"
            + " (SELECT MAX(e.OCCURRED_AT) FROM CR_MESSAGE_EVENT e WHERE e.PLANNED_MESSAGE_ID = m.ID"
            + " AND e.EVENT_TYPE = 'CLICKED' AND e.OCCURRED_AT <= ?) AS LAST_CLICK"
            + " FROM CR_PLANNED_MESSAGE m WHERE m.SENT_AT >= ? AND m.SENT_AT <= ?"
            // a follow-up is never credited with the order it followed up (a browse message has no order)
            + " AND (m.ORDER_ID IS NULL OR m.ORDER_ID <> ?) AND ";

    /** The shopper's by address (IX_CR_PLANNED_EMAIL_SENT). */
    private static final String FOLLOW_UPS_TO_ADDRESS = "m.TRIGGER_TYPE IN ('BROWSE', 'POST_PURCHASE') AND m.EMAIL = ?";

    /** The customer's browse emails (IX_CR_BROWSE_CUSTOMER), whatever address they went to. */
    private static final String BROWSE_OF_CUSTOMER = "m.TRIGGER_TYPE = 'BROWSE' AND m.BROWSE_SESSION_ID IN"
            + " (SELECT s.ID FROM CR_BROWSE_SESSION s WHERE s.CUSTOMER_ID = ?)";

    /** The follow-ups of the customer's earlier orders (IX_CR_CART_CUSTOMER), whatever address they went to. */
    private static final String FOLLOW_UPS_OF_CUSTOMER = "m.TRIGGER_TYPE = 'POST_PURCHASE' AND m.ORDER_ID IN"
            + " (SELECT c.ORDER_ID FROM CR_CAPTURED_CART c WHERE c.CUSTOMER_ID = ?)";

    /** The products of the order: captured lines and Broadleaf's own (a line may have been captured without one). */
    private static final String ORDER_PRODUCTS = "SELECT PRODUCT_ID FROM CR_CAPTURED_CART_ITEM WHERE ORDER_ID = ?"
            + " AND PRODUCT_ID IS NOT NULL UNION SELECT d.PRODUCT_ID FROM BLC_ORDER_ITEM i JOIN BLC_DISCRETE_ORDER_ITEM d"
            + " ON d.ORDER_ITEM_ID = i.ORDER_ITEM_ID WHERE i.ORDER_ID = ? AND d.PRODUCT_ID IS NOT NULL";

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
        } catch (RuntimeException e) {
            // PK_CR_ORDER_ATTRIBUTION refused the decision: another node recorded this order first and its decision
            // stands. Reported as Spring's DataIntegrityViolationException or, through the JPA transaction manager,
            // Hibernate's own exception: whichever it is, the order being decided now is what tells.
            if (decided(orderId)) {
                return null;
            }
            throw e;
        }
    }

    private boolean decided(long orderId) {
        Integer decided = jdbc.queryForObject("SELECT COUNT(*) FROM CR_ORDER_ATTRIBUTION WHERE ORDER_ID = ?",
                Integer.class, orderId);
        return decided != null && decided > 0;
    }

    private Outcome decideInTransaction(long orderId) {
        List<Purchase> found = jdbc.query("SELECT ORDER_ID, CUSTOMER_ID, EMAIL, CURRENCY_CODE, TOTAL, ORIGIN, STATUS_CHANGED_AT"
                + " FROM CR_CAPTURED_CART WHERE ORDER_ID = ? AND STATUS = 'PURCHASED'", new PurchaseMapper(), orderId);
        if (found.isEmpty() || decided(orderId)) {
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
        List<SentMessage> followUps = followUpsInWindow(purchase);
        SentMessage clickedFollowUp = latest(followUps, true);
        if (clickedFollowUp != null) {
            Outcome outcome = clickedFollowUp.browse ? Outcome.BROWSE_CONVERTED : Outcome.REPEAT_CONVERTED;
            record(purchase, outcome, clickedFollowUp, null, now);
            return outcome;
        }
        SentMessage influencing = best(sent, purchase, false);
        if (influencing != null) {
            record(purchase, Outcome.INFLUENCED, influencing, null, now);
            return Outcome.INFLUENCED;
        }
        SentMessage browsed = latestBrowseShowingABoughtProduct(followUps, purchase.orderId);
        if (browsed != null) {
            record(purchase, Outcome.BROWSE_INFLUENCED, browsed, null, now);
            return Outcome.BROWSE_INFLUENCED;
        }
        SentMessage followedUp = latestFollowUp(followUps);
        if (followedUp != null) {
            record(purchase, Outcome.REPEAT_INFLUENCED, followedUp, null, now);
            return Outcome.REPEAT_INFLUENCED;
        }
        record(purchase, Outcome.NONE, null, "no message within " + window.toDays() + " days", now);
        return Outcome.NONE;
    }

    /** The shopper's browse and post-purchase messages sent in the window before the purchase, each once. */
    private List<SentMessage> followUpsInWindow(Purchase purchase) {
        Timestamp purchasedAt = ts(purchase.purchasedAt);
        Timestamp windowStart = ts(purchase.purchasedAt.minus(window));
        Map<Long, SentMessage> found = new LinkedHashMap<Long, SentMessage>();
        List<SentMessage> rows = new ArrayList<SentMessage>();
        if (purchase.email != null) {
            rows.addAll(jdbc.query(FOLLOW_UPS_SENT_IN_WINDOW + FOLLOW_UPS_TO_ADDRESS, new FollowUpMapper(),
                    purchasedAt, windowStart, purchasedAt, purchase.orderId, purchase.email));
        }
        if (purchase.customerId != null) {
            rows.addAll(jdbc.query(FOLLOW_UPS_SENT_IN_WINDOW + BROWSE_OF_CUSTOMER, new FollowUpMapper(),
                    purchasedAt, windowStart, purchasedAt, purchase.orderId, purchase.customerId));
            rows.addAll(jdbc.query(FOLLOW_UPS_SENT_IN_WINDOW + FOLLOW_UPS_OF_CUSTOMER, new FollowUpMapper(),
                    purchasedAt, windowStart, purchasedAt, purchase.orderId, purchase.customerId));
        }
        for (SentMessage row : rows) {
            found.put(row.id, row);
        }
        return new ArrayList<SentMessage>(found.values());
    }

    /** The browse message sent last whose session holds a product of the order; null when none does. */
    private SentMessage latestBrowseShowingABoughtProduct(List<SentMessage> followUps, long orderId) {
        Set<Long> bought = null;
        SentMessage latest = null;
        for (SentMessage message : followUps) {
            if (!message.browse || message.browseSessionId == null
                    || (latest != null && !later(message, latest, false))) {
                continue;
            }
            if (bought == null) {
                bought = new HashSet<Long>(jdbc.queryForList(ORDER_PRODUCTS, Long.class, orderId, orderId));
            }
            for (Long shown : jdbc.queryForList("SELECT PRODUCT_ID FROM CR_BROWSE_PRODUCT WHERE SESSION_ID = ?",
                    Long.class, message.browseSessionId)) {
                if (bought.contains(shown)) {
                    latest = message;
                    break;
                }
            }
        }
        return latest;
    }

    private static SentMessage latestFollowUp(List<SentMessage> followUps) {
        SentMessage latest = null;
        for (SentMessage message : followUps) {
            if (!message.browse && (latest == null || later(message, latest, false))) {
                latest = message;
            }
        }
        return latest;
    }

    /** The latest clicked (clicked) or the latest sent (not clicked) of the messages. */
    private static SentMessage latest(List<SentMessage> messages, boolean clicked) {
        SentMessage latest = null;
        for (SentMessage message : messages) {
            if (clicked && message.lastClick == null) {
                continue;
            }
            if (latest == null || later(message, latest, clicked)) {
                latest = message;
            }
        }
        return latest;
    }

    private static boolean later(SentMessage a, SentMessage b, boolean byClick) {
        Instant aAt = byClick ? a.lastClick : a.sentAt;
        Instant bAt = byClick ? b.lastClick : b.sentAt;
        return aAt.isAfter(bAt) || (aAt.equals(bAt) && a.id > b.id);
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
        return later(a, b, byClick);
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

    /** What a purchased cart is credited to (CR_ORDER_ATTRIBUTION.OUTCOME, at most 24 characters). */
    public enum Outcome {
        /** A cart message was clicked before the purchase: cart recovery. */
        RECOVERED,
        /** A cart message was sent within the window, none clicked. */
        INFLUENCED,
        /** A browse email was clicked before the purchase (and no cart message). */
        BROWSE_CONVERTED,
        /** A browse email showing a product of the order was sent within the window, nothing clicked. */
        BROWSE_INFLUENCED,
        /** A post-purchase follow-up of an earlier order was clicked before this one (and no cart message). */
        REPEAT_CONVERTED,
        /** A post-purchase follow-up of an earlier order was sent within the window, nothing clicked. */
        REPEAT_INFLUENCED,
        /** None of these, or an order created in the admin. */
        NONE
    }

    private static final class Purchase {
        long orderId;
        Long customerId;
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
            long customerId = rs.getLong("CUSTOMER_ID");
            purchase.customerId = rs.wasNull() ? null : customerId;
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
        /** A browse email (else, among the follow-ups, a post-purchase one). */
        boolean browse;
        Long browseSessionId;
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

    private static final class FollowUpMapper implements RowMapper<SentMessage> {
        private final SentMessageMapper common = new SentMessageMapper();

        @Override
        public SentMessage mapRow(ResultSet rs, int rowNum) throws SQLException {
            SentMessage message = common.mapRow(rs, rowNum);
            message.browse = "BROWSE".equals(rs.getString("TRIGGER_TYPE"));
            long sessionId = rs.getLong("BROWSE_SESSION_ID");
            message.browseSessionId = rs.wasNull() ? null : sessionId;
            return message;
        }
    }
}
