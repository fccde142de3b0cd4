package io.github.cartrecovery.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.broadleafcommerce.core.order.domain.Order;
import org.junit.jupiter.api.Test;

import io.github.cartrecovery.scheduling.ClusteredScheduler;
import io.github.cartrecovery.scheduling.JobRunLog;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;

/**
 * {@code cartrecovery.delivery.every-node=true}: the scheduled delivery job runs on every node at once. Two
 * scheduled nodes share a pile of due messages and an SMTP server that greets no client until two are connected
 * at the same time (or 10 s have passed): with the job on one node at a time the second connection never comes.
 */
@BroadleafWithPlugin
class EveryNodeDeliveryIT {

    private static final int MESSAGES = 40;

    @Test
    void deliveryRunsOnEveryNodeAtOnce(PluginContext store) throws Exception {
        RecoveryFixture fixture = new RecoveryFixture(store);
        Instant start = fixture.nextMorning();
        Order cart = fixture.abandonedCart(RecoveryFixture.uniqueEmail("every-node"));
        long campaignId = fixture.pile(cart.getId(), MESSAGES, "every-node.example.com");
        // earlier tests' messages still due would be claimed first (they are older): with them out of the way, the
        // claims the nodes hold when the SMTP server lets them in are both from the pile
        fixture.jdbc.update("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'SKIPPED' WHERE STATUS = 'PLANNED' AND CAMPAIGN_ID <> ? "
                + "AND DUE_AT <= ?", campaignId, Timestamp.from(start));

        try (MeetingSmtpServer smtp = new MeetingSmtpServer(2, Duration.ofSeconds(10));
             PluginContext nodeA = store.bootAnotherNode(ClusteredNodes.PLUGIN, ClusteredNodes.settings(smtp.port()));
             PluginContext nodeB = store.bootAnotherNode(ClusteredNodes.PLUGIN, ClusteredNodes.settings(smtp.port()))) {
            nodeA.clock().set(fixture.clock.instant());
            nodeB.clock().set(fixture.clock.instant());

            assertThat(eventually(() -> fixture.jdbc.queryForObject("SELECT COUNT(*) FROM CR_PLANNED_MESSAGE WHERE CAMPAIGN_ID = ? "
                    + "AND STATUS IN ('PLANNED', 'CLAIMED', 'PREPARED', 'SENDING')", Integer.class, campaignId) == 0, Duration.ofSeconds(90)))
                    .as("every message of the pile handled within 90 s").isTrue();

            assertThat(smtp.mostConnectedAtOnce()).as("SMTP connections open at the same time").isEqualTo(2);
            List<String> pile = new ArrayList<>();
            for (String recipient : smtp.delivered()) {
                if (recipient.endsWith("@every-node.example.com")) {
                    pile.add(recipient);
                }
            }
            assertThat(pile).hasSize(MESSAGES);
            assertThat(new HashSet<>(pile)).hasSize(MESSAGES);
            JobRunLog runLog = store.bean("crJobRunLog", JobRunLog.class);
            Set<String> nodes = new HashSet<>(Arrays.asList(schedulerNode(nodeA), schedulerNode(nodeB)));
            assertThat(fixture.jdbc.queryForObject("SELECT COUNT(DISTINCT CLAIMED_BY) FROM CR_PLANNED_MESSAGE "
                    + "WHERE CAMPAIGN_ID = ? AND STATUS = 'SENT'", Integer.class, campaignId))
                    .as("nodes that claimed and sent part of the pile; their runs: %s", runsOf(runLog, nodes)).isEqualTo(2);
            // a run is logged when it ends, after its last message: the pile can be sent before both runs are logged
            eventually(() -> delivering(runLog, nodes).size() == 2, Duration.ofSeconds(30));
            assertThat(delivering(runLog, nodes)).as("nodes whose delivery runs sent messages; their runs: %s",
                    runsOf(runLog, nodes)).isEqualTo(nodes);
        } finally {
            fixture.jdbc.update("UPDATE CR_CAMPAIGN SET STATUS = 'DISABLED' WHERE ID = ?", campaignId);
        }
    }

    /** Scheduled nodes delivering to the given port on their own timers; the other jobs practically idle. */
    private static final class ClusteredNodes {
        static final List<String> PLUGIN = Arrays.asList("bl-cartrecovery-applicationContext.xml");

