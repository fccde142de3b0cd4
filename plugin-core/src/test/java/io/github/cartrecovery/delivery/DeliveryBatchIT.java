package io.github.cartrecovery.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.annotation.Resource;
import javax.sql.DataSource;
import javax.mail.Address;
import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.Transport;
import javax.mail.URLName;
import javax.mail.internet.InternetAddress;

import org.broadleafcommerce.core.order.domain.Order;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import com.icegreen.greenmail.util.GreenMail;

import io.github.cartrecovery.campaign.RecoveryPlanner;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;

/**
 * What one delivery batch decides about its own messages: the frequency cap and a bounce earlier in the
 * batch stop later messages of the same batch; a node failing mid-batch leaves nothing stuck and nothing
 * sent twice.
 */
@BroadleafWithPlugin
class DeliveryBatchIT {

    @Resource(name = "crRecoveryPlanner")
    RecoveryPlanner planner;

    RecoveryFixture fixture;

    @BeforeEach
    void fixture(PluginContext broadleaf) {
        fixture = new RecoveryFixture(broadleaf);
    }

    @Test
    void theFrequencyCapAppliesToTwoMessagesToOneAddressInTheSameChunk() {
        String email = RecoveryFixture.uniqueEmail("capped");
        fixture.nextMorning();
        Order first = fixture.abandonedCart(email);
        Order second = fixture.abandonedCart(RecoveryFixture.uniqueEmail("capped-too"));
        planner.planDue();
        readdress(second, email);

        int port = RecoveryFixture.freePort();
        GreenMail smtp = RecoveryFixture.greenMail(port);
        try {
            dueAloneAndInOrder(port, List.of(first, second));
            fixture.deliveryTo(port, new ExitRules(1, 24)).deliverDue(1000);
            assertThat(smtp.getReceivedMessagesForDomain(email)).hasSize(1);
            assertThat(List.of(fixture.messageStatus(first.getId(), 1), fixture.messageStatus(second.getId(), 1)))
                    .containsExactlyInAnyOrder("SENT", "SKIPPED");
            assertThat(List.of(String.valueOf(fixture.messageOutcome(first.getId(), 1)),
                    String.valueOf(fixture.messageOutcome(second.getId(), 1)))).contains(ExitReason.FREQUENCY_CAP.name());
        } finally {
            smtp.stop();
        }
    }

    @Test
    void theFrequencyCapAppliesAcrossChunksOfOneBatch() {
        String email = RecoveryFixture.uniqueEmail("capped-apart");
        fixture.nextMorning();
        List<Order> batch = new ArrayList<>();
        Order first = fixture.abandonedCart(email);
        batch.add(first);
        for (int i = 0; i < MessageDelivery.PREPARE_CHUNK; i++) {
            batch.add(fixture.abandonedCart(RecoveryFixture.uniqueEmail("between")));
        }
        Order last = fixture.abandonedCart(RecoveryFixture.uniqueEmail("capped-apart-too"));
        batch.add(last);
        planner.planDue();
        readdress(last, email);

        int port = RecoveryFixture.freePort();
        GreenMail smtp = RecoveryFixture.greenMail(port);
        try {
            dueAloneAndInOrder(port, batch); // first in chunk 1, last in chunk 2
            fixture.deliveryTo(port, new ExitRules(1, 24)).deliverDue(1000);
            assertThat(smtp.getReceivedMessagesForDomain(email)).hasSize(1);
            assertThat(fixture.messageStatus(first.getId(), 1)).isEqualTo("SENT");
            assertThat(fixture.messageOutcome(last.getId(), 1)).isEqualTo(ExitReason.FREQUENCY_CAP.name());
        } finally {
            smtp.stop();
        }
    }

