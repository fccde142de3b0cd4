package io.github.cartrecovery.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import javax.annotation.Resource;
import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.cartrecovery.messages.PlannedMessages;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.TestDatabase;

/**
 * PostgreSQL's hand-over of a window of one in one statement ({@link PlannedMessages#sentThenSending}) keeps the
 * conditions of the three statements it replaces: SENT (with its one event) only for the message at hand of this node,
 * SENDING only for a PREPARED message of this node.
 */
@BroadleafWithPlugin
class OneStatementHandOverIT {

    private static final AtomicLong ORDERS = new AtomicLong(870_000_000L);

    @Resource(name = "crDataSource")
    DataSource dataSource;

    JdbcTemplate jdbc;
    PlannedMessages messages;
    final Instant now = Instant.parse("2026-12-07T10:00:00Z");
    final Instant lease = now.plusSeconds(300);

    @BeforeEach
    void onPostgreSql() throws Exception {
        jdbc = new JdbcTemplate(dataSource);
        messages = new PlannedMessages(dataSource);
        assertThat(ClaimQuery.detect(dataSource).handsOverInOneStatement()).as("one statement on PostgreSQL only")
                .isEqualTo(TestDatabase.Kind.selected() == TestDatabase.Kind.POSTGRESQL);
        assumeTrue(TestDatabase.Kind.selected() == TestDatabase.Kind.POSTGRESQL, "the statement is PostgreSQL's");
    }

    @Test
    void recordsTheAcceptedMessageSentWithItsEventAndTakesTheNextToSending() {
        long accepted = message("SENDING", "node-a", null);
        long next = message("PREPARED", "node-a", null);

        assertThat(messages.sentThenSending("node-a", new Object[] {accepted, now.plusSeconds(1), "250 OK id=7"}, next, lease, now))
                .isTrue();

        assertThat(row(accepted, "STATUS")).isEqualTo("SENT");
        assertThat(row(accepted, "PROVIDER_REF")).isEqualTo("250 OK id=7");
        assertThat(jdbc.queryForObject("SELECT ATTEMPTS FROM CR_PLANNED_MESSAGE WHERE ID = ?", Integer.class, accepted)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT SENT_AT FROM CR_PLANNED_MESSAGE WHERE ID = ?", Timestamp.class, accepted).toInstant())
                .isEqualTo(now.plusSeconds(1));
        assertThat(jdbc.queryForObject("SELECT UPDATED_AT FROM CR_PLANNED_MESSAGE WHERE ID = ?", Timestamp.class, accepted).toInstant())
                .isEqualTo(now.plusSeconds(1));
        assertThat(row(accepted, "LEASE_UNTIL")).isNull();
        assertThat(sentEvents(accepted)).isEqualTo(1);
        assertThat(row(next, "STATUS")).isEqualTo("SENDING");
        assertThat(jdbc.queryForObject("SELECT LEASE_UNTIL FROM CR_PLANNED_MESSAGE WHERE ID = ?", Timestamp.class, next).toInstant())
                .isEqualTo(lease);
    }

    @Test
    void anotherNodesRowsAndRowsNotAtHandDoNotMove() {
        long othersSending = message("SENDING", "node-b", null);
        long othersPrepared = message("PREPARED", "node-b", null);

        assertThat(messages.sentThenSending("node-a", new Object[] {othersSending, now, null}, othersPrepared, lease, now)).isFalse();

        assertThat(row(othersSending, "STATUS")).isEqualTo("SENDING");
        assertThat(sentEvents(othersSending)).as("an event only for a row that moved").isZero();
        assertThat(row(othersPrepared, "STATUS")).isEqualTo("PREPARED");

        long released = message("PLANNED", null, null); // its lease expired and it went back to PLANNED
        assertThat(messages.sentThenSending("node-a", null, released, lease, now)).isFalse();
        assertThat(row(released, "STATUS")).isEqualTo("PLANNED");
    }

    @Test
    void aMessageAnotherNodeJudgedLostIsStillRecordedSentByItsOwnNode() {
        long guessed = message("UNCONFIRMED", "node-a", PlannedMessages.LEASE_EXPIRED_WHILE_SENDING);
        long failed = message("UNCONFIRMED", "node-a", "UNKNOWN");

        messages.sentThenSending("node-a", new Object[] {guessed, now, null}, null, lease, now);
        messages.sentThenSending("node-a", new Object[] {failed, now, null}, null, lease, now);

        assertThat(row(guessed, "STATUS")).isEqualTo("SENT");
        assertThat(sentEvents(guessed)).isEqualTo(1);
        assertThat(row(failed, "STATUS")).as("its own recorded outcome stays").isEqualTo("UNCONFIRMED");
        assertThat(sentEvents(failed)).isZero();
    }

    private long message(String status, String node, String outcome) {
        long order = ORDERS.incrementAndGet();
        PlannedMessages.plan(jdbc, order, -1, -1, 1, "handover-" + order + "@example.com", "en_US", "EMAIL", now, now);
        long id = jdbc.queryForObject("SELECT ID FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ?", Long.class, order);
        jdbc.update("UPDATE CR_PLANNED_MESSAGE SET STATUS = ?, CLAIMED_BY = ?, OUTCOME = ?, LEASE_UNTIL = ? WHERE ID = ?",
                status, node, outcome, node == null ? null : new Timestamp(now.toEpochMilli()), id);
        return id;
    }

    private String row(long id, String column) {
        return jdbc.queryForObject("SELECT " + column + " FROM CR_PLANNED_MESSAGE WHERE ID = ?", String.class, id);
    }

    private int sentEvents(long id) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM CR_MESSAGE_EVENT WHERE PLANNED_MESSAGE_ID = ? AND EVENT_TYPE = 'SENT'",
                Integer.class, id);
    }
}
