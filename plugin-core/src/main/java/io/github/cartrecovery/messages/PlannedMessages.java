package io.github.cartrecovery.messages;

import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlParameterValue;
import io.github.cartrecovery.metrics.PluginMetrics;

/**
 * The lifecycle of CR_PLANNED_MESSAGE after planning, one method per transition, SQL in plain sight (the claim itself,
 * which differs per database, is {@code delivery.ClaimQuery}). Every transition is conditional on the state it leaves
 * and, while a node holds the row, on {@code CLAIMED_BY}: a method returns whether the row moved, and writes the
 * message's event only when it did. Methods run in the caller's transaction.
 * <pre>
 * PLANNED -claim-> CLAIMED -markPrepared-> PREPARED -sendingAll-> SENDING -sentAll-> SENT
 *   CLAIMED -skipClaimed-> SKIPPED        CLAIMED -failClaimed-> FAILED        CLAIMED|PREPARED -release-> PLANNED
 *   PREPARED -skipPrepared-> SKIPPED      SENDING -refused-> FAILED|UNCONFIRMED  SENDING|CLAIMED -retry-> PLANNED|FAILED
 *   lease expired: CLAIMED|PREPARED -> PLANNED, SENDING -> UNCONFIRMED (LEASE_EXPIRED_WHILE_SENDING)
 * </pre>
 * On PostgreSQL a hand-over of one message (the previous one SENT, the next one SENDING) is one statement,
 * {@link #sentThenSending}, with the conditions of {@link #sentAll} and {@link #sendingAll}.
 */
public class PlannedMessages {

    /** Outcome of a SENDING row another node judged lost; only its own node may still replace it ({@link #AT_HAND}). */
    public static final String LEASE_EXPIRED_WHILE_SENDING = "LEASE_EXPIRED_WHILE_SENDING";

    /**
     * The message at hand is still this node's: SENDING, or made UNCONFIRMED meanwhile by another node that judged its
     * lease expired (by a clock running ahead of this node's). No node retries an UNCONFIRMED row, so what this node
     * then learns for certain (accepted, refused) replaces the guess. Parameter: this node's id.
     */
    static final String AT_HAND = "CLAIMED_BY = ? AND (STATUS = 'SENDING' OR (STATUS = 'UNCONFIRMED' "
            + "AND OUTCOME = '" + LEASE_EXPIRED_WHILE_SENDING + "'))";
    static final String CLAIMED = "STATUS = 'CLAIMED' AND CLAIMED_BY = ?";

    /** Which hold a transition leaves: a claim not yet prepared, or the message at hand (SENDING). */
    public enum Held {
        CLAIMED(PlannedMessages.CLAIMED), AT_HAND(PlannedMessages.AT_HAND);

        final String condition;

        Held(String condition) {
            this.condition = condition;
        }
    }

    private final JdbcTemplate jdbc;
    private volatile PluginMetrics metrics = PluginMetrics.inMemory();

