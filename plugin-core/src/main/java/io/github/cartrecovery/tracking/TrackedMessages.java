package io.github.cartrecovery.tracking;

import io.github.cartrecovery.messages.MessageEventType;
import io.github.cartrecovery.messages.MessageEvents;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import io.github.cartrecovery.metrics.PluginMetrics;

/**
 * What the storefront learns about a sent message: which message a verified link names, and the visits to its
 * links in CR_MESSAGE_EVENT, the one event log reports and attribution read.
 * <ul>
 *   <li>A person's visit is OPENED (pixel) or CLICKED (click and restore links); a link-scanning gateway's is
 *       SCANNED ({@link ScannerRules}), which nothing counts and attribution never reads.</li>
 *   <li>Bounded per message and type: the first is always recorded; a later one only when at least
 *       {@code repeatInterval} has passed since the last recorded one, and at most {@code maxPerMessage} in all.
 *       Replaying a link adds nothing more. Each row takes the next TRACKING_SLOT; the unique constraint
 *       UQ_CR_EVENT_TRACKING_SLOT lets only one of two nodes answering the same replay at once insert it.</li>
 *   <li>With the open pixel switched off, emails carry no pixel and the open endpoint records nothing.</li>
 * </ul>
 * No client address is stored. Every statement runs in its own (auto-commit) unit.
 */
public class TrackedMessages {

    public static final String OPENED = "OPENED";
    public static final String CLICKED = "CLICKED";
    public static final String SCANNED = "SCANNED";

    private static final int MAX_DETAIL = 1000;

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final ScannerRules scanners;
    private final boolean openPixel;
    private final int maxPerMessage;
    private final Duration repeatInterval;

    private volatile PluginMetrics metrics = PluginMetrics.inMemory();

    public TrackedMessages(DataSource dataSource, Clock clock, ScannerRules scanners, boolean openPixel,
                           int maxPerMessage, int repeatIntervalMinutes) {
        if (maxPerMessage < 1) {
            throw new IllegalArgumentException("cartrecovery.tracking.max-events-per-message must be at least 1, was "
                    + maxPerMessage);
        }
        if (repeatIntervalMinutes < 0) {
            throw new IllegalArgumentException("cartrecovery.tracking.repeat-interval-minutes must be 0 or more, was "
                    + repeatIntervalMinutes);
        }
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
        this.scanners = scanners;
        this.openPixel = openPixel;
        this.maxPerMessage = maxPerMessage;
        this.repeatInterval = Duration.ofMinutes(repeatIntervalMinutes);
    }

    /** Where the plugin counts what happens (bean crMetrics); in memory only until set. */
    public void setMetrics(PluginMetrics metrics) {
        this.metrics = metrics;
    }

    /** The planned message, or null when there is none with this id. */
    public TrackedMessage find(long plannedMessageId) {
        List<TrackedMessage> found = jdbc.query("SELECT ID, ORDER_ID, EMAIL, STEP_NO, SENT_AT, CHANNEL, TRIGGER_TYPE FROM CR_PLANNED_MESSAGE WHERE ID = ?",
                new RowMapper<TrackedMessage>() {
                    @Override
                    public TrackedMessage mapRow(ResultSet rs, int rowNum) throws SQLException {
                        Timestamp sentAt = rs.getTimestamp("SENT_AT");
                        return new TrackedMessage(rs.getLong("ID"), rs.getLong("ORDER_ID"), rs.getString("EMAIL"),
                                rs.getInt("STEP_NO"), sentAt == null ? null : sentAt.toInstant(), rs.getString("CHANNEL"),
                                rs.getString("TRIGGER_TYPE"));
                    }
                }, plannedMessageId);
        return found.isEmpty() ? null : found.get(0);
    }

    /** False when the open pixel is switched off ({@code cartrecovery.tracking.open-pixel=false}). */
    public boolean tracksOpens() {
        return openPixel;
    }

