package io.github.cartrecovery.reporting;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.cartrecovery.scheduling.ScheduledWork;

/**
 * Keeps CR_REPORT_DAILY (store day x campaign x step x channel x currency) up to date, so the report never reads raw
 * events. Three sources, each taken in batches:
 * <ul>
 *   <li>CR_MESSAGE_EVENT rows with REPORTED = 0: PLANNED, SENT, SKIPPED, FAILED, BOUNCED, and the first OPENED,
 *       CLICKED and UNSUBSCRIBED of each message (unique per message; later ones count nothing), under the message's
 *       channel (CR_PLANNED_MESSAGE.CHANNEL);</li>
 *   <li>CR_ORDER_ATTRIBUTION rows with REPORTED = 0: recovered and influenced orders with their revenue, in
 *       the order's currency, under the channel of the message they are credited to; orders credited to browse
 *       emails (BROWSE_*) and to post-purchase follow-ups (REPEAT_*) under their own counters and revenue, never as
 *       recovered or influenced;</li>
 *   <li>carts that went idle with items within {@code lookBack} and are not in CR_REPORT_CART yet: abandoned
 *       carts, and carts with email (the ones detection found recoverable, ABANDONED_AT set), under no channel
 *       ({@link #NO_CHANNEL}).</li>
 * </ul>
 * Guarantees: a batch's rollup increments, its REPORTED / CR_REPORT_CART marks and the new REPORT_VERSION
 * commit in one transaction, so a crash or a failed batch leaves nothing counted and the next run (on any
 * node) counts it exactly once. The marks are conditional ({@code WHERE REPORTED = 0}); when another node
 * marked some of the same rows first the batch is rolled back instead of counting them twice. Unlike an id
 * cursor, a per-row mark never skips an event whose transaction committed after a later one.
 * Every run also writes the read replica's heartbeat first, on the primary like everything else it writes.
 */
public class ReportRollup implements ScheduledWork {

    /** The setting whose value changes with every rollup change; report caches are keyed by it. */
    public static final String VERSION_SETTING = "REPORT_VERSION";

    static final String[] COUNTERS = {"ABANDONED_CARTS", "CARTS_WITH_EMAIL", "PLANNED", "SENT", "FAILED", "BOUNCED",
        "OPENED", "CLICKED", "UNSUBSCRIBED", "RECOVERED", "INFLUENCED", "SKIPPED", "BROWSE_ORDERS", "REPEAT_ORDERS"};
    static final int ABANDONED_CARTS = 0;
    static final int CARTS_WITH_EMAIL = 1;
    static final int PLANNED = 2;
    static final int SENT = 3;
    static final int FAILED = 4;
    static final int BOUNCED = 5;
    static final int OPENED = 6;
    static final int CLICKED = 7;
    static final int UNSUBSCRIBED = 8;
    static final int RECOVERED = 9;
    static final int INFLUENCED = 10;
    /** Messages an exit rule or a step condition stopped (Liquibase 1.2/024). */
    static final int SKIPPED = 11;
    /** Orders credited to browse emails, clicked or not (Liquibase 1.2/043). */
    static final int BROWSE_ORDERS = 12;
    /** Later orders credited to post-purchase follow-ups, clicked or not (Liquibase 1.2/043). */
    static final int REPEAT_ORDERS = 13;

    /** The revenue columns, in the order of {@link Delta#revenue}. */
    static final String[] REVENUES = {"RECOVERED_REVENUE", "INFLUENCED_REVENUE", "BROWSE_REVENUE", "REPEAT_REVENUE"};

    /** Currency of rows whose cart's currency is unknown (ISO 4217 "no currency"). */
    public static final String NO_CURRENCY = "XXX";

    /** Channel of rows of no message (abandoned carts, carts with email) or of a message no longer there. */
    public static final String NO_CHANNEL = "-";

