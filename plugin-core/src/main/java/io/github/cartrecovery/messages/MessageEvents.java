package io.github.cartrecovery.messages;

import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.SqlParameterValue;

/**
 * Appends to CR_MESSAGE_EVENT: what happened to a planned message, when, and a detail (at most 1,000 characters).
 * Writes in the caller's transaction.
 */
public final class MessageEvents {

    static final String INSERT = "INSERT INTO CR_MESSAGE_EVENT (PLANNED_MESSAGE_ID, EVENT_TYPE, OCCURRED_AT, DETAIL) "
            + "VALUES (?, ?, ?, ?)";

    private MessageEvents() {
    }

    public static void record(JdbcTemplate jdbc, long plannedMessageId, MessageEventType type, String detail, Instant at) {
        jdbc.update(INSERT, args(plannedMessageId, type, detail, at));
    }

    /** One batch statement for several events, in order. */
    public static void recordAll(JdbcTemplate jdbc, List<Object[]> events) {
        if (!events.isEmpty()) {
            jdbc.batchUpdate(INSERT, events);
        }
    }

    /**
     * The arguments of one event for {@link #recordAll}. A missing detail is a typed null: given a bare null, Spring asks
     * the driver for the statement's parameter types, which PostgreSQL's driver answers with a round trip of its own,
     * one per row of a batch (most events, SENT among them, have no detail).
     */
    public static Object[] args(long plannedMessageId, MessageEventType type, String detail, Instant at) {
        return new Object[] {plannedMessageId, type.name(), new Timestamp(at.toEpochMilli()), varchar(truncate(detail))};
    }

    /** A VARCHAR argument, null typed so Spring sets it without asking the driver (see {@link #args}). */
    public static Object varchar(String value) {
        return value == null ? new SqlParameterValue(Types.VARCHAR, null) : value;
    }

    /**
     * A tracked event (opened, clicked, scanned) in its replay slot: the unique (message, type, slot) constraint lets
     * one request on one node win. Returns false when the slot is taken (another request recorded it at that moment).
     */
    public static boolean recordInSlot(JdbcTemplate jdbc, long plannedMessageId, MessageEventType type, String detail,
                                       Instant at, int slot) {
        try {
            jdbc.update("INSERT INTO CR_MESSAGE_EVENT (PLANNED_MESSAGE_ID, EVENT_TYPE, OCCURRED_AT, DETAIL, TRACKING_SLOT) "
                    + "VALUES (?, ?, ?, ?, ?)", plannedMessageId, type.name(), new Timestamp(at.toEpochMilli()), truncate(detail), slot);
            return true;
        } catch (org.springframework.dao.DataIntegrityViolationException slotTaken) {
            return false;
        }
    }

    /** An event the report rollup must not count again (attribution: the rollup reads CR_ORDER_ATTRIBUTION). */
    public static void recordReported(JdbcTemplate jdbc, long plannedMessageId, MessageEventType type, String detail, Instant at) {
        jdbc.update("INSERT INTO CR_MESSAGE_EVENT (PLANNED_MESSAGE_ID, EVENT_TYPE, OCCURRED_AT, DETAIL, REPORTED) "
                + "VALUES (?, ?, ?, ?, 1)", args(plannedMessageId, type, detail, at));
    }

    /** One PLANNED event for each of the cart's messages of the campaign that has none yet (the planning transaction). */
    public static void recordPlanned(JdbcTemplate jdbc, long orderId, long campaignId, Instant at) {
        jdbc.update("INSERT INTO CR_MESSAGE_EVENT (PLANNED_MESSAGE_ID, EVENT_TYPE, OCCURRED_AT) "
                + "SELECT m.ID, 'PLANNED', ? FROM CR_PLANNED_MESSAGE m WHERE m.ORDER_ID = ? AND m.CAMPAIGN_ID = ? "
                + "AND NOT EXISTS (SELECT 1 FROM CR_MESSAGE_EVENT e WHERE e.PLANNED_MESSAGE_ID = m.ID "
                + "AND e.EVENT_TYPE = 'PLANNED')", new Timestamp(at.toEpochMilli()), orderId, campaignId);
    }

    /** The PLANNED event of each message planned for this browse session by this campaign (not yet recorded). */
    public static void recordPlannedForBrowse(JdbcTemplate jdbc, long browseSessionId, long campaignId, Instant at) {
        jdbc.update("INSERT INTO CR_MESSAGE_EVENT (PLANNED_MESSAGE_ID, EVENT_TYPE, OCCURRED_AT) "
                + "SELECT m.ID, 'PLANNED', ? FROM CR_PLANNED_MESSAGE m WHERE m.BROWSE_SESSION_ID = ? AND m.CAMPAIGN_ID = ? "
                + "AND NOT EXISTS (SELECT 1 FROM CR_MESSAGE_EVENT e WHERE e.PLANNED_MESSAGE_ID = m.ID "
                + "AND e.EVENT_TYPE = 'PLANNED')", new Timestamp(at.toEpochMilli()), browseSessionId, campaignId);
    }

    /** Privacy: forgets the details (addresses, user agents) of the messages' opens and clicks. Returns rows changed. */
    public static int eraseTrackingDetails(JdbcTemplate jdbc, List<Long> plannedMessageIds) {
        return jdbc.update("UPDATE CR_MESSAGE_EVENT SET DETAIL = NULL WHERE DETAIL IS NOT NULL "
                + "AND EVENT_TYPE IN ('OPENED', 'CLICKED') AND PLANNED_MESSAGE_ID IN (" + PlannedMessages.placeholders(plannedMessageIds.size())
                + ")", plannedMessageIds.toArray());
    }

    /** Whether the message has an event of this type already. */
    public static boolean has(JdbcTemplate jdbc, long plannedMessageId, MessageEventType type) {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM CR_MESSAGE_EVENT WHERE PLANNED_MESSAGE_ID = ? "
                + "AND EVENT_TYPE = ?", Integer.class, plannedMessageId, type.name());
        return count != null && count > 0;
    }

    static String truncate(String text) {
        return text == null || text.length() <= 1000 ? text : text.substring(0, 1000);
    }
}
