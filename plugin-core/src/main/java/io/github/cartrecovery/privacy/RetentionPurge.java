package io.github.cartrecovery.privacy;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.cartrecovery.rendering.SqlLists;
import io.github.cartrecovery.scheduling.ScheduledWork;

/**
 * Deletes what the plugin no longer needs, after the configured periods ({@code cartrecovery.retention.*}; 0 keeps
 * forever). Runs as a clustered job (one node at a time); each batch is its own short transaction of at most
 * {@code batchSize} rows, and a run stops after {@code maxBatches} batches per kind, so it never holds locks for
 * long and a backlog is worked off over several runs. Never deleted:
 * <ul>
 * <li>a cart IN_RECOVERY, or with a message not finished (PLANNED, CLAIMED, PREPARED, SENDING), or whose messages
 * have events not rolled up yet (the rollup reads the cart's currency);</li>
 * <li>a message not finished, with an unreported event or attribution, or with a coupon still ISSUED;</li>
 * <li>an event not rolled up yet (REPORTED = 0); events go per message, all together, once the newest is older than
 * the period, because the rollup counts only the first open/click/unsubscribe of a message;</li>
 * <li>a coupon still ISSUED (the coupon cleanup job still has to close its Broadleaf offer code);</li>
 * <li>CR_REPORT_DAILY, CR_REPORT_CART and CR_ORDER_ATTRIBUTION: report totals never change.</li>
 * <li>an experiment assignment, except with its cart (an experiment's counts then no longer include the cart).</li>
 * <li>a browse session still BROWSING, or with a message not finished (ended ones go after the carts period).</li>
 * </ul>
 * Periods for messages and events must cover the links in sent emails (an unsubscribe link finds its address through
 * its message) and the attribution window; the constructor refuses shorter ones with the property's name.
 */
public class RetentionPurge implements ScheduledWork {

    static final String FINISHED = "'SENT', 'SKIPPED', 'FAILED', 'UNCONFIRMED'";
    static final String UNFINISHED = "'PLANNED', 'CLAIMED', 'PREPARED', 'SENDING'";

    /** Finished messages whose every event is rolled up and older than the events period (and that have events). */
    static final String MESSAGES_WITH_OLD_EVENTS = "SELECT m.ID FROM CR_PLANNED_MESSAGE m WHERE m.STATUS IN (" + FINISHED + ") "
            + "AND EXISTS (SELECT 1 FROM CR_MESSAGE_EVENT e WHERE e.PLANNED_MESSAGE_ID = m.ID) "
            + "AND NOT EXISTS (SELECT 1 FROM CR_MESSAGE_EVENT e WHERE e.PLANNED_MESSAGE_ID = m.ID AND (e.REPORTED = 0 OR e.OCCURRED_AT >= ?)) "
            + "ORDER BY m.ID LIMIT ?";

    /** Finished messages last changed before the messages period, with nothing the reports or coupons still need. */
    static final String OLD_MESSAGES = "SELECT m.ID FROM CR_PLANNED_MESSAGE m WHERE m.STATUS IN (" + FINISHED + ") AND m.UPDATED_AT < ? "
            + "AND NOT EXISTS (SELECT 1 FROM CR_MESSAGE_EVENT e WHERE e.PLANNED_MESSAGE_ID = m.ID AND (e.REPORTED = 0 OR e.OCCURRED_AT >= ?)) "
            + "AND NOT EXISTS (SELECT 1 FROM CR_ORDER_ATTRIBUTION a WHERE a.PLANNED_MESSAGE_ID = m.ID AND a.REPORTED = 0) "
            + "AND NOT EXISTS (SELECT 1 FROM CR_COUPON c WHERE c.PLANNED_MESSAGE_ID = m.ID AND c.STATUS = 'ISSUED') "
            + "ORDER BY m.ID LIMIT ?";