    static final String UNREPORTED_EVENTS =
            "SELECT e.ID, e.EVENT_TYPE, e.OCCURRED_AT, m.CAMPAIGN_ID, m.STEP_NO, m.CHANNEL, c.CURRENCY_CODE,"
            + " CASE WHEN e.EVENT_TYPE IN ('OPENED', 'CLICKED', 'UNSUBSCRIBED') AND EXISTS (SELECT 1 FROM CR_MESSAGE_EVENT p"
            + " WHERE p.PLANNED_MESSAGE_ID = e.PLANNED_MESSAGE_ID AND p.EVENT_TYPE = e.EVENT_TYPE AND p.ID < e.ID)"
            + " THEN 1 ELSE 0 END AS REPEATED"
            // the batch first (index IX_CR_EVENT_REPORTED), then primary-key lookups for its rows only
            + " FROM (SELECT ID, PLANNED_MESSAGE_ID, EVENT_TYPE, OCCURRED_AT FROM CR_MESSAGE_EVENT"
            + " WHERE REPORTED = 0 ORDER BY ID LIMIT ?) e"
            + " LEFT JOIN CR_PLANNED_MESSAGE m ON m.ID = e.PLANNED_MESSAGE_ID"
            + " LEFT JOIN CR_CAPTURED_CART c ON c.ORDER_ID = m.ORDER_ID"
            + " ORDER BY e.ID";

    /** The batch first (IX_CR_ATTRIBUTION_REPORTED), then the credited message's channel by primary key. */
    static final String UNREPORTED_ATTRIBUTIONS =
            "SELECT a.ORDER_ID, a.OUTCOME, a.CAMPAIGN_ID, a.STEP_NO, a.CURRENCY_CODE, a.AMOUNT, a.PURCHASED_AT, m.CHANNEL"
            + " FROM (SELECT ORDER_ID, OUTCOME, PLANNED_MESSAGE_ID, CAMPAIGN_ID, STEP_NO, CURRENCY_CODE, AMOUNT, PURCHASED_AT"
            + " FROM CR_ORDER_ATTRIBUTION WHERE REPORTED = 0 ORDER BY ORDER_ID LIMIT ?) a"
            + " LEFT JOIN CR_PLANNED_MESSAGE m ON m.ID = a.PLANNED_MESSAGE_ID ORDER BY a.ORDER_ID";

    /** Idle with items: ABANDONED_AT set by detection (with a usable email), or IDLE with items (without one). */
    static final String UNCOUNTED_CARTS =
            "SELECT c.ORDER_ID, c.CURRENCY_CODE, c.ABANDONED_AT, c.STATUS_CHANGED_AT, r.ORDER_ID AS COUNTED"
            + " FROM CR_CAPTURED_CART c LEFT JOIN CR_REPORT_CART r ON r.ORDER_ID = c.ORDER_ID"
            + " WHERE c.STATUS_CHANGED_AT >= ?"
            + " AND (c.ABANDONED_AT IS NOT NULL OR (c.STATUS = 'IDLE' AND c.ITEM_COUNT > 0))"
            + " AND (r.ORDER_ID IS NULL OR (r.WITH_EMAIL = 0 AND c.ABANDONED_AT IS NOT NULL))"
            + " ORDER BY c.ORDER_ID LIMIT ?";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final ZoneId storeZone;
    private final Duration lookBack;
    private final int batchSize;
    private final ReportCache cache;

