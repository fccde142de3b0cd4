package io.github.cartrecovery.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import javax.annotation.Resource;
import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.cartrecovery.channel.DeliveryReceipts;
import io.github.cartrecovery.messages.PlannedMessages;
import io.github.cartrecovery.testing.BroadleafWithPlugin;

/**
 * Provider receipts (bean crDeliveryReceipts) on the real schema: one DELIVERED or UNDELIVERED event per message and
 * its outcome once SENT; a receipt for another channel, an unknown message or another provider reference records
 * nothing; a receipt that overtakes the SENT record keeps its event; a late DELIVERED never hides UNDELIVERED.
 */
@BroadleafWithPlugin
class ProviderReceiptsIT {

    private static final AtomicLong ORDERS = new AtomicLong(880_000_000L);

    @Resource(name = "crDataSource")
    DataSource dataSource;

    @Resource(name = "crDeliveryReceipts")
    DeliveryReceipts receipts;

    JdbcTemplate jdbc;
    final Instant now = Instant.parse("2026-12-06T10:00:00Z");

    @BeforeEach
    void jdbc() {
        jdbc = new JdbcTemplate(dataSource);
    }

    @Test
    void aDeliveredReceiptIsRecordedOnceWithItsOutcome() {
        long id = message("SMS", "SENT", "SM123");

        assertThat(receipts.delivered("SMS", id, "SM123", now)).isTrue();
        assertThat(receipts.delivered("SMS", id, "SM123", now.plusSeconds(5))).as("a repeated callback").isTrue();

        assertThat(events(id, "DELIVERED")).isEqualTo(1);
        assertThat(outcome(id)).isEqualTo("DELIVERED");
        assertThat(status(id)).isEqualTo("SENT");
    }

    @Test
    void anUndeliveredReceiptKeepsTheMessageSentAndALateDeliveredDoesNotHideIt() {
        long id = message("SMS", "SENT", "SM124");

        assertThat(receipts.undelivered("SMS", id, "SM124", "undelivered 30003", now)).isTrue();
        assertThat(receipts.delivered("SMS", id, "SM124", now.plusSeconds(1))).isTrue();

        assertThat(outcome(id)).isEqualTo("UNDELIVERED");
        assertThat(status(id)).as("handed over once: never retried").isEqualTo("SENT");
        assertThat(jdbc.queryForObject("SELECT DETAIL FROM CR_MESSAGE_EVENT WHERE PLANNED_MESSAGE_ID = ? AND EVENT_TYPE = 'UNDELIVERED'",
                String.class, id)).isEqualTo("undelivered 30003");
    }

    @Test
    void receiptsForAnotherChannelAnotherReferenceOrNoMessageRecordNothing() {
        long id = message("SMS", "SENT", "SM125");

        assertThat(receipts.delivered("WEBHOOK", id, "SM125", now)).isFalse();
        assertThat(receipts.delivered("SMS", id, "SM999", now)).isFalse();
        assertThat(receipts.delivered("SMS", id + 1_000_000, "SM125", now)).isFalse();
        assertThat(receipts.delivered("SMS", message("SMS", "SKIPPED", null), null, now)).as("never handed over").isFalse();

        assertThat(events(id, "DELIVERED")).isZero();
        assertThat(outcome(id)).isNull();
    }

    @Test
    void aReceiptThatOvertakesTheSentRecordKeepsItsEvent() {
        long id = message("SMS", "SENDING", null);

        assertThat(receipts.delivered("SMS", id, "SM126", now)).isTrue();

        assertThat(events(id, "DELIVERED")).isEqualTo(1);
        assertThat(status(id)).isEqualTo("SENDING");
    }

    private long message(String channel, String status, String reference) {
        long order = ORDERS.incrementAndGet();
        PlannedMessages.plan(jdbc, order, -1, -1, 1, "receipt-" + order + "@example.com", "en_US", channel, now, now);
        long id = jdbc.queryForObject("SELECT ID FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ?", Long.class, order);
        jdbc.update("UPDATE CR_PLANNED_MESSAGE SET STATUS = ?, PROVIDER_REF = ?, SENT_AT = ? WHERE ID = ?", status, reference,
                "SENT".equals(status) ? new Timestamp(now.toEpochMilli()) : null, id);
        return id;
    }

    private int events(long id, String type) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM CR_MESSAGE_EVENT WHERE PLANNED_MESSAGE_ID = ? AND EVENT_TYPE = ?",
                Integer.class, id, type);
    }

    private String outcome(long id) {
        return jdbc.queryForObject("SELECT OUTCOME FROM CR_PLANNED_MESSAGE WHERE ID = ?", String.class, id);
    }

    private String status(long id) {
        return jdbc.queryForObject("SELECT STATUS FROM CR_PLANNED_MESSAGE WHERE ID = ?", String.class, id);
    }
}
