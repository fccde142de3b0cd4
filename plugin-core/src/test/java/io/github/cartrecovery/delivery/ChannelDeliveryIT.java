package io.github.cartrecovery.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.annotation.Resource;

import org.broadleafcommerce.core.order.domain.Order;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import com.icegreen.greenmail.util.GreenMail;

import io.github.cartrecovery.campaign.RecoveryPlanner;
import io.github.cartrecovery.channel.Addressee;
import io.github.cartrecovery.channel.Channel;
import io.github.cartrecovery.channel.ChannelMessage;
import io.github.cartrecovery.channel.ChannelUnavailableException;
import io.github.cartrecovery.channel.Recipient;
import io.github.cartrecovery.channel.SendOutcome;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;

/**
 * A store's own channel (a bean implementing {@link Channel}) is delivered with the engine's discipline: its
 * recipients, skips and quiet-hours waits are recorded in the prepare transaction; accepted, retried (with the
 * provider's Retry-After), refused (with the channel's own suppression, in the FAILED transaction) and unknown
 * outcomes become SENT, PLANNED, FAILED and UNCONFIRMED; no more than the hand-over window is ever SENDING; a channel
 * that cannot open reschedules its claims.
 */
@BroadleafWithPlugin
class ChannelDeliveryIT {

    private static final AtomicInteger CHANNELS = new AtomicInteger();

    @Resource(name = "crRecoveryPlanner")
    RecoveryPlanner planner;

    RecoveryFixture fixture;
    /** Each cart's script name, by order id. */
    final Map<Long, String> names = new HashMap<>();
    GreenMail smtp;
    int port;

    @BeforeEach
    void fixture(PluginContext broadleaf) {
        fixture = new RecoveryFixture(broadleaf);
        port = RecoveryFixture.freePort();
        smtp = RecoveryFixture.greenMail(port); // other tests' emails may fall due meanwhile: they go here
    }

    @AfterEach
    void stop() {
        smtp.stop();
    }

    @Test
    void everyOutcomeOfAStoreChannelIsRecordedWithTheEnginesDiscipline() {
        ScriptedChannel channel = new ScriptedChannel();
        List<Order> carts = dueOn(channel, "sent", "no-address", "quiet", "retry", "refused", "refused-again", "unknown");
        Instant now = fixture.clock.instant();

        MessageDelivery delivery = deliveryWith(channel, "store-channel-node");
        MessageDelivery.Batch batch = delivery.deliverBatch(100);

        assertThat(batch.sent).isEqualTo(1);
        Map<String, Map<String, Object>> rows = rows(carts);
        assertThat(rows.get("sent")).containsEntry("STATUS", "SENT").containsEntry("PROVIDER_REF", "ref-sent");
        assertThat(rows.get("no-address")).containsEntry("STATUS", "SKIPPED").containsEntry("OUTCOME", Recipient.NO_ADDRESS);
        assertThat(rows.get("quiet")).containsEntry("STATUS", "PLANNED").containsEntry("ATTEMPTS", 0);
        assertThat(((Timestamp) rows.get("quiet").get("DUE_AT")).toInstant()).isEqualTo(now.plus(Duration.ofHours(2)));
        assertThat(rows.get("retry")).containsEntry("STATUS", "PLANNED").containsEntry("ATTEMPTS", 1);
        assertThat(((Timestamp) rows.get("retry").get("DUE_AT")).toInstant())
                .as("not before the provider's Retry-After, though the back-off is shorter").isAfterOrEqualTo(now.plus(Duration.ofHours(3)));
        assertThat(rows.get("refused")).containsEntry("STATUS", "FAILED").containsEntry("OUTCOME", "PERMANENT");
        assertThat(rows.get("refused-again")).as("same recipient later in the batch: never handed over")
                .containsEntry("STATUS", "SKIPPED").containsEntry("OUTCOME", ExitReason.SUPPRESSED.name());
        assertThat(rows.get("unknown")).containsEntry("STATUS", "UNCONFIRMED").containsEntry("OUTCOME", "UNKNOWN");
        assertThat(channel.refused).containsExactly("+1555refused");
        assertThat(channel.handedOver).containsExactly("+1555sent", "+1555retry", "+1555refused", "+1555unknown");
        assertThat(events(carts.get(0))).containsExactly("PLANNED", "SENT");
        assertThat(events(carts.get(3))).containsExactly("PLANNED", "RETRY_SCHEDULED");
        assertThat(events(carts.get(4))).containsExactly("PLANNED", "FAILED");

        // the keys are fixed at the first prepare and never handed over twice
        MessageDelivery.Batch again = delivery.deliverBatch(100);
        assertThat(again.sent).isZero();
        assertThat(channel.handedOver).hasSize(4);
    }