    public PlannedMessages(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** Where the transitions are counted (skipped, failed, unconfirmed), after their transaction commits. */
    public void setMetrics(PluginMetrics metrics) {
        this.metrics = metrics;
    }

    /** When the oldest due message not handed over yet (PLANNED, DUE_AT passed) was due, or null when none is. */
    public Instant oldestDue(Instant now) {
        Timestamp oldest = jdbc.queryForObject("SELECT MIN(DUE_AT) FROM CR_PLANNED_MESSAGE WHERE STATUS = 'PLANNED' "
                + "AND DUE_AT <= ?", Timestamp.class, ts(now));
        return oldest == null ? null : oldest.toInstant();
    }

    public JdbcTemplate jdbc() {
        return jdbc;
    }

    // ----- planning -----

    /** A new message of a cart's sequence, PLANNED on the step's channel and due at {@code due}. */
    public static void plan(JdbcTemplate jdbc, long orderId, long campaignId, long stepId, int stepNo, String email,
                            String localeCode, String channel, Instant due, Instant now) {
        plan(jdbc, orderId, campaignId, stepId, stepNo, email, localeCode, channel, null, due, now);
    }

    /** The same, for the experiment arm {@code armId} (null outside experiments), whose variant delivery applies. */
    public static void plan(JdbcTemplate jdbc, long orderId, long campaignId, long stepId, int stepNo, String email,
                            String localeCode, String channel, Long armId, Instant due, Instant now) {
        jdbc.update("INSERT INTO CR_PLANNED_MESSAGE (ORDER_ID, CAMPAIGN_ID, STEP_ID, STEP_NO, EMAIL, LOCALE_CODE, "
                + "CHANNEL, ARM_ID, STATUS, DUE_AT, ATTEMPTS, CREATED_AT, UPDATED_AT) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'PLANNED', ?, 0, ?, ?)",
                orderId, campaignId, stepId, stepNo, email, localeCode, channel, armId, ts(due), ts(now), ts(now));
    }

    /**
     * A message of a trigger's alert ({@code campaign.TriggerType} other than ABANDONED_CART): PLANNED like a sequence's,
     * marked with its trigger and its CR_TRIGGER_EVENT row, so one cart may get the same step again for a later event
     * (UQ_CR_PLANNED_ORDER_STEP is ORDER_ID, STEP_ID, TRIGGER_EVENT_ID).
     */
    public static void planTriggered(JdbcTemplate jdbc, long orderId, long campaignId, long stepId, int stepNo, String email,
                                     String localeCode, String channel, String triggerType, long triggerEventId,
                                     Instant due, Instant now) {
        jdbc.update("INSERT INTO CR_PLANNED_MESSAGE (ORDER_ID, CAMPAIGN_ID, STEP_ID, STEP_NO, EMAIL, LOCALE_CODE, "
                + "CHANNEL, TRIGGER_TYPE, TRIGGER_EVENT_ID, STATUS, DUE_AT, ATTEMPTS, CREATED_AT, UPDATED_AT) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'PLANNED', ?, 0, ?, ?)",
                orderId, campaignId, stepId, stepNo, email, localeCode, channel, triggerType, triggerEventId,
                ts(due), ts(now), ts(now));
    }

    /**
     * A new message of a trigger other than the abandoned cart, PLANNED on the step's channel and due at {@code due}:
     * POST_PURCHASE with the bought order as {@code orderId}, BROWSE with its CR_BROWSE_SESSION as
     * {@code browseSessionId} and no order (UQ_CR_PLANNED_BROWSE_STEP: once per session and step).
     */
    public static void planTriggered(JdbcTemplate jdbc, String triggerType, Long orderId, Long browseSessionId,
                                     long campaignId, long stepId, int stepNo, String email, String localeCode,
                                     String channel, Instant due, Instant now) {
        jdbc.update("INSERT INTO CR_PLANNED_MESSAGE (ORDER_ID, BROWSE_SESSION_ID, TRIGGER_TYPE, CAMPAIGN_ID, STEP_ID, "
                + "STEP_NO, EMAIL, LOCALE_CODE, CHANNEL, STATUS, DUE_AT, ATTEMPTS, CREATED_AT, UPDATED_AT) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'PLANNED', ?, 0, ?, ?)",
                orderId, browseSessionId, triggerType, campaignId, stepId, stepNo, email, localeCode, channel, ts(due),
                ts(now), ts(now));
    }

    /**
     * Stops messages not handed over yet (PLANNED, CLAIMED or PREPARED), whoever holds them: an unsubscribe, an
     * erasure. SKIPPED with {@code reason}, one event each. A CLAIMED or PREPARED row's node then finds it gone at its
     * hand-over. Returns how many stopped (counted as skipped with {@code reason} once the transaction commits).
     */
    public static int stopPending(JdbcTemplate jdbc, List<Long> ids, String reason, Instant now, PluginMetrics metrics) {
        int stopped = 0;
        for (Long id : ids) {
            if (jdbc.update("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'SKIPPED', OUTCOME = ?, CLAIMED_BY = NULL, LEASE_UNTIL = NULL, "
                    + "UPDATED_AT = ? WHERE ID = ? AND STATUS IN ('PLANNED', 'CLAIMED', 'PREPARED')", reason, ts(now), id) == 1) {
                MessageEvents.record(jdbc, id, MessageEventType.SKIPPED, reason, now);
                metrics.messageSkipped(reason);
                stopped++;
            }
        }
        return stopped;
    }

    // ----- leases -----

    /** Ids of CLAIMED or PREPARED rows whose lease ran out (a plain read: usually none, and no locks). */
    public List<Long> expiredClaims(Instant now) {
        return jdbc.queryForList("SELECT ID FROM CR_PLANNED_MESSAGE WHERE STATUS IN ('CLAIMED', 'PREPARED') "
                + "AND LEASE_UNTIL < ?", Long.class, ts(now));
    }

    /** Never handed over, their node gone: back to PLANNED, due as before. By primary key, only if still expired. */
    public void releaseExpiredClaims(List<Long> ids, Instant now) {
        if (!ids.isEmpty()) {
            jdbc.batchUpdate("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'PLANNED', CLAIMED_BY = NULL, LEASE_UNTIL = NULL, "
                    + "UPDATED_AT = ? WHERE ID = ? AND STATUS IN ('CLAIMED', 'PREPARED') AND LEASE_UNTIL < ?", byId(ids, now));
        }
    }

    /** Ids of SENDING rows whose lease ran out. */
    public List<Long> expiredSending(Instant now) {
        return jdbc.queryForList("SELECT ID FROM CR_PLANNED_MESSAGE WHERE STATUS = 'SENDING' AND LEASE_UNTIL < ?",
                Long.class, ts(now));
    }

    /** Maybe handed over, their node gone: UNCONFIRMED, never retried. Only if still expired. */
    public void unconfirmExpiredSending(List<Long> ids, Instant now) {
        if (!ids.isEmpty()) {
            int[] counts = jdbc.batchUpdate("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'UNCONFIRMED', OUTCOME = '" + LEASE_EXPIRED_WHILE_SENDING
                    + "', UPDATED_AT = ? WHERE ID = ? AND STATUS = 'SENDING' AND LEASE_UNTIL < ?", byId(ids, now));
            metrics.messagesUnconfirmed(moved(counts, ids.size()));
        }
    }

    // ----- prepare (one chunk, one transaction) -----

    /** A claimed row the exit rules or its channel stopped: SKIPPED with {@code reason}, each with its event. */
    public static Object[] skip(long id, String reason, String node, Instant now) {
        return skip(id, reason, reason, node, now);
    }

    /** The same, with an event detail that says more than the reason (which condition was not met). */
    public static Object[] skip(long id, String reason, String eventDetail, String node, Instant now) {
        return new Object[] {id, reason, node, now, eventDetail == null ? reason : eventDetail};
    }

    /** SKIPPED for every {@link #skip} entry still CLAIMED by its node; events only for rows that moved. */
    public void skipClaimed(List<Object[]> skips) {
        if (skips.isEmpty()) {
            return;
        }
        List<Object[]> updates = new ArrayList<Object[]>();
        for (Object[] skip : skips) {
            updates.add(new Object[] {skip[1], ts((Instant) skip[3]), skip[0], skip[2]});
        }
        int[] counts = jdbc.batchUpdate("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'SKIPPED', OUTCOME = ?, LEASE_UNTIL = NULL, "
                + "UPDATED_AT = ? WHERE ID = ? AND " + CLAIMED, updates);
        List<Object[]> events = new ArrayList<Object[]>();
        for (int i = 0; i < skips.size(); i++) {
            if (i >= counts.length || counts[i] != 0) { // 0: no longer this node's; unknown counts record the event
                Object[] skip = skips.get(i);
                metrics.messageSkipped((String) skip[1]);
                events.add(MessageEvents.args((Long) skip[0], MessageEventType.SKIPPED, (String) skip[4], (Instant) skip[3]));
            }
        }
        MessageEvents.recordAll(jdbc, events);
    }

    /**
     * Rendered and ready: PREPARED with its stable message key and a fresh lease, if still CLAIMED by the node. A row
     * that is not the node's any more stays as it is, and its hand-over then finds it not PREPARED.
     * The template version it was rendered with is recorded with it (TEMPLATE_VERSION_ID, NULL: the classpath copy).
     * Entries: {messageKey, templateVersionId, leaseUntil, now, id, node}, see
     * {@link #prepared(String, Long, Instant, Instant, long, String)}.
     */
    public void markPrepared(List<Object[]> prepared) {
        if (!prepared.isEmpty()) {
            jdbc.batchUpdate("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'PREPARED', MESSAGE_ID = ?, TEMPLATE_VERSION_ID = ?, "
                    + "LEASE_UNTIL = ?, UPDATED_AT = ? WHERE ID = ? AND " + CLAIMED, prepared);
        }
    }

    public static Object[] prepared(String messageKey, Long templateVersionId, Instant leaseUntil, Instant now, long id,
                                    String node) {
        return new Object[] {messageKey, templateVersionId == null ? new SqlParameterValue(Types.BIGINT, null) : templateVersionId,
                ts(leaseUntil), ts(now), id, node};
    }

    /** Cannot be prepared (an unusable address, a broken template): FAILED with PREPARE_ERROR. */
    public boolean failClaimed(long id, String node, String error, Instant now) {
        int failed = jdbc.update("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'FAILED', OUTCOME = 'PREPARE_ERROR', LAST_ERROR = ?, "
                + "LEASE_UNTIL = NULL, UPDATED_AT = ? WHERE ID = ? AND " + CLAIMED, truncate(error), ts(now), id, node);
        if (failed == 1) {
            MessageEvents.record(jdbc, id, MessageEventType.FAILED, error, now);
            metrics.messageFailed("PREPARE_ERROR");
        }
        return failed == 1;
    }

    /** Must wait (quiet hours of its channel): back to PLANNED, due at {@code due}, no attempt counted. */
    public boolean deferClaimed(long id, String node, Instant due, Instant now) {
        return jdbc.update("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'PLANNED', DUE_AT = ?, CLAIMED_BY = NULL, "
                + "LEASE_UNTIL = NULL, UPDATED_AT = ? WHERE ID = ? AND " + CLAIMED, ts(due), ts(now), id, node) == 1;
    }

    /** Claimed or prepared, definitely never handed over: back to PLANNED, due as before. */
    public void release(List<Long> ids, String node, Instant now) {
        if (ids.isEmpty()) {
            return;
        }
        List<Object> args = new ArrayList<Object>();
        args.add(ts(now));
        args.addAll(ids);
        args.add(node);
        jdbc.update("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'PLANNED', CLAIMED_BY = NULL, LEASE_UNTIL = NULL, "
                + "UPDATED_AT = ? WHERE ID IN (" + placeholders(ids.size()) + ") "
                + "AND STATUS IN ('CLAIMED', 'PREPARED') AND CLAIMED_BY = ?", args.toArray());
    }

    // ----- hand-over (one small transaction per hand-over) -----

    /**
     * Accepted by the channel: SENT with the provider's reference (may be null) and its event, for several messages in one
     * round trip each for the updates and the events: entries
     * {id, at, providerReference}. Returns how many moved.
     */
    public int sentAll(String node, List<Object[]> accepted) {
        if (accepted.isEmpty()) {
            return 0;
        }
        List<Object[]> updates = new ArrayList<Object[]>();
        for (Object[] message : accepted) {
            Instant at = (Instant) message[1];
            // a typed null (email has no provider reference): no round trip for the parameter types (MessageEvents.args)
            updates.add(new Object[] {ts(at), MessageEvents.varchar(truncate((String) message[2], 64)), ts(at), message[0], node});
        }
        int[] counts = jdbc.batchUpdate("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'SENT', OUTCOME = NULL, SENT_AT = ?, "
                + "PROVIDER_REF = ?, ATTEMPTS = ATTEMPTS + 1, LEASE_UNTIL = NULL, UPDATED_AT = ? WHERE ID = ? AND " + AT_HAND,
                updates);
        List<Object[]> events = new ArrayList<Object[]>();
        int moved = 0;
        for (int i = 0; i < accepted.size(); i++) {
            if (i >= counts.length || counts[i] != 0) { // 0: not at hand any more; unknown counts record the event
                events.add(MessageEvents.args((Long) accepted.get(i)[0], MessageEventType.SENT, null, (Instant) accepted.get(i)[1]));
                moved++;
            }
        }
        MessageEvents.recordAll(jdbc, events);
        return moved;
    }

    /**
     * PREPARED to SENDING with a fresh lease, for several messages in one round trip, where still this node's: returns
     * the ids that moved, which alone may be handed over.
     */
    public List<Long> sendingAll(List<Long> ids, String node, Instant leaseUntil, Instant now) {
        if (ids.isEmpty()) {
            return Collections.emptyList();
        }
        List<Object[]> updates = new ArrayList<Object[]>();
        for (Long id : ids) {
            updates.add(new Object[] {ts(leaseUntil), ts(now), id, node});
        }
        int[] counts = jdbc.batchUpdate("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'SENDING', LEASE_UNTIL = ?, UPDATED_AT = ? "
                + "WHERE ID = ? AND STATUS = 'PREPARED' AND CLAIMED_BY = ?", updates);
        List<Long> moved = new ArrayList<Long>();
        for (int i = 0; i < ids.size(); i++) {
            int count = i < counts.length ? counts[i] : java.sql.Statement.SUCCESS_NO_INFO;
            if (count == java.sql.Statement.SUCCESS_NO_INFO) {
                // a driver that cannot tell per row: ask the row itself (this transaction's lease is unique to it)
                count = jdbc.queryForObject("SELECT COUNT(*) FROM CR_PLANNED_MESSAGE WHERE ID = ? AND STATUS = 'SENDING' "
                        + "AND CLAIMED_BY = ? AND LEASE_UNTIL = ?", Integer.class, ids.get(i), node, ts(leaseUntil));
            }
            if (count == 1) {
                moved.add(ids.get(i));
            }
        }
        return moved;
    }

    /**
     * PostgreSQL, a window of one: {@link #sentAll} for at most one message and then {@link #sendingAll} for at most
     * one, in one statement (data-modifying CTEs): one round trip per hand-over instead of three, the same conditions
     * and the same event (SENT only for a row that moved). {@code accepted}: null or {id, at, providerReference};
     * {@code next}: null or an id. Returns whether {@code next} moved to SENDING.
     */
    public boolean sentThenSending(final String node, final Object[] accepted, final Long next, final Instant leaseUntil,
                                   final Instant now) {
        List<Long> moved = jdbc.query(new org.springframework.jdbc.core.PreparedStatementCreator() {
            @Override
            public java.sql.PreparedStatement createPreparedStatement(java.sql.Connection connection) throws java.sql.SQLException {
                java.sql.PreparedStatement statement = connection.prepareStatement(SENT_THEN_SENDING);
                if (accepted == null) {
                    statement.setNull(1, java.sql.Types.TIMESTAMP);
                    statement.setNull(2, java.sql.Types.VARCHAR);
                    statement.setNull(3, java.sql.Types.TIMESTAMP);
                    statement.setNull(4, java.sql.Types.BIGINT); // ID = NULL: no row
                } else {
                    statement.setTimestamp(1, ts((Instant) accepted[1]));
                    statement.setString(2, truncate((String) accepted[2], 64));
                    statement.setTimestamp(3, ts((Instant) accepted[1]));
                    statement.setLong(4, (Long) accepted[0]);
                }
                statement.setString(5, node);
                statement.setTimestamp(6, ts(leaseUntil));
                statement.setTimestamp(7, ts(now));
                if (next == null) {
                    statement.setNull(8, java.sql.Types.BIGINT);
                } else {
                    statement.setLong(8, next);
                }
                statement.setString(9, node);
                return statement;
            }
        }, new org.springframework.jdbc.core.SingleColumnRowMapper<Long>(Long.class));
        return next != null && moved.contains(next);
    }

    /**
     * The SENT mark and its event, then the SENDING mark, each by primary key. The two updates never touch the same
     * row (the accepted message is SENDING, the next one PREPARED).
     */
    static final String SENT_THEN_SENDING = "WITH sent AS (UPDATE CR_PLANNED_MESSAGE SET STATUS = 'SENT', OUTCOME = NULL, "
            + "SENT_AT = ?, PROVIDER_REF = ?, ATTEMPTS = ATTEMPTS + 1, LEASE_UNTIL = NULL, UPDATED_AT = ? "
            + "WHERE ID = ? AND " + AT_HAND + " RETURNING ID, SENT_AT), "
            + "events AS (INSERT INTO CR_MESSAGE_EVENT (PLANNED_MESSAGE_ID, EVENT_TYPE, OCCURRED_AT, DETAIL) "
            + "SELECT ID, '" + MessageEventType.SENT.name() + "', SENT_AT, NULL FROM sent), "
            + "sending AS (UPDATE CR_PLANNED_MESSAGE SET STATUS = 'SENDING', LEASE_UNTIL = ?, UPDATED_AT = ? "
            + "WHERE ID = ? AND STATUS = 'PREPARED' AND CLAIMED_BY = ? RETURNING ID) "
            + "SELECT ID FROM sending";

    /** A PREPARED message not to hand over after all (its recipient was refused earlier in the batch): SKIPPED. */
    public boolean skipPrepared(long id, String node, String reason, Instant now) {
        int skipped = jdbc.update("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'SKIPPED', OUTCOME = ?, LEASE_UNTIL = NULL, "
                + "UPDATED_AT = ? WHERE ID = ? AND STATUS = 'PREPARED' AND CLAIMED_BY = ?", reason, ts(now), id, node);
        if (skipped == 1) {
            MessageEvents.record(jdbc, id, MessageEventType.SKIPPED, reason, now);
            metrics.messageSkipped(reason);
        }
        return skipped == 1;
    }

    /**
     * The message at hand was refused for good (FAILED) or its fate is unknown (UNCONFIRMED, never retried), with
     * {@code outcome} and the error; one attempt counted.
     */
    public boolean endAtHand(long id, String node, MessageStatus next, String outcome, String error, Instant now) {
        if (next != MessageStatus.FAILED && next != MessageStatus.UNCONFIRMED) {
            throw new IllegalArgumentException("the message at hand ends FAILED or UNCONFIRMED, not " + next);
        }
        int recorded = jdbc.update("UPDATE CR_PLANNED_MESSAGE SET STATUS = ?, OUTCOME = ?, LAST_ERROR = ?, "
                + "ATTEMPTS = ATTEMPTS + 1, LEASE_UNTIL = NULL, UPDATED_AT = ? WHERE ID = ? AND " + AT_HAND,
                next.name(), truncate(outcome, 32), truncate(error), ts(now), id, node);
        if (recorded == 1) {
            MessageEvents.record(jdbc, id, MessageEventType.valueOf(next.name()), error, now);
            if (next == MessageStatus.FAILED) {
                metrics.messageFailed(outcome);
            } else {
                metrics.messagesUnconfirmed(1);
            }
        }
        return recorded == 1;
    }

    /** This node's hand-over of the message failed, so it never left: back to PLANNED (from PREPARED or at hand). */
    public void notHandedOver(long id, String node, Instant now) {
        jdbc.update("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'PLANNED', OUTCOME = NULL, CLAIMED_BY = NULL, "
                + "LEASE_UNTIL = NULL, UPDATED_AT = ? WHERE ID = ? AND ((STATUS = 'PREPARED' AND CLAIMED_BY = ?) "
                + "OR (" + AT_HAND + "))", ts(now), id, node, node);
    }

    // ----- retries -----

    public int attempts(long id) {
        Integer attempts = jdbc.queryForObject("SELECT ATTEMPTS FROM CR_PLANNED_MESSAGE WHERE ID = ?", Integer.class, id);
        return attempts == null ? 0 : attempts;
    }

    /** Definitely not delivered, attempts left: PLANNED again, due at {@code due}, with the error. */
    public boolean retry(long id, String node, Held held, int attempts, Instant due, String error, Instant now) {
        int planned = jdbc.update("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'PLANNED', OUTCOME = NULL, ATTEMPTS = ?, "
                + "DUE_AT = ?, LAST_ERROR = ?, CLAIMED_BY = NULL, LEASE_UNTIL = NULL, UPDATED_AT = ? WHERE ID = ? AND "
                + held.condition, attempts, ts(due), truncate(error), ts(now), id, node);
        if (planned == 1) {
            MessageEvents.record(jdbc, id, MessageEventType.RETRY_SCHEDULED, error, now);
        }
        return planned == 1;
    }

    /** Definitely not delivered, no attempts left: FAILED with TOO_MANY_ATTEMPTS. */
    public boolean tooManyAttempts(long id, String node, Held held, int attempts, String error, Instant now) {
        int failed = jdbc.update("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'FAILED', OUTCOME = 'TOO_MANY_ATTEMPTS', "
                + "ATTEMPTS = ?, LAST_ERROR = ?, LEASE_UNTIL = NULL, UPDATED_AT = ? WHERE ID = ? AND " + held.condition,
                attempts, truncate(error), ts(now), id, node);
        if (failed == 1) {
            MessageEvents.record(jdbc, id, MessageEventType.FAILED, error, now);
            metrics.messageFailed("TOO_MANY_ATTEMPTS");
        }
        return failed == 1;
    }

    // -----

    /** Rows a batch changed (a driver that cannot tell per row counts each). */
    private static int moved(int[] counts, int statements) {
        int moved = 0;
        for (int i = 0; i < statements; i++) {
            moved += i >= counts.length || counts[i] != 0 ? 1 : 0;
        }
        return moved;
    }

    private static List<Object[]> byId(List<Long> ids, Instant now) {
        List<Object[]> rows = new ArrayList<Object[]>();
        for (Long id : ids) {
            rows.add(new Object[] {ts(now), id, ts(now)});
        }
        return rows;
    }

    static String placeholders(int count) {
        return count <= 0 ? "" : String.join(", ", Collections.nCopies(count, "?"));
    }

    static String truncate(String text) {
        return truncate(text, 1000);
    }

    static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    static Timestamp ts(Instant instant) {
        return new Timestamp(instant.toEpochMilli());
    }
}
