package io.github.cartrecovery.benchmarks;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import io.github.cartrecovery.reporting.RecoveryReport;
import io.github.cartrecovery.reporting.RecoveryReports;
import io.github.cartrecovery.reporting.ReportCache;
import io.github.cartrecovery.reporting.ReportRollup;
import io.github.cartrecovery.testing.TestDatabase;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import net.sf.ehcache.CacheManager;
import net.sf.ehcache.config.CacheConfiguration;
import net.sf.ehcache.config.Configuration;

/**
 * benchmarks/run report
 * <p>
 * A 90-day recovery report over 1,000,000 messages and 3,000,000 events on PostgreSQL (the plugin's schema,
 * applied by Liquibase; the history is generated in SQL). The rollup job first turns the events into
 * CR_REPORT_DAILY (its throughput is printed); then the report request {@link RecoveryReports#query} is
 * timed uncached (the region emptied before every call: the first request after a rollup) and cached,
 * against the same numbers computed directly from the raw events, alternating.
 * Goal: median uncached report at most 50 ms and at least 20x faster than the raw computation.
 * Database: PostgreSQL (127.0.0.1:5432, or -Dcartrecovery.test.postgresql.url=...): the history is generated
 * with generate_series.
 */
final class ReportBenchmark implements Benchmarks.Benchmark {

    static final int CARTS = 333_334;
    static final int STEPS = 3;
    static final int MESSAGES = 1_000_000;
    static final int EXTRA_EVENTS = 1_000_000; // besides one PLANNED and one SENT per message
    static final int DAYS = 90;
    static final int ROUNDS = 15;
    static final Instant END = Instant.parse("2026-06-30T00:00:00Z");

    /** The report's numbers straight from the raw rows: what the page would cost without rollups. */
    static final String RAW_EVENTS =
            "SELECT CAST(e.OCCURRED_AT AS DATE) AS DAY, m.CAMPAIGN_ID, m.STEP_NO, e.EVENT_TYPE, COUNT(*) AS N,"
            + " COUNT(DISTINCT e.PLANNED_MESSAGE_ID) AS UNIQUE_N"
            + " FROM CR_MESSAGE_EVENT e JOIN CR_PLANNED_MESSAGE m ON m.ID = e.PLANNED_MESSAGE_ID"
            + " WHERE e.OCCURRED_AT >= ? AND e.OCCURRED_AT < ?"
            + " GROUP BY CAST(e.OCCURRED_AT AS DATE), m.CAMPAIGN_ID, m.STEP_NO, e.EVENT_TYPE";
    static final String RAW_CARTS =
            "SELECT CAST(ABANDONED_AT AS DATE) AS DAY, COUNT(*) AS N, COUNT(EMAIL) AS WITH_EMAIL FROM CR_CAPTURED_CART"
            + " WHERE ABANDONED_AT >= ? AND ABANDONED_AT < ? GROUP BY CAST(ABANDONED_AT AS DATE)";
    static final String RAW_RECOVERIES =
            "SELECT CAST(PURCHASED_AT AS DATE) AS DAY, CAMPAIGN_ID, STEP_NO, CURRENCY_CODE, OUTCOME, COUNT(*) AS N,"
            + " SUM(AMOUNT) AS REVENUE FROM CR_ORDER_ATTRIBUTION WHERE PURCHASED_AT >= ? AND PURCHASED_AT < ?"
            + " GROUP BY CAST(PURCHASED_AT AS DATE), CAMPAIGN_ID, STEP_NO, CURRENCY_CODE, OUTCOME";