    @Test
    void noMoreThanTheHandOverWindowIsEverSendingAndAKilledSenderLeavesOnlyItsMessageAtHand() {
        ScriptedChannel channel = new ScriptedChannel();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            names.add(i == 6 ? "boom" : "w" + i);
        }
        List<Order> carts = dueOn(channel, names.toArray(new String[0]));
        MessageDelivery delivery = deliveryWith(channel, "windowed-node");
        delivery.setHandOverWindow(4);

        Throwable failure = catchThrowable(() -> delivery.deliverBatch(100));

        assertThat(failure).hasMessageContaining("sender broke");
        assertThat(channel.sendingSeen).as("SENDING rows at each hand-over").isNotEmpty().allMatch(n -> n <= 4);
        assertThat(channel.sendingSeen).as("the window is used").contains(4);
        Map<String, Map<String, Object>> rows = rows(carts);
        assertThat(rows.get("boom")).as("on the wire when the sender broke").containsEntry("STATUS", "SENDING");
        long sending = rows.values().stream().filter(r -> "SENDING".equals(r.get("STATUS"))).count();
        assertThat(sending).as("taken to SENDING with it but never handed over: back to PLANNED").isEqualTo(1);
        for (int i = 0; i < 6; i++) {
            assertThat(rows.get("w" + i)).containsEntry("STATUS", "SENT");
        }