    @Test
    void aSecondMessageInTheBatchToAnAddressThatJustBouncedIsNotSent() throws Exception {
        String bouncing = RecoveryFixture.uniqueEmail("bounce-twice");
        fixture.nextMorning();
        Order first = fixture.abandonedCart(bouncing);
        Order second = fixture.abandonedCart(RecoveryFixture.uniqueEmail("bounce-twice-too"));
        planner.planDue();
        readdress(second, bouncing);

        try (RejectingSmtpServer smtp = new RejectingSmtpServer()) {
            dueAloneAndInOrder(smtp.port(), List.of(first, second)); // one chunk: both prepared before the bounce
            fixture.deliveryTo(smtp.port(), new ExitRules(0, 1)).deliverDue(1000); // no frequency cap

            assertThat(smtp.rejected()).filteredOn(bouncing::equals).hasSize(1);
            assertThat(List.of(fixture.messageStatus(first.getId(), 1), fixture.messageStatus(second.getId(), 1)))
                    .containsExactly("FAILED", "SKIPPED");
            assertThat(fixture.messageOutcome(second.getId(), 1)).isEqualTo(ExitReason.SUPPRESSED.name());
        }
    }

    @Test
    void whenTheNodeFailsMidBatchTheMessagesNotHandedToSmtpAreDeliveredOnceLater() throws Exception {
        int carts = MessageDelivery.PREPARE_CHUNK + 2; // the first chunk, and one prepared while it is sent
        int port = RecoveryFixture.freePort();
        GreenMail smtp = RecoveryFixture.greenMail(port);
        try {
            List<String> emails = new ArrayList<>();
            List<Order> orders = cartsDueInOrder(carts, "midway", emails, port);
            MessageDelivery healthy = fixture.deliveryTo(port, new ExitRules(0, 1));
            String failing = emails.get(2);
            MessageDelivery failingNode = fixture.deliveryWith(new FailingMailer(port, failing), new ExitRules(0, 1), "failing-node");

            Throwable failure = catchThrowable(() -> failingNode.deliverDue(1000));
            assertThat(failure).as(fixture.describe(orders.get(2).getId())).hasMessageContaining("node stopped");

            assertThat(status(orders.get(0))).isEqualTo("SENT");
            assertThat(status(orders.get(1))).isEqualTo("SENT");
            assertThat(status(orders.get(2))).isEqualTo("SENDING"); // may have reached the server: never again
            for (Order order : orders.subList(3, carts)) {
                assertThat(status(order)).as(fixture.describe(order.getId())).isEqualTo("PLANNED");
            }

            healthy.deliverDue(1000);
            fixture.clock.advance(Duration.ofMinutes(11)); // the failed node's lease on its message at hand expires
            healthy.deliverDue(1000);

            assertDeliveredOnce(smtp, emails, orders, 2);
        } finally {
            smtp.stop();
        }
    }

