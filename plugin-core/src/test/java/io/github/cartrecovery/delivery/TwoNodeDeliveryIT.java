package io.github.cartrecovery.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.broadleafcommerce.core.order.domain.Order;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;

import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;
import io.github.cartrecovery.testing.TestDatabase;
import jakarta.mail.internet.MimeMessage;

/**
 * Two Broadleaf nodes on one database deliver the same pile of planned messages at the same time:
 * every message arrives exactly once.
 */
@BroadleafWithPlugin
class TwoNodeDeliveryIT {

    private static final int MESSAGES = Integer.getInteger("cartrecovery.test.two-node-messages", 2000);

    @Test
    void twoNodesDeliverEveryPlannedMessageExactlyOnce(PluginContext node1) throws Exception {
        assumeTrue(TestDatabase.Kind.selected() != TestDatabase.Kind.HSQLDB,
                "shared delivery is a PostgreSQL/MariaDB scenario: HSQLDB's table locks serialise the nodes");
        RecoveryFixture fixture = new RecoveryFixture(node1);
        fixture.nextMorning();
        Order cart = fixture.abandonedCart(RecoveryFixture.uniqueEmail("pile"));
        long campaignId = fixture.pile(cart.getId(), MESSAGES, "two-nodes.example.com");

        int port = RecoveryFixture.freePort();
        GreenMail smtp = RecoveryFixture.greenMail(port);
        ExecutorService nodes = Executors.newFixedThreadPool(2);
        try (PluginContext node2 = node1.bootAnotherNode(Arrays.asList("bl-cartrecovery-applicationContext.xml"),
                Collections.emptyMap())) {
            node2.clock().set(fixture.clock.instant());
            RecoveryFixture fixture2 = new RecoveryFixture(node2);
            ExitRules rules = new ExitRules(0, 1);
            List<Callable<Integer>> work = Arrays.asList(
                    drain(fixture, fixture.deliveryTo(port, rules, "node-1")),
                    drain(fixture, fixture2.deliveryTo(port, rules, "node-2")));
            List<Integer> sentPerNode = new ArrayList<>();
            for (Future<Integer> result : nodes.invokeAll(work)) {
                sentPerNode.add(result.get());
            }

            // Other tests' messages that became due are drained too; count only this pile's.
            List<String> ids = new ArrayList<>();
            for (MimeMessage message : smtp.getReceivedMessages()) {
                if (message.getAllRecipients()[0].toString().endsWith("@two-nodes.example.com")) {
                    ids.add(message.getMessageID());
                }
            }
            String statuses = fixture.jdbc.queryForList("SELECT STATUS, OUTCOME, CLAIMED_BY, COUNT(*) AS N FROM CR_PLANNED_MESSAGE "
                    + "WHERE CAMPAIGN_ID = ? GROUP BY STATUS, OUTCOME, CLAIMED_BY", campaignId).toString();
            assertThat(ids).as("messages received; planned rows by status: %s", statuses).hasSize(MESSAGES);
            assertThat(new HashSet<>(ids)).hasSize(MESSAGES);
            assertThat(sentPerNode.stream().mapToInt(Integer::intValue).sum()).isGreaterThanOrEqualTo(MESSAGES);
            assertThat(sentPerNode).allSatisfy(sent -> assertThat(sent).isPositive());
            assertThat(fixture.jdbc.queryForObject("SELECT COUNT(*) FROM CR_PLANNED_MESSAGE WHERE CAMPAIGN_ID = ? "
                    + "AND STATUS = 'SENT'", Integer.class, campaignId)).isEqualTo(MESSAGES);
        } finally {
            nodes.shutdownNow();
            nodes.awaitTermination(30, TimeUnit.SECONDS);
            smtp.stop();
            fixture.jdbc.update("UPDATE CR_CAMPAIGN SET STATUS = 'DISABLED' WHERE ID = ?", campaignId);
        }
    }

    /**
     * Runs deliverDue in batches until no PLANNED email is left; rows the other node has claimed are its
     * own to finish (deliverDue returns only when its batch is done), so both returning means all done.
     */
    private static Callable<Integer> drain(RecoveryFixture fixture, MessageDelivery delivery) {
        return () -> {
            int sent = 0;
            while (true) {
                sent += delivery.deliverDue(50);
                // email only: these nodes deliver the email channel (other tests' texts and webhooks may be due too)
                Integer open = fixture.jdbc.queryForObject("SELECT COUNT(*) FROM CR_PLANNED_MESSAGE "
                        + "WHERE STATUS = 'PLANNED' AND CHANNEL = 'EMAIL' AND DUE_AT <= ?", Integer.class,
                        new Timestamp(fixture.clock.instant().toEpochMilli()));
                if (open == 0) {
                    return sent;
                }
            }
        };
    }
}