    public ReportRollup(DataSource dataSource, PlatformTransactionManager transactionManager, Clock clock,
                        String storeTimeZone, int lookBackHours, int batchSize, ReportCache cache) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("cartrecovery.reports.rollup-batch-size must be at least 1, was " + batchSize);
        }
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
        this.storeZone = ZoneId.of(storeTimeZone);
        this.lookBack = Duration.ofHours(lookBackHours);
        this.batchSize = batchSize;
        this.cache = cache;
    }

    /**
     * Writes the replica heartbeat ({@link ReplicaHeartbeat}), then rolls up everything not counted yet; returns how
     * many source rows were counted.
     */
    @Override
    public int run() {
        transactions.execute(new TransactionCallback<Void>() {
            @Override
            public Void doInTransaction(TransactionStatus status) {
                ReplicaHeartbeat.beat(jdbc, clock.instant());
                return null;
            }
        });
        int counted = 0;
        counted += drain(Source.EVENTS);
        counted += drain(Source.ATTRIBUTIONS);
        counted += drain(Source.CARTS);
        return counted;
    }

    private int drain(final Source source) {
        int total = 0;
        while (!Thread.currentThread().isInterrupted()) {
            Integer batch = transactions.execute(new TransactionCallback<Integer>() {
                @Override
                public Integer doInTransaction(TransactionStatus status) {
                    return rollUp(source);
                }
            });
            if (batch > 0) {
                cache.evictAll();
            }
            total += batch;
            if (batch < batchSize) {
                break;
            }
        }
        return total;
    }

    /** One batch of one source, inside the caller's transaction. Returns the number of source rows. */
    int rollUp(Source source) {
        Map<Key, Delta> deltas = new LinkedHashMap<Key, Delta>();
        int rows;
        switch (source) {
            case EVENTS: rows = events(deltas); break;
            case ATTRIBUTIONS: rows = attributions(deltas); break;
            default: rows = carts(deltas); break;
        }
        if (rows == 0) {
            return 0;
        }
        for (Map.Entry<Key, Delta> delta : deltas.entrySet()) {
            apply(delta.getKey(), delta.getValue());
        }
        beforeCommit(source);
        jdbc.update("UPDATE CR_SETTING SET VALUE = ?, UPDATED_AT = ? WHERE NAME = ?",
                UUID.randomUUID().toString(), ts(clock.instant()), VERSION_SETTING);
        return rows;
    }

    /** Called after a batch's rollup rows are written and before its transaction commits (a seam for crash tests). */
    protected void beforeCommit(Source source) {
    }

    private int events(Map<Key, Delta> deltas) {
        final List<Long> ids = new ArrayList<Long>();
        final Map<Key, Delta> into = deltas;
        jdbc.query(UNREPORTED_EVENTS, new RowCallbackHandler() {
            @Override
            public void processRow(ResultSet rs) throws SQLException {
                ids.add(rs.getLong("ID"));
                int counter = counterOf(rs.getString("EVENT_TYPE"), rs.getInt("REPEATED") == 1);
                if (counter < 0) {
                    return;
                }
                long campaignId = rs.getLong("CAMPAIGN_ID");
                int stepNo = rs.getInt("STEP_NO");
                Key key = new Key(day(rs.getTimestamp("OCCURRED_AT")), campaignId, stepNo,
                        channel(campaignId, rs.getString("CHANNEL")), currency(rs.getString("CURRENCY_CODE")));
                delta(into, key).counts[counter]++;
            }
        }, batchSize);
        mark("UPDATE CR_MESSAGE_EVENT SET REPORTED = 1 WHERE REPORTED = 0 AND ID IN ", ids);
        return ids.size();
    }

    private static int counterOf(String eventType, boolean repeated) {
        if ("PLANNED".equals(eventType)) {
            return PLANNED;
        } else if ("SENT".equals(eventType)) {
            return SENT;
        } else if ("SKIPPED".equals(eventType)) {
            return SKIPPED;
        } else if ("FAILED".equals(eventType)) {
            return FAILED;
        } else if ("BOUNCED".equals(eventType)) {
            return BOUNCED;
        } else if ("OPENED".equals(eventType)) {
            return repeated ? -1 : OPENED;
        } else if ("CLICKED".equals(eventType)) {
            return repeated ? -1 : CLICKED;
        } else if ("UNSUBSCRIBED".equals(eventType)) {
            return repeated ? -1 : UNSUBSCRIBED;
        }
        return -1; // RECOVERED, INFLUENCED, BROWSE_*, REPEAT_* come from CR_ORDER_ATTRIBUTION; the rest are not reported
    }

    private int attributions(Map<Key, Delta> deltas) {
        final List<Long> ids = new ArrayList<Long>();
        final Map<Key, Delta> into = deltas;
        jdbc.query(UNREPORTED_ATTRIBUTIONS, new RowCallbackHandler() {
            @Override
            public void processRow(ResultSet rs) throws SQLException {
                ids.add(rs.getLong("ORDER_ID"));
                String outcome = rs.getString("OUTCOME");
                int counter;
                int revenue;
                if ("RECOVERED".equals(outcome)) {
                    counter = RECOVERED;
                    revenue = 0;
                } else if ("INFLUENCED".equals(outcome)) {
                    counter = INFLUENCED;
                    revenue = 1;
                } else if (outcome.startsWith("BROWSE_")) {
                    counter = BROWSE_ORDERS;
                    revenue = 2;
                } else if (outcome.startsWith("REPEAT_")) {
                    counter = REPEAT_ORDERS;
                    revenue = 3;
                } else {
                    return; // NONE
                }
                long campaignId = rs.getLong("CAMPAIGN_ID");
                Key key = new Key(day(rs.getTimestamp("PURCHASED_AT")), campaignId, rs.getInt("STEP_NO"),
                        channel(campaignId, rs.getString("CHANNEL")), currency(rs.getString("CURRENCY_CODE")));
                Delta delta = delta(into, key);
                BigDecimal amount = rs.getBigDecimal("AMOUNT");
                delta.counts[counter]++;
                delta.revenue[revenue] = delta.revenue[revenue].add(amount == null ? BigDecimal.ZERO : amount);
            }
        }, batchSize);
        mark("UPDATE CR_ORDER_ATTRIBUTION SET REPORTED = 1 WHERE REPORTED = 0 AND ORDER_ID IN ", ids);
        return ids.size();
    }

    private int carts(final Map<Key, Delta> deltas) {
        final List<Object[]> newCarts = new ArrayList<Object[]>();
        final List<Long> upgraded = new ArrayList<Long>();
        jdbc.query(UNCOUNTED_CARTS, new RowCallbackHandler() {
            @Override
            public void processRow(ResultSet rs) throws SQLException {
                long orderId = rs.getLong("ORDER_ID");
                Timestamp abandonedAt = rs.getTimestamp("ABANDONED_AT");
                boolean counted = rs.getObject("COUNTED") != null;
                boolean withEmail = abandonedAt != null;
                LocalDate day = day(withEmail ? abandonedAt : rs.getTimestamp("STATUS_CHANGED_AT"));
                Delta delta = delta(deltas, new Key(day, 0L, 0, NO_CHANNEL, currency(rs.getString("CURRENCY_CODE"))));
                if (counted) {
                    // counted before without an address; detection has now found it recoverable
                    delta.counts[CARTS_WITH_EMAIL]++;
                    upgraded.add(orderId);
                } else {
                    delta.counts[ABANDONED_CARTS]++;
                    if (withEmail) {
                        delta.counts[CARTS_WITH_EMAIL]++;
                    }
                    newCarts.add(new Object[] {orderId, Date.valueOf(day), withEmail ? 1 : 0});
                }
            }
        }, ts(clock.instant().minus(lookBack)), batchSize);
        for (Object[] cart : newCarts) {
            // the primary key refuses a cart another node counted meanwhile: the batch rolls back
            jdbc.update("INSERT INTO CR_REPORT_CART (ORDER_ID, REPORT_DAY, WITH_EMAIL) VALUES (?, ?, ?)", cart);
        }
        mark("UPDATE CR_REPORT_CART SET WITH_EMAIL = 1 WHERE WITH_EMAIL = 0 AND ORDER_ID IN ", upgraded);
        return newCarts.size() + upgraded.size();
    }

    private void mark(String sqlPrefix, List<Long> ids) {
        for (int from = 0; from < ids.size(); from += 500) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
            StringBuilder in = new StringBuilder("(");
            for (int i = 0; i < chunk.size(); i++) {
                in.append(i == 0 ? "?" : ", ?");
            }
            int marked = jdbc.update(sqlPrefix + in.append(')'), chunk.toArray());
            if (marked != chunk.size()) {
                throw new ConcurrentRollupException("another node rolled up " + (chunk.size() - marked)
                        + " of these rows first; this batch is rolled back and counted by the next run");
            }
        }
    }

    private void apply(Key key, Delta delta) {
        StringBuilder update = new StringBuilder("UPDATE CR_REPORT_DAILY SET ");
        List<Object> args = new ArrayList<Object>();
        for (int i = 0; i < COUNTERS.length; i++) {
            update.append(COUNTERS[i]).append(" = ").append(COUNTERS[i]).append(" + ?, ");
            args.add(delta.counts[i]);
        }
        for (int i = 0; i < REVENUES.length; i++) {
            update.append(i == 0 ? "" : ", ").append(REVENUES[i]).append(" = ").append(REVENUES[i]).append(" + ?");
            args.add(delta.revenue[i]);
        }
        update.append(" WHERE REPORT_DAY = ? AND CAMPAIGN_ID = ? AND STEP_NO = ? AND CHANNEL = ? AND CURRENCY_CODE = ?");
        args.add(Date.valueOf(key.day));
        args.add(key.campaignId);
        args.add(key.stepNo);
        args.add(key.channel);
        args.add(key.currency);
        if (jdbc.update(update.toString(), args.toArray()) > 0) {
            return;
        }
        StringBuilder insert = new StringBuilder("INSERT INTO CR_REPORT_DAILY (REPORT_DAY, CAMPAIGN_ID, STEP_NO, CHANNEL, "
                + "CURRENCY_CODE");
        StringBuilder values = new StringBuilder(" VALUES (?, ?, ?, ?, ?");
        List<Object> insertArgs = new ArrayList<Object>();
        insertArgs.add(Date.valueOf(key.day));
        insertArgs.add(key.campaignId);
        insertArgs.add(key.stepNo);
        insertArgs.add(key.channel);
        insertArgs.add(key.currency);
        for (int i = 0; i < COUNTERS.length; i++) {
            insert.append(", ").append(COUNTERS[i]);
            values.append(", ?");
            insertArgs.add(delta.counts[i]);
        }
        for (int i = 0; i < REVENUES.length; i++) {
            insert.append(", ").append(REVENUES[i]);
            values.append(", ?");
            insertArgs.add(delta.revenue[i]);
        }
        insert.append(')');
        values.append(')');
        // a row another node inserted meanwhile makes this fail: the whole batch rolls back and is retried
        jdbc.update(insert.toString() + values, insertArgs.toArray());
    }

    private LocalDate day(Timestamp at) {
        return at.toInstant().atZone(storeZone).toLocalDate();
    }

    private static String currency(String code) {
        return code == null || code.trim().isEmpty() ? NO_CURRENCY : code.trim().toUpperCase(Locale.ROOT);
    }

    /** A message's channel; rows of no campaign (carts, vanished messages) have none. */
    private static String channel(long campaignId, String channel) {
        return campaignId == 0 || channel == null || channel.trim().isEmpty() ? NO_CHANNEL : channel.trim();
    }

    private static Delta delta(Map<Key, Delta> deltas, Key key) {
        Delta delta = deltas.get(key);
        if (delta == null) {
            delta = new Delta();
            deltas.put(key, delta);
        }
        return delta;
    }

    private static Timestamp ts(Instant instant) {
        return new Timestamp(instant.toEpochMilli());
    }

    /** Where the rolled-up numbers come from. */
    protected enum Source { EVENTS, ATTRIBUTIONS, CARTS }

    /** Another node marked rows of this batch first; the batch is rolled back. */
    static final class ConcurrentRollupException extends RuntimeException {
        ConcurrentRollupException(String message) {
            super(message);
        }
    }

    private static final class Key {
        final LocalDate day;
        final long campaignId;
        final int stepNo;
        final String channel;
        final String currency;

        Key(LocalDate day, long campaignId, int stepNo, String channel, String currency) {
            this.day = day;
            this.campaignId = campaignId;
            this.stepNo = stepNo;
            this.channel = channel;
            this.currency = currency;
        }

        @Override
        public boolean equals(Object other) {
            if (!(other instanceof Key)) {
                return false;
            }
            Key that = (Key) other;
            return day.equals(that.day) && campaignId == that.campaignId && stepNo == that.stepNo
                    && channel.equals(that.channel) && currency.equals(that.currency);
        }

        @Override
        public int hashCode() {
            return (((day.hashCode() * 31 + (int) campaignId) * 31 + stepNo) * 31 + channel.hashCode()) * 31
                    + currency.hashCode();
        }
    }

    private static final class Delta {
        final long[] counts = new long[COUNTERS.length];
        /** Recovered, influenced, browse and repeat revenue ({@link #REVENUES}). */
        final BigDecimal[] revenue = {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO};
    }
}
