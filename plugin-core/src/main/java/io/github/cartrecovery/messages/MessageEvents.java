package io.github.cartrecovery.messages;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;

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

    /** The arguments of one event for {@link #recordAll}. */
    public static Object[] args(long plannedMessageId, MessageEventType type, String detail, Instant at) {
        return new Object[] {plannedMessageId, type.name(), new Timestamp(at.toEpochMilli()), truncate(detail)};
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
