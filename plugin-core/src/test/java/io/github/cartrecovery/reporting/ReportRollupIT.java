package io.github.cartrecovery.reporting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import javax.annotation.Resource;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.cartrecovery.attribution.OrderAttribution;
import io.github.cartrecovery.scheduling.ScheduledJob;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;
import io.github.cartrecovery.testing.TestClock;

/** The rollup job, the report read from it, its cache, the CSV export and the scheduler health view. */
@BroadleafWithPlugin
class ReportRollupIT {

    private static final long CAMPAIGN = -7001L;

    @Resource(name = "crReportRollup")
    ReportRollup rollup;

    @Resource(name = "crRecoveryReports")
    RecoveryReports reports;

    @Resource(name = "crReportCache")
    ReportCache cache;

    @Resource(name = "crSchedulerHealth")
    SchedulerHealth health;

    PluginContext broadleaf;
    TestClock clock;
    ReportHistory history;
    LocalDate today;

    @BeforeEach
    void setUp(PluginContext broadleaf) {
        this.broadleaf = broadleaf;
        this.clock = broadleaf.clock();
        this.history = new ReportHistory(broadleaf);
        // a fresh store day of its own for every test: nothing else in the database falls on it
        clock.set(clock.instant().plus(Duration.ofDays(3)).atZone(ZoneOffset.UTC).toLocalDate().atTime(12, 0)
                .toInstant(ZoneOffset.UTC));
        today = clock.instant().atZone(ZoneOffset.UTC).toLocalDate();
        rollup.run(); // whatever earlier tests left unreported
    }

    @Test
    void everyRunWritesTheReplicaHeartbeatOnThePrimaryEvenWithNothingToRollUp() {
        rollup.run();
        assertThat(ReplicaHeartbeat.read(history.jdbc)).isEqualTo(clock.instant());

        clock.advance(Duration.ofMinutes(1));
        rollup.run();

        assertThat(ReplicaHeartbeat.read(history.jdbc)).isEqualTo(clock.instant());
    }

    @Test
    void aBatchThatFailsBeforeCommitCountsNothingAndTheRetryCountsOnce() {
        long message = history.sentMessage(history.abandonedCart("USD", clock.instant()), CAMPAIGN, 1, clock.instant());
        for (int i = 0; i < 5; i++) {
            long other = history.sentMessage(history.abandonedCart("USD", clock.instant()), CAMPAIGN, 1, clock.instant());
            history.event(other, "SENT", clock.instant());
        }
        history.event(message, "SENT", clock.instant());
        history.event(message, "OPENED", clock.instant().plusSeconds(60));

        AtomicInteger batches = new AtomicInteger();
        ReportRollup dying = new ReportRollup(history.dataSource, history.transactions, clock, "UTC", 48, 2, cache) {
            @Override
            protected void beforeCommit(Source source) {
                if (source == Source.EVENTS && batches.incrementAndGet() == 2) {
                    throw new IllegalStateException("node died mid-run");
                }
            }
        };
        assertThatThrownBy(dying::run).hasMessageContaining("node died");
        // the first batch (2 events) committed with its marks; the second left no trace
        assertThat(reports.query(today, today, CAMPAIGN).getKpis().getSent()).isEqualTo(2);
        assertThat(history.jdbc.queryForObject("SELECT COUNT(*) FROM CR_MESSAGE_EVENT WHERE REPORTED = 0", Integer.class))
                .isEqualTo(5);

        new ReportRollup(history.dataSource, history.transactions, clock, "UTC", 48, 2, cache).run();
        rollup.run();

        ReportTotals kpis = reports.query(today, today, CAMPAIGN).getKpis();
        assertThat(kpis.getSent()).isEqualTo(6);
        assertThat(kpis.getOpened()).isEqualTo(1);
        assertThat(kpis.getAbandonedCarts()).isEqualTo(6);
        assertThat(kpis.getCartsWithEmail()).isEqualTo(6);
        assertThat(history.jdbc.queryForObject("SELECT COUNT(*) FROM CR_MESSAGE_EVENT WHERE REPORTED = 0", Integer.class))
                .isZero();
    }