    /** Carts idle and unchanged for the carts period, not in recovery, with nothing unfinished or unreported. */
    static final String OLD_CARTS = "SELECT c.ORDER_ID FROM CR_CAPTURED_CART c WHERE c.STATUS <> 'IN_RECOVERY' "
            + "AND c.LAST_ACTIVITY < ? AND c.STATUS_CHANGED_AT < ? "
            + "AND NOT EXISTS (SELECT 1 FROM CR_PLANNED_MESSAGE m WHERE m.ORDER_ID = c.ORDER_ID AND m.STATUS IN (" + UNFINISHED + ")) "
            + "AND NOT EXISTS (SELECT 1 FROM CR_PLANNED_MESSAGE m JOIN CR_MESSAGE_EVENT e ON e.PLANNED_MESSAGE_ID = m.ID "
            + "WHERE m.ORDER_ID = c.ORDER_ID AND e.REPORTED = 0) "
            + "ORDER BY c.ORDER_ID LIMIT ?";

    /** Browse sessions ended (PLANNED, EXCLUDED) before the carts period, with no message still to send. */
    static final String OLD_BROWSE_SESSIONS = "SELECT s.ID FROM CR_BROWSE_SESSION s WHERE s.STATUS <> 'BROWSING' "
            + "AND s.STATUS_CHANGED_AT < ? AND NOT EXISTS (SELECT 1 FROM CR_PLANNED_MESSAGE m WHERE m.BROWSE_SESSION_ID = s.ID "
            + "AND m.STATUS IN (" + UNFINISHED + ")) ORDER BY s.ID LIMIT ?";

    /** Post-purchase decisions older than the carts period (long past the planner's look-back). */
    static final String OLD_POST_PURCHASE = "SELECT ORDER_ID FROM CR_POST_PURCHASE WHERE DECIDED_AT < ? ORDER BY ORDER_ID LIMIT ?";

    /** Coupons closed (redeemed, expired and cleaned up...) whose expiry is older than the coupons period. */
    static final String OLD_COUPONS = "SELECT ID FROM CR_COUPON WHERE STATUS <> 'ISSUED' AND EXPIRES_AT < ? ORDER BY ID LIMIT ?";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final int cartsDays;
    private final int messagesDays;
    private final int eventsDays;
    private final int couponsDaysAfterExpiry;
    private final int batchSize;
    private final int maxBatches;

    /**
     * The last three are the longest a link in a sent email works (restore/click, unsubscribe) and an order placed
     * after it is credited to it, in days: the message and event periods may not be shorter than any of them.
     */
    public RetentionPurge(DataSource dataSource, PlatformTransactionManager transactionManager, Clock clock,
                          int cartsDays, int messagesDays, int eventsDays, int couponsDaysAfterExpiry,
                          int batchSize, int maxBatches, int linkValidDays, int unsubscribeValidDays, int attributionDays) {
        int linkDays = Math.max(linkValidDays, Math.max(unsubscribeValidDays, attributionDays));
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
        this.cartsDays = notNegative("cartrecovery.retention.carts-days", cartsDays);
        this.messagesDays = atLeast("cartrecovery.retention.messages-days", messagesDays, linkDays);
        this.eventsDays = atLeast("cartrecovery.retention.events-days", eventsDays, linkDays);
        this.couponsDaysAfterExpiry = notNegative("cartrecovery.retention.coupons-days-after-expiry", couponsDaysAfterExpiry);
        if (batchSize < 1 || maxBatches < 1) {
            throw new IllegalArgumentException("cartrecovery.retention.batch-size and max-batches-per-run: must be at least 1");
        }
        this.batchSize = batchSize;
        this.maxBatches = maxBatches;
    }

