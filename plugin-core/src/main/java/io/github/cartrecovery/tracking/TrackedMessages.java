package io.github.cartrecovery.tracking;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * What the storefront learns about a sent message: which message a verified link names, and the events
 * it observes (OPENED, CLICKED) in CR_MESSAGE_EVENT, the one event log reports read. Every method is one
 * statement in its own (auto-commit) unit; recording never fails the shopper's request for a database
 * reason of its own making, callers decide.
 */
public class TrackedMessages {

    public static final String OPENED = "OPENED";
    public static final String CLICKED = "CLICKED";

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public TrackedMessages(DataSource dataSource, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
    }

    /** The planned message, or null when there is none with this id. */
    public TrackedMessage find(long plannedMessageId) {
        List<TrackedMessage> found = jdbc.query("SELECT ID, ORDER_ID, EMAIL, STEP_NO FROM CR_PLANNED_MESSAGE WHERE ID = ?",
                new RowMapper<TrackedMessage>() {
                    @Override
                    public TrackedMessage mapRow(ResultSet rs, int rowNum) throws SQLException {
                        return new TrackedMessage(rs.getLong("ID"), rs.getLong("ORDER_ID"), rs.getString("EMAIL"),
                                rs.getInt("STEP_NO"));
                    }
                }, plannedMessageId);
        return found.isEmpty() ? null : found.get(0);
    }

    /** Appends an event (OPENED, CLICKED...) with an optional detail (cut to 1000 characters). */
    public void record(long plannedMessageId, String eventType, String detail) {
        String cut = detail == null || detail.length() <= 1000 ? detail : detail.substring(0, 1000);
        jdbc.update("INSERT INTO CR_MESSAGE_EVENT (PLANNED_MESSAGE_ID, EVENT_TYPE, OCCURRED_AT, DETAIL) VALUES (?, ?, ?, ?)",
                plannedMessageId, eventType, new Timestamp(clock.millis()), cut);
    }

    /** A planned message as the landing pages need it. Immutable. */
    public static final class TrackedMessage {
        private final long id;
        private final long orderId;
        private final String email;
        private final int stepNo;

        TrackedMessage(long id, long orderId, String email, int stepNo) {
            this.id = id;
            this.orderId = orderId;
            this.email = email;
            this.stepNo = stepNo;
        }

        public long getId() { return id; }
        public long getOrderId() { return orderId; }
        public String getEmail() { return email; }
        public int getStepNo() { return stepNo; }
    }
}