    @Test
    void twoNodesRollingUpAtOnceCountEveryEventOnce() throws Exception {
        List<Long> messages = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            messages.add(history.sentMessage(history.abandonedCart("USD", clock.instant()), CAMPAIGN, 1 + i % 3, clock.instant()));
        }
        for (int round = 0; round < 5; round++) {
            for (Long message : messages) {
                history.event(message, "SENT", clock.instant());
            }
        }
        List<Throwable> refused = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> nodes = new ArrayList<>();
        for (int node = 0; node < 2; node++) {
            ReportRollup rollupOfNode = new ReportRollup(history.dataSource, history.transactions, clock, "UTC", 48, 15, cache);
            nodes.add(new Thread(() -> {
                try {
                    rollupOfNode.run();
                } catch (RuntimeException e) {
                    refused.add(e); // the batch the other node took first rolled back
                }
            }));
        }
        nodes.forEach(Thread::start);
        for (Thread node : nodes) {
            node.join(60_000);
        }
        rollup.run(); // whatever a refused batch left

        ReportTotals kpis = reports.query(today, today, CAMPAIGN).getKpis();
        assertThat(kpis.getSent()).as("refused batches: " + refused).isEqualTo(200);
        assertThat(kpis.getAbandonedCarts()).isEqualTo(40);
    }

    @Test
    void opensClicksAndUnsubscribesCountOncePerMessage() {
        long message = history.sentMessage(history.abandonedCart("USD", clock.instant()), CAMPAIGN, 2, clock.instant());
        history.event(message, "SENT", clock.instant());
        for (int i = 0; i < 3; i++) {
            history.event(message, "OPENED", clock.instant().plusSeconds(i));
            history.event(message, "CLICKED", clock.instant().plusSeconds(i));
        }
        history.event(message, "UNSUBSCRIBED", clock.instant());
        rollup.run();
        history.event(message, "OPENED", clock.instant().plusSeconds(30)); // after the first rollup
        history.event(message, "UNSUBSCRIBED", clock.instant().plusSeconds(30));
        rollup.run();

        ReportTotals kpis = reports.query(today, today, CAMPAIGN).getKpis();
        assertThat(kpis.getOpened()).isEqualTo(1);
        assertThat(kpis.getClicked()).isEqualTo(1);
        assertThat(kpis.getUnsubscribed()).isEqualTo(1);
        assertThat(kpis.getOpenRate()).isEqualByComparingTo("1");
        assertThat(kpis.getClickRate()).isEqualByComparingTo("1");
        assertThat(kpis.getUnsubscribeRate()).isEqualByComparingTo("1");
    }

    @Test
    void aCartWithoutEmailCountsAsAbandonedOnceAndAsWithEmailWhenItGetsOne() {
        long cart = history.idleCartWithoutEmail("EUR", clock.instant());
        rollup.run();
        ReportTotals first = reports.query(today, today, null).getKpis();
        assertThat(first.getAbandonedCarts()).isEqualTo(1);
        assertThat(first.getCartsWithEmail()).isZero();

        clock.advance(Duration.ofHours(1));
        // the shopper typed an address; detection later found the cart abandoned
        history.jdbc.update("UPDATE CR_CAPTURED_CART SET EMAIL = 'late@example.com', STATUS = 'ABANDONED', ABANDONED_AT = ?,"
                + " STATUS_CHANGED_AT = ? WHERE ORDER_ID = ?", ReportHistory.ts(clock.instant()),
                ReportHistory.ts(clock.instant()), cart);
        history.jdbc.update("UPDATE CR_CAPTURED_CART SET STATUS = 'IN_RECOVERY' WHERE ORDER_ID = ?", cart);
        rollup.run();
        rollup.run();

        ReportTotals second = reports.query(today, today, null).getKpis();
        assertThat(second.getAbandonedCarts()).isEqualTo(1);
        assertThat(second.getCartsWithEmail()).isEqualTo(1);
    }

    @Test
    void theReportIsCachedUntilTheRollupsChange() {
        long message = history.sentMessage(history.abandonedCart("USD", clock.instant()), CAMPAIGN, 1, clock.instant());
        history.event(message, "SENT", clock.instant());
        rollup.run();

        RecoveryReport first = reports.query(today, today, CAMPAIGN);
        assertThat(reports.query(today, today, CAMPAIGN)).isSameAs(first);
        assertThat(cache.size()).isPositive();

        history.event(message, "CLICKED", clock.instant());
        rollup.run();

        assertThat(cache.size()).as("this node's region is emptied when rollups change").isZero();
        RecoveryReport second = reports.query(today, today, CAMPAIGN);
        assertThat(second).isNotSameAs(first);
        assertThat(second.getKpis().getClicked()).isEqualTo(1);

        // another node rolled up: its new version makes this node's cached report unreachable
        history.jdbc.update("UPDATE CR_REPORT_DAILY SET CLICKED = CLICKED + 1 WHERE REPORT_DAY = ? AND CAMPAIGN_ID = ?",
                java.sql.Date.valueOf(today), CAMPAIGN);
        assertThat(reports.query(today, today, CAMPAIGN).getKpis().getClicked()).as("still cached").isEqualTo(1);
        history.jdbc.update("UPDATE CR_SETTING SET VALUE = 'changed-elsewhere' WHERE NAME = 'REPORT_VERSION'");
        assertThat(reports.query(today, today, CAMPAIGN).getKpis().getClicked()).isEqualTo(2);
    }

    @Test
    void revenueOfDifferentCurrenciesIsNeverAdded() {
        long usd = history.abandonedCart("USD", clock.instant());
        long eur = history.abandonedCart("EUR", clock.instant());
        long usdMessage = history.sentMessage(usd, CAMPAIGN, 1, clock.instant());
        long eurMessage = history.sentMessage(eur, CAMPAIGN, 1, clock.instant());
        history.attribution(usd, "RECOVERED", usdMessage, CAMPAIGN, 1, "USD", new BigDecimal("30.00"), clock.instant());
        history.attribution(eur, "RECOVERED", eurMessage, CAMPAIGN, 1, "EUR", new BigDecimal("20.50"), clock.instant());
        history.attribution(ReportHistory.nextOrderId(), "INFLUENCED", usdMessage, CAMPAIGN, 1, "USD", new BigDecimal("5"),
                clock.instant());
        rollup.run();

        RecoveryReport report = reports.query(today, today, CAMPAIGN);
        assertThat(report.getKpis().getRecoveredCarts()).isEqualTo(2);
        assertThat(report.getKpis().getRecoveredRevenue()).containsOnlyKeys("EUR", "USD");
        assertThat(report.getKpis().getRecoveredRevenue().get("USD")).isEqualByComparingTo("30");
        assertThat(report.getKpis().getRecoveredRevenue().get("EUR")).isEqualByComparingTo("20.5");
        assertThat(report.getKpis().getInfluencedOrders()).isEqualTo(1);
        assertThat(report.getKpis().getInfluencedRevenue().get("USD")).isEqualByComparingTo("5");
        assertThat(report.getKpis().getRecoveryRate()).isEqualByComparingTo("1");
    }

    @Test
    void theCsvExportCarriesTheReportsNumbers() throws Exception {
        long cart = history.abandonedCart("USD", clock.instant());
        long message = history.sentMessage(cart, CAMPAIGN, 1, clock.instant());
        history.event(message, "SENT", clock.instant());
        history.event(message, "OPENED", clock.instant());
        history.attribution(cart, "RECOVERED", message, CAMPAIGN, 1, "USD", new BigDecimal("42.10"), clock.instant());
        rollup.run();
        RecoveryReport report = reports.query(today.minusDays(1), today, CAMPAIGN);

        StringBuilder csv = new StringBuilder();
        ReportCsv.write(report, csv);

        List<CSVRecord> rows = new ArrayList<>();
        CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build().parse(new StringReader(csv.toString()))
                .forEach(rows::add);
        assertThat(value(rows, "kpi", "", "sent", "")).isEqualTo("1");
        assertThat(value(rows, "kpi", "", "open_rate", "")).isEqualTo("1.0000");
        assertThat(value(rows, "kpi", "", "recovered_revenue", "USD")).isEqualTo("42.1");
        assertThat(value(rows, "day", today.toString(), "recovered_carts", "")).isEqualTo("1");
        assertThat(value(rows, "day", today.minusDays(1).toString(), "sent", "")).isEqualTo("0");
        assertThat(value(rows, "step", "", "recovered_revenue", "USD")).isEqualTo("42.1");
        assertThat(rows).filteredOn(row -> row.get("section").equals("campaign"))
                .allSatisfy(row -> assertThat(row.get("campaign_id")).isEqualTo(String.valueOf(CAMPAIGN)));
    }

    @Test
    void badRangesAreRefusedNamingTheField() {
        assertThatThrownBy(() -> reports.query(today, today.minusDays(1), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("from:");
        assertThatThrownBy(() -> reports.query(null, today, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("from:");
        assertThatThrownBy(() -> reports.query(today.minusDays(RecoveryReports.MAX_DAYS), today, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("to:");
    }

    @Test
    void schedulerHealthShowsLastRunsPerNodeFailuresAndQueueDepth() {
        Instant now = clock.instant();
        insertRun("report-test-job", "node-a", now.minus(Duration.ofHours(30)), "FAILED");
        insertRun("report-test-job", "node-a", now.minus(Duration.ofHours(2)), "FAILED");
        insertRun("report-test-job", "node-a", now.minus(Duration.ofMinutes(1)), "SUCCEEDED");
        insertRun("report-test-job", "node-b", now.minus(Duration.ofMinutes(5)), "FAILED");
        long queueBefore = health.snapshot().getDueMessages();
        long orderId = ReportHistory.nextOrderId();
        history.jdbc.update("INSERT INTO CR_PLANNED_MESSAGE (ORDER_ID, CAMPAIGN_ID, STEP_ID, STEP_NO, EMAIL, STATUS, DUE_AT,"
                + " ATTEMPTS, CREATED_AT, UPDATED_AT) VALUES (?, -1, -1, 1, 'queue@example.com', 'PLANNED', ?, 0, ?, ?)",
                orderId, ReportHistory.ts(now.minusSeconds(1)), ReportHistory.ts(now), ReportHistory.ts(now));
        try {
            SchedulerHealth.Snapshot snapshot = health.snapshot();

            assertThat(snapshot.getDueMessages()).isEqualTo(queueBefore + 1);
            assertThat(snapshot.getFailuresLast24Hours()).containsEntry("report-test-job", 2);
            assertThat(snapshot.getLastRuns()).filteredOn(run -> run.getJobName().equals("report-test-job"))
                    .extracting(SchedulerHealth.LastRun::getNodeId, SchedulerHealth.LastRun::getOutcome)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("node-a", "SUCCEEDED"),
                            org.assertj.core.groups.Tuple.tuple("node-b", "FAILED"));
        } finally {
            history.jdbc.update("DELETE FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ?", orderId);
        }
    }

    @Test
    void attributionAndRollupRunAsClusteredJobs(PluginContext broadleaf) {
        ScheduledJob attribution = broadleaf.bean("crAttributionJob", ScheduledJob.class);
        ScheduledJob rollupJob = broadleaf.bean("crReportRollupJob", ScheduledJob.class);

        assertThat(attribution.getName()).isEqualTo("attribute-orders");
        assertThat(attribution.getWork()).isSameAs(broadleaf.bean("crOrderAttribution", OrderAttribution.class));
        assertThat(rollupJob.getName()).isEqualTo("roll-up-reports");
        assertThat(rollupJob.getWork()).isSameAs(rollup);
    }

    private void insertRun(String job, String node, Instant startedAt, String outcome) {
        history.jdbc.update("INSERT INTO CR_JOB_RUN (JOB_NAME, NODE_ID, STARTED_AT, DURATION_MS, OUTCOME, ITEMS, ERROR)"
                + " VALUES (?, ?, ?, 120, ?, 3, ?)", job, node, ReportHistory.ts(startedAt), outcome,
                "FAILED".equals(outcome) ? "boom" : null);
    }

    private static String value(List<CSVRecord> rows, String section, String date, String metric, String currency) {
        List<String> values = new ArrayList<>();
        for (CSVRecord row : rows) {
            if (row.get("section").equals(section) && (date.isEmpty() || row.get("date").equals(date))
                    && row.get("metric").equals(metric) && row.get("currency").equals(currency)) {
                values.add(row.get("value"));
            }
        }
        assertThat(values).as(section + " " + date + " " + metric + " " + currency).hasSize(1);
        return values.get(0);
    }
}