    @Override
    public int run() {
        int purged = 0;
        if (eventsDays > 0) {
            purged += purge(MESSAGES_WITH_OLD_EVENTS, new Object[] {before(eventsDays)},
                    "DELETE FROM CR_MESSAGE_EVENT WHERE PLANNED_MESSAGE_ID IN (%s)");
        }
        if (messagesDays > 0) {
            // a message's events go with it, so they must be past their own period (with events kept: none at all)
            Timestamp eventsBefore = eventsDays > 0 ? before(eventsDays) : new Timestamp(0);
            purged += purge(OLD_MESSAGES, new Object[] {before(messagesDays), eventsBefore},
                    "DELETE FROM CR_MESSAGE_EVENT WHERE PLANNED_MESSAGE_ID IN (%s)", "DELETE FROM CR_PLANNED_MESSAGE WHERE ID IN (%s)");
        }
        if (cartsDays > 0) {
            purged += purgeCarts();
            // browse sessions are shoppers' data like carts, and go after the same period
            purged += purge(OLD_BROWSE_SESSIONS, new Object[] {before(cartsDays)},
                    "DELETE FROM CR_BROWSE_PRODUCT WHERE SESSION_ID IN (%s)", "DELETE FROM CR_BROWSE_SESSION WHERE ID IN (%s)");
            purged += purge(OLD_POST_PURCHASE, new Object[] {before(cartsDays)},
                    "DELETE FROM CR_POST_PURCHASE WHERE ORDER_ID IN (%s)");
        }
        if (couponsDaysAfterExpiry > 0) {
            purged += purge(OLD_COUPONS, new Object[] {before(couponsDaysAfterExpiry)}, "DELETE FROM CR_COUPON WHERE ID IN (%s)");
        }
        return purged;
    }

    private int purgeCarts() {
        Timestamp before = before(cartsDays);
        return purge(OLD_CARTS, new Object[] {before, before},
                "DELETE FROM CR_CAPTURED_CART_ITEM WHERE ORDER_ID IN (%s)",
                "DELETE FROM CR_EXPERIMENT_ASSIGNMENT WHERE ORDER_ID IN (%s)", // the arm goes with the cart
                "DELETE FROM CR_ITEM_OUT_OF_STOCK WHERE ORDER_ID IN (%s)", // the watch job's marks and events too
                "DELETE FROM CR_TRIGGER_EVENT WHERE ORDER_ID IN (%s)",
                "DELETE FROM CR_CAPTURED_CART WHERE ORDER_ID IN (%s)");
    }

    /** Batches of ids found by {@code select} (parameters, then the limit), each deleted by the statements in order. */
    private int purge(final String select, final Object[] parameters, final String... deletes) {
        int purged = 0;
        for (int batch = 0; batch < maxBatches; batch++) {
            Integer done = transactions.execute(new TransactionCallback<Integer>() {
                @Override
                public Integer doInTransaction(TransactionStatus status) {
                    List<Long> ids = jdbc.queryForList(select, Long.class, SqlLists.args(java.util.Arrays.asList(parameters), batchSize));
                    if (ids.isEmpty()) {
                        return 0;
                    }
                    for (String delete : deletes) {
                        jdbc.update(String.format(delete, SqlLists.placeholders(ids.size())), ids.toArray());
                    }
                    return ids.size();
                }
            });
            purged += done;
            if (done < batchSize) {
                break;
            }
        }
        return purged;
    }

    private Timestamp before(int days) {
        return new Timestamp(clock.instant().minus(Duration.ofDays(days)).toEpochMilli());
    }

    private static int notNegative(String property, int days) {
        if (days < 0) {
            throw new IllegalArgumentException(property + ": must be 0 (keep) or a number of days, was " + days);
        }
        return days;
    }

    private static int atLeast(String property, int days, int linkDays) {
        notNegative(property, days);
        if (days > 0 && days < linkDays) {
            throw new IllegalArgumentException(property + ": must be 0 (keep) or at least " + linkDays + " days (the longest a "
                    + "link in a sent email works or an order is credited to it: links.valid-days, links.unsubscribe-valid-days, "
                    + "attribution.window-days), was " + days);
        }
        return days;
    }
}