        channel.breakAt = null;
        fixture.clock.advance(Duration.ofMinutes(11)); // the lease of the message at hand expires
        deliveryWith(channel, "surviving-node").deliverBatch(100);
        rows = rows(carts);
        assertThat(rows.get("boom")).containsEntry("STATUS", "UNCONFIRMED");
        for (String name : names) {
            if (!name.equals("boom")) {
                assertThat(rows.get(name)).as(name).containsEntry("STATUS", "SENT");
                assertThat(channel.handedOver).as(name + " handed over once").containsOnlyOnce("+1555" + name);
            }
        }
    }

    @Test
    void parallelSendersEachOpenTheirOwnConnectionAndNeverHaveMoreThanSendersTimesTheWindowSending() {
        ScriptedChannel channel = new ScriptedChannel();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            names.add("p" + i);
        }
        List<Order> carts = dueOn(channel, names.toArray(new String[0]));
        channel.meetAtFirstSend = new CyclicBarrier(3); // each sender's first hand-over waits for the other two
        MessageDelivery delivery = deliveryWith(channel, "parallel-node");
        delivery.setSenders(3);
        delivery.setHandOverWindow(2);

        MessageDelivery.Batch batch = delivery.deliverBatch(100);

        assertThat(delivery.crashBound()).isEqualTo(6);
        assertThat(channel.opened).as("one connection per sender").hasValue(3);
        assertThat(channel.barrierBroken).as("the three senders were handing over at the same time").isFalse();
        assertThat(batch.sent).isEqualTo(24);
        assertThat(channel.sendingSeen).as("SENDING rows at each hand-over").hasSize(24).allMatch(n -> n <= 6);
        for (String name : names) {
            assertThat(channel.handedOver).as(name + " handed over once").containsOnlyOnce("+1555" + name);
        }
        assertThat(rows(carts).values()).allSatisfy(row -> assertThat(row).containsEntry("STATUS", "SENT"));
    }

    @Test
    void aSenderThatBreaksLeavesOnlyItsMessageAtHandWhileTheOthersFinish() {
        ScriptedChannel channel = new ScriptedChannel();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            names.add(i == 2 ? "boom" : "q" + i);
        }
        List<Order> carts = dueOn(channel, names.toArray(new String[0]));
        MessageDelivery delivery = deliveryWith(channel, "breaking-node");
        delivery.setSenders(2);

        Throwable failure = catchThrowable(() -> delivery.deliverBatch(100));

        assertThat(failure).hasMessageContaining("sender broke");
        Map<String, Map<String, Object>> rows = rows(carts);
        assertThat(rows.get("boom")).containsEntry("STATUS", "SENDING");
        assertThat(rows.values().stream().filter(r -> "SENDING".equals(r.get("STATUS"))).count()).isEqualTo(1);
        for (int i = 6; i < 12; i++) {
            assertThat(rows.get("q" + i)).as("the other sender's share is delivered").containsEntry("STATUS", "SENT");
        }

        channel.breakAt = null;
        fixture.clock.advance(Duration.ofMinutes(11));
        deliveryWith(channel, "surviving-node").deliverBatch(100);
        rows = rows(carts);
        assertThat(rows.get("boom")).containsEntry("STATUS", "UNCONFIRMED");
        for (String name : names) {
            if (!name.equals("boom")) {
                assertThat(rows.get(name)).as(name).containsEntry("STATUS", "SENT");
                assertThat(channel.handedOver).as(name + " handed over once").containsOnlyOnce("+1555" + name);
            }
        }
    }

    @Test
    void withTheDefaultWindowOneMessageAtATimeIsSending() {
        ScriptedChannel channel = new ScriptedChannel();
        dueOn(channel, "a", "b", "c");
        deliveryWith(channel, "narrow-node").deliverBatch(100);
        assertThat(channel.sendingSeen).containsExactly(1, 1, 1);
    }

    @Test
    void aChannelThatCannotOpenReschedulesItsClaimsAndSendsNothing() {
        ScriptedChannel channel = new ScriptedChannel();
        channel.unavailable = true;
        List<Order> carts = dueOn(channel, "down-1", "down-2");
        // other tests' messages on other channels, due by now on the shared clock, would make the batch go on
        fixture.jdbc.update("UPDATE CR_PLANNED_MESSAGE SET DUE_AT = ? WHERE STATUS = 'PLANNED' AND CHANNEL <> ?",
                new Timestamp(fixture.clock.instant().plus(Duration.ofDays(365)).toEpochMilli()), channel.name);
        MessageDelivery.Batch batch = deliveryWith(channel, "down-node").deliverBatch(100);

        assertThat(batch.sent).isZero();
        assertThat(batch.goOn).isFalse();
        for (Map<String, Object> row : rows(carts).values()) {
            assertThat(row).containsEntry("STATUS", "PLANNED").containsEntry("ATTEMPTS", 1);
        }
        assertThat(channel.handedOver).isEmpty();
        assertThat(events(carts.get(0))).containsExactly("PLANNED", "RETRY_SCHEDULED");
    }

    @Test
    void aChannelsNameMustBeUsableInAStep() {
        ScriptedChannel channel = new ScriptedChannel();
        channel.name = "sms text";
        assertThat(catchThrowable(() -> deliveryWith(channel, "bad-name-node"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("upper-case");
    }

    // -----

    private MessageDelivery deliveryWith(ScriptedChannel channel, String node) {
        MessageDelivery delivery = fixture.deliveryTo(port, new ExitRules(0, 1), node);
        delivery.setChannels(List.of(channel));
        return delivery;
    }

    /** One abandoned cart per name, its first message due now on the channel, the others out of the way. */
    private List<Order> dueOn(ScriptedChannel channel, String... names) {
        fixture.nextMorning();
        List<Order> carts = new ArrayList<>();
        for (String name : names) {
            Order cart = fixture.abandonedCart(RecoveryFixture.uniqueEmail(name));
            channel.addressOf.put(cart.getId(), name);
            this.names.put(cart.getId(), name);
            carts.add(cart);
        }
        planner.planDue();
        Instant now = fixture.clock.instant();
        for (int i = 0; i < carts.size(); i++) {
            fixture.jdbc.update("UPDATE CR_PLANNED_MESSAGE SET CHANNEL = ?, DUE_AT = ? WHERE ORDER_ID = ? AND STEP_NO = 1",
                    channel.name, new Timestamp(now.minusSeconds(carts.size() - i).toEpochMilli()), carts.get(i).getId());
            fixture.jdbc.update("UPDATE CR_PLANNED_MESSAGE SET DUE_AT = ? WHERE ORDER_ID = ? AND STEP_NO > 1",
                    new Timestamp(now.plus(Duration.ofDays(30)).toEpochMilli()), carts.get(i).getId());
        }
        return carts;
    }

    private Map<String, Map<String, Object>> rows(List<Order> carts) {
        Map<String, Map<String, Object>> rows = new HashMap<>();
        for (Order cart : carts) {
            Map<String, Object> row = fixture.jdbc.queryForMap("SELECT STATUS, OUTCOME, ATTEMPTS, DUE_AT, PROVIDER_REF "
                    + "FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? AND STEP_NO = 1", cart.getId());
            Map<String, Object> normal = new HashMap<>();
            row.forEach((key, value) -> normal.put(key.toUpperCase(), value instanceof Number && !(value instanceof java.math.BigDecimal)
                    ? ((Number) value).intValue() : value));
            rows.put(names.get(cart.getId()), normal);
        }
        return rows;
    }

    private List<String> events(Order cart) {
        return fixture.jdbc.queryForList("SELECT e.EVENT_TYPE FROM CR_MESSAGE_EVENT e JOIN CR_PLANNED_MESSAGE m "
                + "ON m.ID = e.PLANNED_MESSAGE_ID WHERE m.ORDER_ID = ? AND m.STEP_NO = 1 ORDER BY e.ID", String.class, cart.getId());
    }

    /** A channel whose recipients and outcomes follow the cart's name; it counts SENDING rows at each hand-over. */
    private final class ScriptedChannel implements Channel<String> {
        String name = "T" + CHANNELS.incrementAndGet();
        final Map<Long, String> addressOf = new HashMap<>();
        final List<String> handedOver = new CopyOnWriteArrayList<>();
        final List<String> refused = new CopyOnWriteArrayList<>();
        final List<Integer> sendingSeen = new CopyOnWriteArrayList<>();
        volatile boolean unavailable;
        volatile String breakAt = "boom";
        final AtomicInteger opened = new AtomicInteger();
        volatile CyclicBarrier meetAtFirstSend;
        volatile boolean barrierBroken;

        @Override
        public String name() {
            return name;
        }

        @Override
        public Map<Long, Recipient> recipients(JdbcTemplate jdbc, List<Addressee> addressees, Instant now) {
            Map<Long, Recipient> recipients = new HashMap<>();
            for (Addressee addressee : addressees) {
                String script = addressOf.get(addressee.getOrderId());
                if (script.equals("no-address")) {
                    continue; // no entry: NO_ADDRESS
                }
                String address = "+1555" + (script.equals("refused-again") ? "refused" : script);
                recipients.put(addressee.getPlannedMessageId(), script.equals("quiet")
                        ? Recipient.later(address, now.plus(Duration.ofHours(2))) : Recipient.to(address));
            }
            return recipients;
        }

        @Override
        public String build(ChannelMessage message) {
            assertThat(message.getMessageKey()).startsWith("cr." + message.getPlannedMessageId() + ".");
            return "Your cart: " + message.getLinks().getRestoreUrl();
        }

        @Override
        public Sender<String> open() throws ChannelUnavailableException {
            if (unavailable) {
                throw new ChannelUnavailableException("provider down");
            }
            opened.incrementAndGet();
            return new Sender<String>() {
                boolean first = true;

                @Override
                public SendOutcome send(Recipient recipient, long plannedMessageId, String content) {
                    if (first && meetAtFirstSend != null) {
                        first = false;
                        try {
                            meetAtFirstSend.await(20, TimeUnit.SECONDS);
                        } catch (Exception e) {
                            barrierBroken = true;
                        }
                    }
                    sendingSeen.add(fixture.jdbc.queryForObject("SELECT COUNT(*) FROM CR_PLANNED_MESSAGE WHERE STATUS = 'SENDING' "
                            + "AND CHANNEL = ?", Integer.class, name));
                    String address = recipient.getAddress();
                    if (address.equals("+1555" + breakAt)) {
                        throw new IllegalStateException("sender broke");
                    }
                    handedOver.add(address);
                    switch (address.substring(5)) {
                        case "retry":
                            return SendOutcome.retry("429 too many requests", Duration.ofHours(3));
                        case "refused":
                            return SendOutcome.rejected("21211 invalid number", true);
                        case "unknown":
                            return SendOutcome.unknown("read timed out");
                        default:
                            return SendOutcome.accepted("ref-" + address.substring(5));
                    }
                }

                @Override
                public void close(boolean reusable) {
                }
            };
        }

        @Override
        public void closeIdle() {
        }

        @Override
        public void recipientRefused(JdbcTemplate jdbc, Recipient recipient, String detail, Instant now) {
            refused.add(recipient.getAddress());
        }
    }
}
