package io.github.cartrecovery.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import io.github.cartrecovery.detection.AbandonmentDetector;
import io.github.cartrecovery.metrics.PluginMetrics;
import io.github.cartrecovery.state.PluginActivation;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.CartRows;
import io.github.cartrecovery.testing.PluginContext;

/**
 * The plugin's jobs run on Quartz's clustered store across nodes: both nodes join one cluster, a job
 * fires on one of them, its run is recorded, and when a node stops the other still runs the job.
 */
@BroadleafWithPlugin
class ClusteredSchedulerIT {

    static final List<String> PLUGIN = Collections.singletonList("bl-cartrecovery-applicationContext.xml");

    @Test
    void jobsRunOnTheClusterAndSurviveANodeStopping(PluginContext store) throws Exception {
        DataSource dataSource = store.database().dataSource();
        CartRows rows = new CartRows(dataSource);
        store.bean("crPluginActivation", PluginActivation.class).activatedAt();
        store.clock().advance(Duration.ofHours(2));
        store.bean("crAbandonmentDetector", AbandonmentDetector.class).detect();
        List<Long> carts = rows.activeCarts(50, store.clock().instant().minus(Duration.ofMinutes(61)));

        Map<String, String> scheduled = new HashMap<>();
        scheduled.put("cartrecovery.scheduler.enabled", "true");
        scheduled.put("cartrecovery.scheduler.cluster-checkin-interval-ms", "2000");
        scheduled.put("cartrecovery.scheduler.idle-wait-ms", "1000");
        // long intervals: the test fires the jobs itself
        scheduled.put("cartrecovery.detection.interval-seconds", "3600");
        scheduled.put("cartrecovery.reconciliation.interval-seconds", "3600");

        try (PluginContext nodeA = store.bootAnotherNode(PLUGIN, scheduled)) {
            PluginContext nodeB = store.bootAnotherNode(PLUGIN, scheduled);
            try {
                nodeA.clock().set(store.clock().instant());
                nodeB.clock().set(store.clock().instant());
                ClusteredScheduler schedulerA = nodeA.bean("crScheduler", ClusteredScheduler.class);
                ClusteredScheduler schedulerB = nodeB.bean("crScheduler", ClusteredScheduler.class);
                assertThat(schedulerA.nodeId()).isNotEqualTo(schedulerB.nodeId());
                assertThat(clusterMembers(dataSource)).contains(schedulerA.nodeId(), schedulerB.nodeId());

                assertThat(new HashSet<>(Arrays.asList(jmxDomain(store), jmxDomain(nodeA), jmxDomain(nodeB))))
                        .as("three plugin contexts in one JVM, three JMX domains").hasSize(3);

                JobLines lines = JobLines.attach();
                try {
                    schedulerA.triggerNow("detect-abandoned-carts");
                    waitUntil(() -> rows.countWithStatus(carts, "ABANDONED") == 50);
                    JobRunLog runs = nodeA.bean("crJobRunLog", JobRunLog.class);
                    // the run that moved the carts (the fire every node's start-up schedules may come before or after it)
                    waitUntil(() -> runs.latest("detect-abandoned-carts", 10).stream().anyMatch(recorded -> recorded.items > 0));
                    JobRunLog.JobRun run = runs.latest("detect-abandoned-carts", 10).stream().filter(recorded -> recorded.items > 0)
                            .findFirst().get();
                    assertThat(run.outcome).isEqualTo(JobRunLog.Outcome.SUCCEEDED);
                    assertThat(run.items).isEqualTo(50);
                    assertThat(Arrays.asList(schedulerA.nodeId(), schedulerB.nodeId())).contains(run.nodeId);

                    // one INFO line for the run, with node and job in the message and in log4j's MDC
                    waitUntil(() -> lines.of("detect-abandoned-carts").stream().anyMatch(line -> line.message.contains(": 50 items")));
                    assertThat(lines.of("detect-abandoned-carts")).filteredOn(line -> line.message.contains(": 50 items"))
                            .singleElement().satisfies(line -> {
                        assertThat(line.level).isEqualTo("INFO");
                        assertThat(line.message).matches("Cart Recovery job detect-abandoned-carts on "
                                + java.util.regex.Pattern.quote(run.nodeId) + ": 50 items in \\d+ ms");
                        assertThat(line.node).isEqualTo(run.nodeId);
                    });
                    // the node that ran it timed each of its runs (the one fired at start-up included)
                    PluginContext ran = run.nodeId.equals(schedulerA.nodeId()) ? nodeA : nodeB;
                    io.micrometer.core.instrument.Timer timer = ran.bean("crMetrics", PluginMetrics.class).registry()
                            .get(PluginMetrics.JOB_RUNS).tag("job", "detect_abandoned_carts").tag("outcome", "succeeded").timer();
                    // (not compared with the run log's count: jobs keep firing, and a run is logged and timed at
                    // slightly different instants, so the two counts need not meet at any poll)
                    waitUntil(() -> timer.count() >= 1);
                } finally {
                    lines.detach();
                }
            } finally {
                nodeB.close();
            }

            List<Long> more = rows.activeCarts(20, nodeA.clock().instant().minus(Duration.ofMinutes(61)));
            nodeA.bean("crScheduler", ClusteredScheduler.class).triggerNow("detect-abandoned-carts");
            waitUntil(() -> rows.countWithStatus(more, "ABANDONED") == 20);
        }
    }

