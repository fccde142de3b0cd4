package io.github.cartrecovery.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.github.cartrecovery.capture.CaptureBuffer;
import io.github.cartrecovery.capture.CaptureReconciliation;
import io.github.cartrecovery.capture.CaptureRejections;
import io.github.cartrecovery.delivery.MessageDelivery;
import io.github.cartrecovery.scheduling.ClusteredScheduler;
import io.github.cartrecovery.scheduling.JobRunLog;
import io.github.cartrecovery.scheduling.ScheduledJob;
import io.github.cartrecovery.state.PluginSettings;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;
import io.github.cartrecovery.testing.TestClock;

/**
 * Each health check turns red when its trouble starts and green when it is over, in a store of its own (a fresh
 * database, so other tests' messages and job runs do not count), with time moved by the plugin's clock.
 */
@BroadleafWithPlugin
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HealthChecksIT {

    static final List<String> PLUGIN = Collections.singletonList("bl-cartrecovery-applicationContext.xml");

    private PluginContext store;
    private TestClock clock;
    private Health health;
    private JdbcTemplate jdbc;
    private int smtpPort;

    @BeforeAll
    void bootAStoreOfItsOwn(PluginContext shared) {
        smtpPort = Messages.freePort();
        Map<String, String> settings = new HashMap<>();
        settings.put("cartrecovery.delivery.smtp.host", "127.0.0.1");
        settings.put("cartrecovery.delivery.smtp.port", String.valueOf(smtpPort));
        settings.put("cartrecovery.delivery.smtp.connect-timeout-ms", "2000");
        store = shared.bootAnotherStore(PLUGIN, settings);
        clock = store.clock();
        health = store.bean("crHealth", Health.class);
        jdbc = new JdbcTemplate(store.bean("crDataSource", DataSource.class));
    }

    @AfterAll
    void closeTheStore() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void schedulerIsDownWhenAJobMissedTwoIntervalsAndUpWhenItRanAgain() {
        recordARunOfEveryJob("node-a");
        assertThat(check("scheduler").getStatus()).isEqualTo(HealthStatus.UP);

        // detect-abandoned-carts runs every 60 s: two intervals and the 60 s grace later it is overdue
        clock.advance(Duration.ofSeconds(181));
        CheckResult stalled = check("scheduler");
        assertThat(stalled.getStatus()).isEqualTo(HealthStatus.DOWN);
        assertThat(keys(stalled)).contains("job-stalled:detect-abandoned-carts", "job-stalled:raise-alerts")
                .doesNotContain("job-stalled:purge-expired-data"); // hourly: not overdue yet

        recordARunOfEveryJob("node-b"); // any node of the cluster will do
        assertThat(check("scheduler").getStatus()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void aJobOnEveryNodeMustRunOnEachNodeOfTheCluster() {
        DataSource dataSource = store.bean("crDataSource", DataSource.class);
        ScheduledJob everywhere = new ScheduledJob("send-everywhere", () -> 0, 30, true);
        SchedulerCheck check = new SchedulerCheck(dataSource, store.bean("crScheduler", ClusteredScheduler.class), false,
                "node-a", 60, clock).forJobs(Collections.singletonList(everywhere));
        jdbc.update("INSERT INTO CR_QRTZ_SCHEDULER_STATE (SCHED_NAME, INSTANCE_NAME, LAST_CHECKIN_TIME, CHECKIN_INTERVAL)"
                + " VALUES ('CartRecovery', 'Node-B', ?, 15000)", System.currentTimeMillis());
        try {
            JobRunLog runs = store.bean("crJobRunLog", JobRunLog.class);
            runs.record("send-everywhere", "Node-C", clock.instant(), 5, JobRunLog.Outcome.SUCCEEDED, 0, null);
            clock.advance(Duration.ofSeconds(121));
            CheckResult result = check.check(clock.instant());
            assertThat(result.getStatus()).isEqualTo(HealthStatus.DOWN);
            assertThat(keys(result)).containsExactly("job-stalled:send-everywhere:node-b");

            runs.record("send-everywhere", "Node-B", clock.instant(), 5, JobRunLog.Outcome.SUCCEEDED, 0, null);
            assertThat(check.check(clock.instant()).getStatus()).isEqualTo(HealthStatus.UP);
        } finally {
            jdbc.update("DELETE FROM CR_QRTZ_SCHEDULER_STATE WHERE INSTANCE_NAME = 'Node-B'");
        }
    }

    @Test
    void mailServerIsDownWhenRealSendsFailForFiveMinutesAndUpWithTheNextAcceptedOne() {
        Messages messages = new Messages(store);
        MessageDelivery delivery = store.bean("crMessageDelivery", MessageDelivery.class);
        GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try {
            long first = messages.dueNow();
            delivery.deliverDue(50);
            assertThat(messages.status(first)).isEqualTo("SENT");
            assertThat(check("mailServer").getStatus()).isEqualTo(HealthStatus.UP);
        } finally {
            smtp.stop();
        }

        clock.advance(Duration.ofMinutes(1));
        long refused = messages.dueNow();
        delivery.deliverDue(50); // nobody listens on the port: rescheduled (RETRY_SCHEDULED)
        assertThat(messages.status(refused)).isEqualTo("PLANNED");
        assertThat(check("mailServer").getStatus()).as("failing for less than 5 minutes").isEqualTo(HealthStatus.UP);
        clock.advance(Duration.ofMinutes(5));
        CheckResult failing = check("mailServer");
        assertThat(failing.getStatus()).isEqualTo(HealthStatus.DOWN);
        assertThat(keys(failing)).containsExactly("mail-server");
        assertThat(failing.getDetails().get("failuresSinceLastSent")).isEqualTo(1L);

        smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try {
            clock.advance(Duration.ofHours(1)); // past the retry's back-off
            delivery.deliverDue(50);
            assertThat(messages.status(refused)).isEqualTo("SENT");
            assertThat(check("mailServer").getStatus()).isEqualTo(HealthStatus.UP);
        } finally {
            smtp.stop();
        }
    }

    @Test
    void backlogIsDownWhenADueMessageWaitedThirtyMinutesAndUpOnceItIsSent() {
        Messages messages = new Messages(store);
        long waiting = messages.dueNow();
        clock.advance(Duration.ofMinutes(30));
        assertThat(check("backlog").getStatus()).isEqualTo(HealthStatus.UP);
        clock.advance(Duration.ofMinutes(1));
        CheckResult late = check("backlog");
        assertThat(late.getStatus()).isEqualTo(HealthStatus.DOWN);
        assertThat(keys(late)).containsExactly("backlog");
        assertThat(late.getDetails().get("dueMessages")).isEqualTo(1L);

        GreenMail smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try {
            store.bean("crMessageDelivery", MessageDelivery.class).deliverDue(50);
        } finally {
            smtp.stop();
        }
        assertThat(messages.status(waiting)).isEqualTo("SENT");
        assertThat(check("backlog").getStatus()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void captureIsDownWhenMoreThanTenRowsWereRejectedInAnHourAndUpAnHourLater() {
        CaptureRejections rejections = store.bean("crCaptureRejections", CaptureRejections.class);
        for (long order = 900_001; order <= 900_010; order++) {
            rejections.record(order, CaptureRejections.Source.STOREFRONT, "email", "address too long", "j***@example.com");
        }
        assertThat(check("capture").getStatus()).as("ten is the limit").isEqualTo(HealthStatus.UP);
        rejections.record(900_011, CaptureRejections.Source.STOREFRONT, "email", "address too long", "j***@example.com");
        CheckResult rejecting = check("capture");
        assertThat(rejecting.getStatus()).isEqualTo(HealthStatus.DOWN);
        assertThat(keys(rejecting)).containsExactly("capture-rejections");

        clock.advance(Duration.ofMinutes(61));
        assertThat(check("capture").getStatus()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void captureIsDownWhileTheBufferIsFullAndUpOnceItIsWritten() {
        CaptureBuffer buffer = store.bean("crCaptureBuffer", CaptureBuffer.class);
        buffer.flush();
        CaptureCheck smallBuffer = new CaptureCheck(store.bean("crDataSource", DataSource.class), buffer,
                store.bean("crCaptureReconciliation", CaptureReconciliation.class), 1, 100, 10, 2000, 60, 1440);
        store.store().cartWithEmail("buffered@example.com"); // Broadleaf's order event: the cart waits in the buffer
        CheckResult full = smallBuffer.check(clock.instant());
        assertThat(full.getStatus()).isEqualTo(HealthStatus.DOWN);
        assertThat(keys(full)).containsExactly("capture-buffer");

        buffer.flush();
        assertThat(smallBuffer.check(clock.instant()).getStatus()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void captureIsDownWhileReconciliationLagsAndUpWhenItCaughtUp() {
        PluginSettings settings = store.bean("crPluginSettings", PluginSettings.class);
        store.store().cartWithEmail("lag-1@example.com");
        store.store().cartWithEmail("lag-2@example.com");
        store.store().cartWithEmail("lag-3@example.com");
        store.bean("crCaptureBuffer", CaptureBuffer.class).flush();
        // one order per run, a run a minute, at most one minute behind: three orders ahead is three minutes
        CaptureCheck slowReconciliation = new CaptureCheck(store.bean("crDataSource", DataSource.class),
                store.bean("crCaptureBuffer", CaptureBuffer.class),
                store.bean("crCaptureReconciliation", CaptureReconciliation.class), 50000, 90, 10, 1, 60, 1);
        String cursor = settings.read("RECONCILE_ORDER_CURSOR");
        try {
            settings.write("RECONCILE_ORDER_CURSOR", "0");
            CheckResult lagging = slowReconciliation.check(clock.instant());
            assertThat(lagging.getStatus()).isEqualTo(HealthStatus.DOWN);
            assertThat(keys(lagging)).containsExactly("reconciliation-lag");

            Long newest = jdbc.queryForObject("SELECT MAX(ORDER_ID) FROM BLC_ORDER", Long.class);
            settings.write("RECONCILE_ORDER_CURSOR", String.valueOf(newest)); // the pass reached the newest order
            assertThat(slowReconciliation.check(clock.instant()).getStatus()).isEqualTo(HealthStatus.UP);
        } finally {
            settings.write("RECONCILE_ORDER_CURSOR", cursor == null ? "0" : cursor);
        }
    }

    @Test
    void databaseIsDownWhileItRefusesConnectionsAndUpWhenItAnswersAgain() {
        DataSource real = store.bean("crDataSource", DataSource.class);
        boolean[] down = {false};
        DataSource switchable = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (down[0] && method.getName().equals("getConnection")) {
                        throw new SQLException("Connection refused", "08001");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        DatabaseCheck check = new DatabaseCheck(switchable, 2);
        assertThat(check.check(clock.instant()).getStatus()).isEqualTo(HealthStatus.UP);
        down[0] = true;
        CheckResult refused = check.check(clock.instant());
        assertThat(refused.getStatus()).isEqualTo(HealthStatus.DOWN);
        assertThat(refused.getSummary()).contains("08001");
        down[0] = false;
        assertThat(check.check(clock.instant()).getStatus()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void theReportIsEvaluatedOncePerCachePeriod() {
        HealthReport first = health.report();
        assertThat(health.report()).isSameAs(first);
        clock.advance(Duration.ofSeconds(4));
        assertThat(health.report()).isSameAs(first);
        clock.advance(Duration.ofSeconds(1));
        HealthReport next = health.report();
        assertThat(next).isNotSameAs(first);
        assertThat(next.getChecks()).extracting(CheckResult::getName)
                .containsExactly("scheduler", "mailServer", "backlog", "capture", "database");
        assertThat(next.toJson(false)).isEqualTo("{\"status\":\"" + next.getStatus() + "\"}");
        assertThat(next.toJson(true)).contains("\"checks\":{\"scheduler\":{\"status\":");
    }

    private CheckResult check(String name) {
        return health.evaluate().check(name);
    }

    private void recordARunOfEveryJob(String node) {
        JobRunLog runs = store.bean("crJobRunLog", JobRunLog.class);
        Instant now = clock.instant();
        for (ScheduledJob job : store.context().getBeansOfType(ScheduledJob.class).values()) {
            runs.record(job.getName(), node, now, 10, JobRunLog.Outcome.SUCCEEDED, 0, null);
        }
    }

    private static List<String> keys(CheckResult result) {
        return result.getProblems().stream().map(Problem::getKey).collect(Collectors.toList());
    }
}