    /**
     * Records a visit to one of the message's links: {@code eventType} (OPENED or CLICKED, with {@code detail})
     * for a person, SCANNED with the rule's reason for a gateway; nothing for an open while the pixel is off.
     * Returns the verdict, so the restore link can leave a scanner's session alone.
     */
    public VisitVerdict recordVisit(TrackedMessage message, String eventType, String detail, LinkVisit visit) {
        VisitVerdict verdict = scanners.classify(visit, message.getSentAt());
        if (OPENED.equals(eventType) && !openPixel) {
            return verdict;
        }
        if (verdict.isPerson()) {
            record(message.getId(), eventType, detail);
        } else {
            String link = OPENED.equals(eventType) ? "open" : detail == null ? "click" : detail;
            record(message.getId(), SCANNED, link + ": " + verdict.getReason());
        }
        return verdict;
    }

    /**
     * Appends a tracking event (detail cut to 1000 characters) unless the bound says no; true when this call
     * inserted it.
     */
    public boolean record(long plannedMessageId, String eventType, String detail) {
        Instant now = clock.instant();
        Recorded recorded = jdbc.queryForObject("SELECT MAX(TRACKING_SLOT) AS LAST_SLOT, MAX(OCCURRED_AT) AS LAST_AT"
                + " FROM CR_MESSAGE_EVENT WHERE PLANNED_MESSAGE_ID = ? AND EVENT_TYPE = ?", new RowMapper<Recorded>() {
                    @Override
                    public Recorded mapRow(ResultSet rs, int rowNum) throws SQLException {
                        Timestamp lastAt = rs.getTimestamp("LAST_AT");
                        return new Recorded(rs.getInt("LAST_SLOT"), lastAt == null ? null : lastAt.toInstant());
                    }
                }, plannedMessageId, eventType);
        int slot = recorded.lastSlot + 1;
        if (slot > maxPerMessage || (recorded.lastAt != null && now.isBefore(recorded.lastAt.plus(repeatInterval)))) {
            return false;
        }
        String cut = detail == null || detail.length() <= MAX_DETAIL ? detail : detail.substring(0, MAX_DETAIL);
        // false: another request (on this or another node) recorded this slot at the same moment
        MessageEventType type = MessageEventType.valueOf(eventType);
        boolean inserted = MessageEvents.recordInSlot(jdbc, plannedMessageId, type, cut, now, slot);
        if (inserted && type == MessageEventType.OPENED) {
            metrics.messageOpened();
        } else if (inserted && type == MessageEventType.CLICKED) {
            metrics.messageClicked();
        }
        return inserted;
    }

    private static final class Recorded {
        final int lastSlot;
        final Instant lastAt;

        Recorded(int lastSlot, Instant lastAt) {
            this.lastSlot = lastSlot;
            this.lastAt = lastAt;
        }
    }

    /** A planned message as the landing pages need it. Immutable. */
    public static final class TrackedMessage {
        private final long id;
        private final long orderId;
        private final String email;
        private final int stepNo;
        private final Instant sentAt;
        private final String channel;
        private final String triggerType;

        TrackedMessage(long id, long orderId, String email, int stepNo, Instant sentAt, String channel, String triggerType) {
            this.id = id;
            this.orderId = orderId;
            this.email = email;
            this.stepNo = stepNo;
            this.sentAt = sentAt;
            this.channel = channel;
            this.triggerType = triggerType;
        }

        public long getId() { return id; }
        public long getOrderId() { return orderId; }
        public String getEmail() { return email; }
        public int getStepNo() { return stepNo; }
        /** When the message was handed to the mail server; null while not sent. */
        public Instant getSentAt() { return sentAt; }
        /** The channel it went out on ({@code EMAIL}, {@code SMS}, {@code WEBHOOK} or a store's own). */
        public String getChannel() { return channel; }
        /** The trigger that planned it ({@code ABANDONED_CART}, {@code PRICE_DROP}, ...); null on rows from before triggers. */
        public String getTriggerType() { return triggerType; }
    }
}
