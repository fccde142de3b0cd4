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

                schedulerA.triggerNow("detect-abandoned-carts");
                waitUntil(() -> rows.countWithStatus(carts, "ABANDONED") == 50);
                JobRunLog runs = nodeA.bean("crJobRunLog", JobRunLog.class);
                waitUntil(() -> !runs.latest("detect-abandoned-carts", 1).isEmpty());
                JobRunLog.JobRun run = runs.latest("detect-abandoned-carts", 1).get(0);
                assertThat(run.outcome).isEqualTo(JobRunLog.Outcome.SUCCEEDED);
                assertThat(run.items).isEqualTo(50);
                assertThat(Arrays.asList(schedulerA.nodeId(), schedulerB.nodeId())).contains(run.nodeId);
            } finally {
                nodeB.close();
            }

            List<Long> more = rows.activeCarts(20, nodeA.clock().instant().minus(Duration.ofMinutes(61)));
            nodeA.bean("crScheduler", ClusteredScheduler.class).triggerNow("detect-abandoned-carts");
            waitUntil(() -> rows.countWithStatus(more, "ABANDONED") == 20);
        }
    }

    private static Set<String> clusterMembers(DataSource dataSource) throws Exception {
        Set<String> members = new HashSet<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT INSTANCE_NAME FROM CR_QRTZ_SCHEDULER_STATE")) {
            while (row.next()) {
                members.add(row.getString(1));
            }
        }
        return members;
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
}