    /**
     * A node killed while one message is on the wire (its SMTP call never returns; no clean-up runs) leaves that
     * one message SENDING and nothing else: the rest of its chunk and the chunk prepared meanwhile are PREPARED,
     * never handed to SMTP, so another node delivers them once the lease expires; only the message on the wire
     * becomes UNCONFIRMED. (When a chunk was committed SENDING as a whole, this left 13 SENDING rows, all lost.)
     */
    @Test
    void aNodeKilledWithAMessageOnTheWireLeavesOnlyThatMessageUnconfirmed() throws Exception {
        int carts = MessageDelivery.FIRST_CHUNK + MessageDelivery.PREPARE_CHUNK;
        int onTheWire = 2;
        int port = RecoveryFixture.freePort();
        GreenMail smtp = RecoveryFixture.greenMail(port);
        List<String> emails = new ArrayList<>();
        try (StalledNode killed = new StalledNode()) {
            List<Order> orders = cartsDueInOrder(carts, "killed", emails, port);
            killed.start(port, emails.get(onTheWire), true, orders);

            List<String> statuses = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < carts; i++) {
                statuses.add(status(orders.get(i)));
                expected.add(i < onTheWire ? "SENT" : i == onTheWire ? "SENDING" : "PREPARED");
            }
            assertThat(statuses).as("while message " + onTheWire + " is on the wire").isEqualTo(expected);

            fixture.clock.advance(Duration.ofMinutes(11)); // the killed node's leases expire
            MessageDelivery survivor = fixture.deliveryTo(port, new ExitRules(0, 1), "surviving-node");
            survivor.deliverDue(1000);
            survivor.closeIdleConnection();
            assertDeliveredOnce(smtp, emails, orders, onTheWire);

            killed.released.countDown(); // the killed node wakes up and fails: it must change nothing
            assertThat(catchThrowable(killed.run::get)).hasRootCauseMessage("node stopped while sending");
            assertDeliveredOnce(smtp, emails, orders, onTheWire);
        } finally {
            smtp.stop();
        }
    }

    /**
     * Another node judges a node's leases expired while it is still sending (its clock runs ahead, or the first node
     * stalled past its lease): the rows it prepared go back to PLANNED and the other node sends them; the message
     * on its wire is marked UNCONFIRMED. When the first node goes on, its hand-overs find its rows gone, so nothing
     * is sent twice, and the message it did send is recorded SENT after all: UNCONFIRMED is a guess that only the
     * sending node may correct.
     */
    @Test
    void aNodeWhoseLeasesExpireWhileItSendsNeitherSendsTwiceNorLosesTrack() throws Exception {
        int carts = MessageDelivery.FIRST_CHUNK + MessageDelivery.PREPARE_CHUNK;
        int onTheWire = 2;
        int port = RecoveryFixture.freePort();
        GreenMail smtp = RecoveryFixture.greenMail(port);
        List<String> emails = new ArrayList<>();
        try (StalledNode slow = new StalledNode()) {
            List<Order> orders = cartsDueInOrder(carts, "overtaken", emails, port);
            slow.start(port, emails.get(onTheWire), false, orders);

            fixture.clock.advance(Duration.ofMinutes(11)); // past the slow node's leases, on the other node's clock
            MessageDelivery other = fixture.deliveryTo(port, new ExitRules(0, 1), "node-ahead");
            other.deliverDue(1000);
            other.closeIdleConnection();
            assertThat(status(orders.get(onTheWire))).isEqualTo("UNCONFIRMED");

            slow.released.countDown();
            assertThat(slow.run.get(30, TimeUnit.SECONDS)).as("messages the slow node sent").isEqualTo(onTheWire + 1);
            slow.node.closeIdleConnection();
            assertDeliveredOnce(smtp, emails, orders, -1);
        } finally {
            smtp.stop();
        }
    }

    /**
     * The database goes away right after the SMTP server accepted a message, while the node records it SENT and
     * takes the next one to SENDING: that commit fails, having happened or not ({@code answerLost}), and so do the
     * releases after it. The node knows what happened (the accepted message went out, the next one and the rest of
     * the batch did not) and writes it at its next batch, once the database answers: every message is then
     * delivered once and recorded SENT, without waiting for any lease. (Before, the accepted message stayed SENDING
     * and became UNCONFIRMED, and a next message whose SENDING mark committed was lost as UNCONFIRMED too.)
     */
    @ParameterizedTest(name = "commit answer lost: {0}")
    @ValueSource(booleans = {true, false})
    void whenTheDatabaseFailsMidChunkTheNodeWritesWhatItKnowsOnceItIsBack(boolean answerLost) throws Exception {
        int carts = MessageDelivery.FIRST_CHUNK + MessageDelivery.PREPARE_CHUNK;
        int lastAccepted = 2;
        int port = RecoveryFixture.freePort();
        GreenMail smtp = RecoveryFixture.greenMail(port);
        try {
            List<String> emails = new ArrayList<>();
            List<Order> orders = cartsDueInOrder(carts, "db-down", emails, port);
            FailingCommits database = new FailingCommits(fixture.jdbc.getDataSource());
            DataSource flaky = database.dataSource();
            SmtpMailer mailer = new SmtpMailer("127.0.0.1", port, "NONE", "", "", 2000, 5000) {
                @Override
                public Connection open() throws MessagingException {
                    Transport real = session().getTransport();
                    real.connect("127.0.0.1", port, null, null);
                    return new Connection(new ForwardingTransport(session(), real) {
                        @Override
                        public void sendMessage(Message message, Address[] addresses) throws MessagingException {
                            super.sendMessage(message, addresses);
                            if (((InternetAddress) addresses[0]).getAddress().equalsIgnoreCase(emails.get(lastAccepted))) {
                                database.down(Thread.currentThread(), answerLost);
                            }
                        }
                    });
                }
            };
            MessageDelivery node = fixture.deliveryWith(mailer, new ExitRules(0, 1), "flaky-node", flaky,
                    new DataSourceTransactionManager(flaky));

            assertThat(catchThrowable(() -> node.deliverDue(1000))).as("the batch fails with the database").isNotNull();
            database.up();
            node.deliverDue(1000);
            node.closeIdleConnection();

            assertDeliveredOnce(smtp, emails, orders, -1);
        } finally {
            smtp.stop();
        }
    }

    /** Every cart's message received once and SENT, but the one at {@code unconfirmed} (if any): never received, UNCONFIRMED. */
    private void assertDeliveredOnce(GreenMail smtp, List<String> emails, List<Order> orders, int unconfirmed) {
        for (int i = 0; i < orders.size(); i++) {
            String state = i + " " + fixture.describe(orders.get(i).getId());
            assertThat(smtp.getReceivedMessagesForDomain(emails.get(i))).as(state).hasSize(i == unconfirmed ? 0 : 1);
            assertThat(status(orders.get(i))).as(state).isEqualTo(i == unconfirmed ? "UNCONFIRMED" : "SENT");
        }
    }

    /** {@code count} abandoned carts, step 1 planned and due alone and in this order; their addresses go to {@code emails}. */
    private List<Order> cartsDueInOrder(int count, String name, List<String> emails, int smtpPort) {
        fixture.nextMorning();
        List<Order> orders = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            emails.add(RecoveryFixture.uniqueEmail(name));
            orders.add(fixture.abandonedCart(emails.get(i)));
        }
        planner.planDue();
        dueAloneAndInOrder(smtpPort, orders);
        return orders;
    }

    /**
     * A node whose delivery run, on its own thread, hangs in the SMTP call for one message until {@link #released};
     * then it dies there or sends that message after all and goes on.
     */
    private final class StalledNode implements AutoCloseable {
        final ExecutorService thread = Executors.newSingleThreadExecutor();
        final CountDownLatch stalled = new CountDownLatch(1);
        final CountDownLatch released = new CountDownLatch(1);
        MessageDelivery node;
        Future<Integer> run;

        /** Returns once the run hangs on the message to {@code stallAt} and the chunk prepared meanwhile left CLAIMED. */
        void start(int smtpPort, String stallAt, boolean dies, List<Order> orders) throws InterruptedException {
            node = fixture.deliveryWith(new FailingMailer(smtpPort, stallAt, stalled, released, dies), new ExitRules(0, 1),
                    dies ? "killed-node" : "slow-node");
            run = thread.submit(() -> node.deliverDue(1000));
            assertThat(stalled.await(30, TimeUnit.SECONDS)).as("the node reached its message on the wire").isTrue();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (orders.stream().anyMatch(o -> status(o).equals("CLAIMED")) && System.nanoTime() < until) {
                Thread.sleep(50);
            }
        }

        @Override
        public void close() {
            released.countDown();
            thread.shutdownNow();
        }
    }

    /**
     * Makes step 1 of these carts due at odd moments no other test's message shares, one second apart in list
     * order (the planner's order among carts abandoned together is the database's), delivers whatever other
     * tests left due before, and moves the clock to the last: the next batch holds these messages only, in
     * this order.
     */
    private void dueAloneAndInOrder(int smtpPort, List<Order> carts) {
        Instant due = fixture.clock.instant().plus(Duration.ofMinutes(67)).plusSeconds(13);
        for (int i = 0; i < carts.size(); i++) {
            fixture.jdbc.update("UPDATE CR_PLANNED_MESSAGE SET DUE_AT = ? WHERE ORDER_ID = ? AND STEP_NO = 1",
                    new Timestamp(due.plusSeconds(i).toEpochMilli()), carts.get(i).getId());
        }
        fixture.clock.set(due.minusSeconds(1));
        MessageDelivery others = fixture.deliveryTo(smtpPort, new ExitRules(0, 1), "clearing-node");
        while (others.deliverDue(1000) > 0) {
            // other tests' messages due before these
        }
        others.closeIdleConnection();
        fixture.clock.set(due.plusSeconds(carts.size() - 1));
    }

    /** Points a planned message at another address (the planner's cooldown keeps one address to one cart). */
    private void readdress(Order cart, String email) {
        fixture.jdbc.update("UPDATE CR_PLANNED_MESSAGE SET EMAIL = ? WHERE ORDER_ID = ?", email, cart.getId());
    }

    private String status(Order cart) {
        return fixture.messageStatus(cart.getId(), 1);
    }

    /**
     * Sends to the local SMTP server like the real mailer, but the node dies when it reaches one recipient: at once,
     * or (with latches) after hanging there until released, as a node killed mid-send would hang forever.
     */
    private static final class FailingMailer extends SmtpMailer {
        private final int port;
        private final String failAt;
        private final CountDownLatch stalled;
        private final CountDownLatch released;

        private final boolean dies;

        FailingMailer(int port, String failAt) {
            this(port, failAt, new CountDownLatch(1), new CountDownLatch(0), true);
        }

        /** {@code dies}: after the stall the node dies; else it sends that message after all and goes on. */
        FailingMailer(int port, String failAt, CountDownLatch stalled, CountDownLatch released, boolean dies) {
            super("127.0.0.1", port, "NONE", "", "", 2000, 5000);
            this.port = port;
            this.failAt = failAt;
            this.stalled = stalled;
            this.released = released;
            this.dies = dies;
        }

        @Override
        public Connection open() throws MessagingException {
            Transport real = session().getTransport();
            real.connect("127.0.0.1", port, null, null); // no user: no AUTH, as SmtpMailer does
            return new Connection(new FailingTransport(session(), real, this));
        }
    }

    private static final class FailingTransport extends ForwardingTransport {
        private final FailingMailer mailer;

        FailingTransport(Session session, Transport real, FailingMailer mailer) {
            super(session, real);
            this.mailer = mailer;
        }

        @Override
        public void sendMessage(Message message, Address[] addresses) throws MessagingException {
            for (Address address : addresses) {
                if (((InternetAddress) address).getAddress().equalsIgnoreCase(mailer.failAt)) {
                    mailer.stalled.countDown();
                    try {
                        mailer.released.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    if (mailer.dies) {
                        throw new IllegalStateException("node stopped while sending");
                    }
                }
            }
            super.sendMessage(message, addresses);
        }
    }

    /** Sends through a real, connected transport. */
    private static class ForwardingTransport extends Transport {
        private final Transport real;

        ForwardingTransport(Session session, Transport real) {
            super(session, new URLName("smtp://127.0.0.1"));
            this.real = real;
        }

        @Override
        public void sendMessage(Message message, Address[] addresses) throws MessagingException {
            real.sendMessage(message, addresses);
        }

        @Override
        public boolean isConnected() {
            return real.isConnected();
        }

        @Override
        public void close() throws MessagingException {
            real.close();
        }
    }
}