        static Map<String, String> settings(int smtpPort) {
            Map<String, String> settings = new HashMap<>();
            settings.put("cartrecovery.scheduler.enabled", "true");
            settings.put("cartrecovery.scheduler.cluster-checkin-interval-ms", "2000");
            settings.put("cartrecovery.scheduler.idle-wait-ms", "1000");
            settings.put("cartrecovery.delivery.every-node", "true");
            settings.put("cartrecovery.delivery.interval-seconds", "1");
            settings.put("cartrecovery.delivery.batch-size", "5");
            settings.put("cartrecovery.delivery.smtp.host", "127.0.0.1");
            settings.put("cartrecovery.delivery.smtp.port", String.valueOf(smtpPort));
            settings.put("cartrecovery.delivery.smtp.timeout-ms", "30000");
            settings.put("cartrecovery.delivery.frequency-cap.messages", "0");
            // A node's clock starts at a default and the test sets it only after the boot (so that neither node sees
            // the pile before both are up): a run that began just before that set is logged at the default time,
            // over a year before the test's, and the next record's pruning of runs older than the history would
            // delete it with the messages it sent. Keep every run.
            settings.put("cartrecovery.jobs.history-days", "36500");
            for (String job : new String[] {"detection", "reconciliation", "attribution"}) {
                settings.put("cartrecovery." + job + ".interval-seconds", "3600");
            }
            settings.put("cartrecovery.campaigns.planning-interval-seconds", "3600");
            settings.put("cartrecovery.reports.rollup-interval-seconds", "3600");
            settings.put("cartrecovery.coupons.cleanup-interval-seconds", "3600");
            return settings;
        }
    }

    private static String schedulerNode(PluginContext node) {
        return node.bean("crScheduler", ClusteredScheduler.class).nodeId();
    }

    /** Those of the given nodes whose logged delivery runs sent something. */
    private static Set<String> delivering(JobRunLog runLog, Set<String> nodes) {
        Set<String> delivering = new HashSet<>();
        for (JobRunLog.JobRun run : runsOf(runLog, nodes)) {
            if (run.items > 0) {
                delivering.add(run.nodeId);
            }
        }
        return delivering;
    }

    /** The given nodes' logged delivery runs (other tests' nodes may have logged runs with later clocks). */
    private static List<JobRunLog.JobRun> runsOf(JobRunLog runLog, Set<String> nodes) {
        List<JobRunLog.JobRun> runs = new ArrayList<>();
        for (JobRunLog.JobRun run : runLog.latest("deliver-recovery-messages", 100_000)) {
            if (nodes.contains(run.nodeId)) {
                runs.add(run);
            }
        }
        return runs;
    }

    /** Polls the condition until it holds (true) or {@code patience} has passed (false). */
    private static boolean eventually(BooleanSupplier condition, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(200);
        }
        return true;
    }

    /**
     * An SMTP server that holds its greeting until {@code parties} clients are connected at once (or {@code patience}
     * has passed, so a lone client is served late rather than never), then converses as {@link RejectingSmtpServer}.
     */
    private static final class MeetingSmtpServer implements AutoCloseable {
        private final ServerSocket socket;
        private final CountDownLatch meeting;
        private final Duration patience;
        private final AtomicInteger connected = new AtomicInteger();
        private final AtomicInteger mostAtOnce = new AtomicInteger();
        private final List<String> delivered = new CopyOnWriteArrayList<>();

        MeetingSmtpServer(int parties, Duration patience) throws IOException {
            this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            this.meeting = new CountDownLatch(parties);
            this.patience = patience;
            Thread acceptor = new Thread(this::accept, "meeting-smtp");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        int mostConnectedAtOnce() {
            return mostAtOnce.get();
        }

        List<String> delivered() {
            return delivered;
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket client = socket.accept();
                    Thread conversation = new Thread(() -> serve(client), "meeting-smtp-client");
                    conversation.setDaemon(true);
                    conversation.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void serve(Socket client) {
            int now = connected.incrementAndGet();
            mostAtOnce.accumulateAndGet(now, Math::max);
            meeting.countDown();
            try (Socket open = client) {
                meeting.await(patience.toMillis(), TimeUnit.MILLISECONDS);
                RejectingSmtpServer.converse(open, delivered, new CopyOnWriteArrayList<>());
            } catch (IOException | InterruptedException gone) {
                // the client went away, or the test ended
            } finally {
                connected.decrementAndGet();
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
