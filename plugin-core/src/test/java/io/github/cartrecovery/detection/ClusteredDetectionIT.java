package io.github.cartrecovery.detection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.github.cartrecovery.state.PluginActivation;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.CartRows;
import io.github.cartrecovery.testing.PluginContext;

/**
 * Two Broadleaf nodes on one database detect the same due carts: each cart changes exactly once, and a
 * node stopped in the middle leaves nothing behind. Runs on HSQLDB, PostgreSQL and MariaDB.
 */
@BroadleafWithPlugin
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusteredDetectionIT {

    static final List<String> PLUGIN = Collections.singletonList("bl-cartrecovery-applicationContext.xml");

    /** The second node, booted once for both tests (a Broadleaf boot is the slow part); the last test stops it. */
    static PluginContext nodeB;

    @BeforeAll
    static void bootSecondNode(PluginContext nodeA) {
        nodeB = nodeA.bootAnotherNode(PLUGIN, Collections.emptyMap());
    }

    @AfterAll
    static void stopSecondNode() {
        if (nodeB != null && nodeB.context().isActive()) {
            nodeB.close();
        }
    }

    @Test
    @Order(1)
    void twoNodesDetectTenThousandDueCartsExactlyOnceBetweenThem(PluginContext nodeA) throws Exception {
        CartRows rows = new CartRows(nodeA.database().dataSource());
        AbandonmentDetector detectorA = nodeA.bean("crAbandonmentDetector", AbandonmentDetector.class);
        List<Long> carts = dueCarts(nodeA, rows, detectorA, 10_000);

        nodeB.clock().set(nodeA.clock().instant());
        AbandonmentDetector detectorB = nodeB.bean("crAbandonmentDetector", AbandonmentDetector.class);
        ExecutorService nodes = Executors.newFixedThreadPool(2);
        try {
            Future<AbandonmentDetector.Result> a = nodes.submit(detectorA::detect);
            Future<AbandonmentDetector.Result> b = nodes.submit(detectorB::detect);

            int transitions = a.get().abandoned() + b.get().abandoned();

            assertThat(transitions).isEqualTo(10_000);
            assertThat(rows.countWithStatus(carts, "ABANDONED")).isEqualTo(10_000);
        } finally {
            nodes.shutdownNow();
        }
    }

    @Test
    @Order(2)
    void nodeStoppedMidRunLosesNothing(PluginContext nodeA) {
        CartRows rows = new CartRows(nodeA.database().dataSource());
        AbandonmentDetector detectorA = nodeA.bean("crAbandonmentDetector", AbandonmentDetector.class);
        List<Long> carts = dueCarts(nodeA, rows, detectorA, 2_000);

        nodeB.clock().set(nodeA.clock().instant());
        // node B gets through one batch of its pass, then the node stops
        int byB = nodeB.bean("crAbandonmentDetector", AbandonmentDetector.class).detectBatch().abandoned();
        nodeB.close();
        assertThat(byB).isPositive().isLessThan(2_000);

        int byA = detectorA.detect().abandoned();

        assertThat(byA + byB).isEqualTo(2_000);
        assertThat(rows.countWithStatus(carts, "ABANDONED")).isEqualTo(2_000);
    }

    /** Clears whatever else is due, then adds {@code count} carts that are due now and nothing else. */
    private static List<Long> dueCarts(PluginContext node, CartRows rows, AbandonmentDetector detector, int count) {
        node.bean("crPluginActivation", PluginActivation.class).activatedAt();
        node.clock().advance(Duration.ofHours(2));
        detector.detect();
        return rows.activeCarts(count, node.clock().instant().minus(Duration.ofMinutes(61)));
    }
}