    /**
     * Nodes restarted together with delivery moved to every node (the reliability suite's clock-skew scenario) each
     * delete the clustered job the old configuration left, at the same moment; Quartz reads the job's triggers
     * outside its lock, so a node could find them half deleted and fail to start. Every node must start, and the
     * old job be gone. (The race is narrow: {@code ClusteredSchedulerRegistrationTest} forces it; this runs the
     * real store, several rounds of nodes starting at once.)
     */
    @Test
    void nodesStartingTogetherAllStartWhileTheyRemoveAnOldClusteredJob(PluginContext store) throws Exception {
        DataSource dataSource = store.database().dataSource();
        JobRunLog runLog = store.bean("crJobRunLog", JobRunLog.class);
        int nodes = 4;
        java.util.concurrent.ExecutorService starters = java.util.concurrent.Executors.newFixedThreadPool(nodes);
        try {
            for (int round = 0; round < 10; round++) {
                ClusteredScheduler old = scheduler(dataSource, runLog, false);
                old.start();
                old.stop();
                assertThat(quartzJobs(dataSource)).as("the old configuration's clustered job").contains("race-job");

                List<ClusteredScheduler> restarted = new java.util.ArrayList<>();
                for (int i = 0; i < nodes; i++) {
                    restarted.add(scheduler(dataSource, runLog, true));
                }
                java.util.concurrent.CountDownLatch together = new java.util.concurrent.CountDownLatch(1);
                List<java.util.concurrent.Future<?>> started = new java.util.ArrayList<>();
                for (ClusteredScheduler node : restarted) {
                    started.add(starters.submit(() -> {
                        together.await();
                        node.start();
                        return null;
                    }));
                }
                together.countDown();
                try {
                    for (java.util.concurrent.Future<?> start : started) {
                        start.get(60, java.util.concurrent.TimeUnit.SECONDS); // a node that failed to start throws here
                    }
                    assertThat(restarted).allMatch(ClusteredScheduler::isRunning);
                    assertThat(quartzJobs(dataSource)).as("round " + round).doesNotContain("race-job");
                } finally {
                    restarted.forEach(ClusteredScheduler::stop);
                }
            }
        } finally {
            starters.shutdownNow();
        }
    }

    /** A node with one job: clustered (the old configuration) or on every node (the new one); its interval is long. */
    private static ClusteredScheduler scheduler(DataSource dataSource, JobRunLog runLog, boolean onEveryNode) {
        org.springframework.context.support.StaticApplicationContext beans = new org.springframework.context.support.StaticApplicationContext();
        beans.getBeanFactory().registerSingleton("raceJob", new ScheduledJob("race-job", () -> 0, 3600, onEveryNode));
        beans.refresh();
        ClusteredScheduler scheduler = new ClusteredScheduler(dataSource, java.time.Clock.systemUTC(), runLog, true, null, 1,
                2000, 1000);
        scheduler.setApplicationContext(beans);
        return scheduler;
    }

    private static Set<String> quartzJobs(DataSource dataSource) throws Exception {
        return column(dataSource, "SELECT JOB_NAME FROM CR_QRTZ_JOB_DETAILS");
    }

    private static Set<String> clusterMembers(DataSource dataSource) throws Exception {
        return column(dataSource, "SELECT INSTANCE_NAME FROM CR_QRTZ_SCHEDULER_STATE");
    }

    private static Set<String> column(DataSource dataSource, String query) throws Exception {
        Set<String> values = new HashSet<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(query)) {
            while (row.next()) {
                values.add(row.getString(1));
            }
        }
        return values;
    }

    /** Quartz fires on its own threads: poll (bounded) instead of sleeping a fixed time. */
    private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 60 s");
            }
            Thread.sleep(100);
        }
    }

    private static String jmxDomain(PluginContext context) {
        return context.bean("crMetrics", PluginMetrics.class).jmxDomain();
    }

    /** The scheduler's log lines as log4j receives them, with the MDC of the thread that logged. */
    static final class JobLines extends org.apache.log4j.AppenderSkeleton {
        static final class Line {
            final String level;
            final String message;
            final String node;
            final String job;

            Line(org.apache.log4j.spi.LoggingEvent event) {
                level = event.getLevel().toString();
                message = String.valueOf(event.getMessage());
                node = (String) event.getMDC(JobLogContext.NODE);
                job = (String) event.getMDC(JobLogContext.JOB);
            }
        }

        private final List<Line> lines = new java.util.concurrent.CopyOnWriteArrayList<>();

        static JobLines attach() {
            JobLines appender = new JobLines();
            org.apache.log4j.Logger.getLogger(ClusteredScheduler.class).addAppender(appender);
            return appender;
        }

        void detach() {
            org.apache.log4j.Logger.getLogger(ClusteredScheduler.class).removeAppender(this);
        }

        List<Line> of(String job) {
            return lines.stream().filter(line -> job.equals(line.job)).collect(java.util.stream.Collectors.toList());
        }

        @Override
        protected void append(org.apache.log4j.spi.LoggingEvent event) {
            lines.add(new Line(event));
        }

        @Override
        public void close() {
        }

        @Override
        public boolean requiresLayout() {
            return false;
        }
    }
}