    @Override
    public void run() throws Exception {
        String db = "postgresql";
        TestDatabase.Kind kind = TestDatabase.Kind.POSTGRESQL;
        CacheManager caches = CacheManager.create(new Configuration().name("report-benchmark")
                .cache(new CacheConfiguration("cartRecoveryReports", 2000).timeToLiveSeconds(3600)));
        try (TestDatabase database = TestDatabase.create(kind, "report_benchmark")) {
            DataSource dataSource = database.dataSource();
            try (Connection connection = dataSource.getConnection()) {
                Database liquibaseDb = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
                liquibaseDb.setDatabaseChangeLogTableName("CR_DATABASECHANGELOG");
                liquibaseDb.setDatabaseChangeLogLockTableName("CR_DATABASECHANGELOGLOCK");
                new Liquibase("db/changelog/cartrecovery-master.xml", new ClassLoaderResourceAccessor(), liquibaseDb)
                        .update(new Contexts(), new LabelExpression());
            }
            long start = System.nanoTime();
            generate(dataSource, kind);
            System.out.printf(Locale.ROOT, "%ngenerated %,d carts, %,d messages, %,d events in %.1f s (%s)%n", CARTS, MESSAGES,
                    count(dataSource, "CR_MESSAGE_EVENT"), (System.nanoTime() - start) / 1e9, db);

            ReportCache cache = new ReportCache(caches.getEhcache("cartRecoveryReports"));
            Clock clock = Clock.fixed(END, ZoneOffset.UTC);
            ReportRollup rollup = new ReportRollup(dataSource, new DataSourceTransactionManager(dataSource), clock, "UTC",
                    24 * (DAYS + 2), 20_000, cache);
            start = System.nanoTime();
            int rolled = rollup.run();
            double rollupSeconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "rollup job: %,d source rows in %.1f s (%,.0f rows/s) -> %,d rollup rows%n",
                    rolled, rollupSeconds, rolled / rollupSeconds, count(dataSource, "CR_REPORT_DAILY"));

            RecoveryReports reports = new RecoveryReports(dataSource, cache);
            LocalDate to = END.atZone(ZoneOffset.UTC).toLocalDate().minusDays(1);
            LocalDate from = to.minusDays(DAYS - 1);
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            // warm-up, not recorded
            for (int i = 0; i < 3; i++) {
                cache.evictAll();
                reports.query(from, to, null);
            }
            raw(jdbc, from, to);

            List<Double> uncached = new ArrayList<>();
            List<Double> cached = new ArrayList<>();
            List<Double> rawRuns = new ArrayList<>();
            RecoveryReport report = null;
            for (int round = 0; round < ROUNDS; round++) {
                cache.evictAll();
                long t = System.nanoTime();
                report = reports.query(from, to, null);
                uncached.add((System.nanoTime() - t) / 1e6);
                t = System.nanoTime();
                reports.query(from, to, null);
                cached.add((System.nanoTime() - t) / 1e6);
                if (round % 3 == 0) { // the raw computation takes seconds: every third round
                    t = System.nanoTime();
                    raw(jdbc, from, to);
                    rawRuns.add((System.nanoTime() - t) / 1e6);
                }
            }
            double uncachedMedian = median(uncached);
            double cachedMedian = median(cached);
            double rawMedian = median(rawRuns);
            double speedup = rawMedian / uncachedMedian;
            boolean goal = uncachedMedian <= 50 && speedup >= 20;
            System.out.println();
            System.out.printf(Locale.ROOT, "90-day report (%s .. %s), %,d messages, %,d events, %s; sent=%,d opened=%,d recovered=%,d%n",
                    from, to, MESSAGES, count(dataSource, "CR_MESSAGE_EVENT"), db, report.getKpis().getSent(),
                    report.getKpis().getOpened(), report.getKpis().getRecoveredCarts());
            System.out.println("| variant                              | runs | median ms | min ms  | max ms    |");
            System.out.println("|--------------------------------------|------|-----------|---------|-----------|");
            row("report, uncached (rollups)", uncached);
            row("report, cached (Ehcache)", cached);
            row("same numbers from raw events", rawRuns);
            System.out.printf(Locale.ROOT, "uncached median %.1f ms (goal <= 50), raw/uncached %.0fx (goal >= 20)%n",
                    uncachedMedian, speedup);
            System.out.printf(Locale.ROOT,
                    "RESULT report median_ms=%.2f cached_median_ms=%.3f raw_median_ms=%.0f speedup=%.0f rollup_rows_per_s=%.0f db=%s goal_met=%s%n",
                    uncachedMedian, cachedMedian, rawMedian, speedup, rolled / rollupSeconds, db, goal);
        } finally {
            caches.shutdown();
        }
    }

    /** The history, generated by the database itself (a few statements, no round trip per row). */
    private static void generate(DataSource dataSource, TestDatabase.Kind kind) throws Exception {
        long end = END.getEpochSecond();
        String at = "(to_timestamp(" + end + " - %s) AT TIME ZONE 'UTC')";
        try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
            connection.setAutoCommit(true);
            sql.execute("INSERT INTO CR_CAMPAIGN (ID, NAME, STATUS, PRIORITY, CREATED_AT, UPDATED_AT) VALUES"
                    + " (1, 'Benchmark A', 'ENABLED', 1, now(), now()), (2, 'Benchmark B', 'ENABLED', 2, now(), now())");
            // carts abandoned over the 90 days, a third in EUR
            sql.execute("INSERT INTO CR_CAPTURED_CART (ORDER_ID, EMAIL, CURRENCY_CODE, ITEM_COUNT, TOTAL, STATUS, FIRST_SEEN,"
                    + " LAST_ACTIVITY, ABANDONED_AT, STATUS_CHANGED_AT, MARKETING_CONSENT, ORIGIN)"
                    + " SELECT g, 'shopper' || g || '@example.com', CASE WHEN g % 3 = 0 THEN 'EUR' ELSE 'USD' END, 2, 49.90,"
                    + " 'IN_RECOVERY', t, t, t, t, 'UNKNOWN', 'STOREFRONT' FROM (SELECT g, "
                    + String.format(Locale.ROOT, at, "(g * 7776000::bigint / " + CARTS + ")") + " AS t"
                    + " FROM generate_series(1, " + CARTS + ") g) s");
            // three steps per cart: 1,000,000 messages (the last cart's third step is dropped)
            sql.execute("INSERT INTO CR_PLANNED_MESSAGE (ID, ORDER_ID, CAMPAIGN_ID, STEP_ID, STEP_NO, EMAIL, STATUS, DUE_AT,"
                    + " ATTEMPTS, SENT_AT, CREATED_AT, UPDATED_AT)"
                    + " SELECT (c.ORDER_ID - 1) * 3 + s, c.ORDER_ID, 1 + c.ORDER_ID % 2, (1 + c.ORDER_ID % 2) * 10 + s, s, c.EMAIL,"
                    + " 'SENT', c.ABANDONED_AT + s * interval '20 hours', 1, c.ABANDONED_AT + s * interval '20 hours',"
                    + " c.ABANDONED_AT, c.ABANDONED_AT FROM CR_CAPTURED_CART c CROSS JOIN generate_series(1, " + STEPS + ") s"
                    + " WHERE (c.ORDER_ID - 1) * 3 + s <= " + MESSAGES);
            sql.execute("INSERT INTO CR_MESSAGE_EVENT (PLANNED_MESSAGE_ID, EVENT_TYPE, OCCURRED_AT)"
                    + " SELECT ID, 'PLANNED', CREATED_AT FROM CR_PLANNED_MESSAGE");
            sql.execute("INSERT INTO CR_MESSAGE_EVENT (PLANNED_MESSAGE_ID, EVENT_TYPE, OCCURRED_AT)"
                    + " SELECT ID, 'SENT', SENT_AT FROM CR_PLANNED_MESSAGE");
            // opens (some repeated), clicks, unsubscribes, bounces
            sql.execute("INSERT INTO CR_MESSAGE_EVENT (PLANNED_MESSAGE_ID, EVENT_TYPE, OCCURRED_AT)"
                    + " SELECT 1 + (g::bigint * 7919) % " + MESSAGES + ", CASE WHEN g % 20 < 11 THEN 'OPENED' WHEN g % 20 < 17 THEN 'CLICKED'"
                    + " WHEN g % 20 < 19 THEN 'UNSUBSCRIBED' ELSE 'BOUNCED' END, m.SENT_AT + (g % 600) * interval '1 minute'"
                    + " FROM generate_series(1, " + EXTRA_EVENTS + ") g JOIN CR_PLANNED_MESSAGE m ON m.ID = 1 + (g::bigint * 7919) % "
                    + MESSAGES);
            // one recovered order per 40 carts, in the cart's currency
            sql.execute("INSERT INTO CR_ORDER_ATTRIBUTION (ORDER_ID, OUTCOME, PLANNED_MESSAGE_ID, CAMPAIGN_ID, STEP_NO,"
                    + " CURRENCY_CODE, AMOUNT, PURCHASED_AT, ATTRIBUTED_AT, REPORTED)"
                    + " SELECT c.ORDER_ID, 'RECOVERED', m.ID, m.CAMPAIGN_ID, m.STEP_NO, c.CURRENCY_CODE, c.TOTAL,"
                    + " m.SENT_AT + interval '3 hours', m.SENT_AT + interval '3 hours', 0"
                    + " FROM CR_CAPTURED_CART c JOIN CR_PLANNED_MESSAGE m ON m.ORDER_ID = c.ORDER_ID AND m.STEP_NO = 1"
                    + " WHERE c.ORDER_ID % 40 = 0");
            sql.execute("ANALYZE");
        }
    }

    private static void raw(JdbcTemplate jdbc, LocalDate from, LocalDate to) {
        java.sql.Timestamp start = java.sql.Timestamp.valueOf(from.atStartOfDay());
        java.sql.Timestamp end = java.sql.Timestamp.valueOf(to.plusDays(1).atStartOfDay());
        List<Map<String, Object>> events = jdbc.queryForList(RAW_EVENTS, start, end);
        List<Map<String, Object>> carts = jdbc.queryForList(RAW_CARTS, start, end);
        List<Map<String, Object>> recoveries = jdbc.queryForList(RAW_RECOVERIES, start, end);
        if (events.isEmpty() || carts.isEmpty() || recoveries.isEmpty()) {
            throw new IllegalStateException("the raw computation found no rows");
        }
    }

    private static long count(DataSource dataSource, String table) {
        return new JdbcTemplate(dataSource).queryForObject("SELECT COUNT(*) FROM " + table, Long.class);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static void row(String variant, List<Double> runs) {
        System.out.printf(Locale.ROOT, "| %-36s | %4d | %9.2f | %7.2f | %9.2f |%n", variant, runs.size(), median(runs),
                Collections.min(runs), Collections.max(runs));
    }
}
