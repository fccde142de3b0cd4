package io.github.cartrecovery.capture;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import javax.sql.DataSource;

/**
 * CR_CAPTURE_REJECTION (1.1/014): what capture could not store, for the operator (admin "Capture Rejections").
 * One row per cart, source and field; a repeat of the same problem updates its row (latest reason, last time,
 * count) instead of adding one, so a shopper who keeps changing a poisoned cart adds no rows. Holds the order id,
 * the field, the reason and at most a masked value: no address, name or other personal data in clear.
 * Written on its own connection in auto-commit (a rejection is recorded even when the cart's own transaction
 * rolled back); never throws: a rejection that cannot be written is logged (throttled) and dropped.
 */
public class CaptureRejections {

    /** Where the refused value came from. */
    public enum Source { STOREFRONT, ADMIN, RECONCILIATION }

    /** The field of a whole row the database refused (the reason then names the column when the database does). */
    public static final String WHOLE_ROW = "row";

    static final int REASON = 512;
    static final int MASKED_VALUE = 128;

    private static final String UPDATE =
            "UPDATE CR_CAPTURE_REJECTION SET REASON = ?, MASKED_VALUE = ?, LAST_OCCURRED_AT = ?,"
            + " OCCURRENCES = OCCURRENCES + 1 WHERE ORDER_ID = ? AND SOURCE = ? AND FIELD = ?";
    private static final String INSERT =
            "INSERT INTO CR_CAPTURE_REJECTION (ORDER_ID, SOURCE, FIELD, REASON, MASKED_VALUE, FIRST_OCCURRED_AT,"
            + " LAST_OCCURRED_AT, OCCURRENCES) VALUES (?, ?, ?, ?, ?, ?, ?, 1)";
    private static final String LATEST =
            "SELECT ORDER_ID, SOURCE, FIELD, REASON, MASKED_VALUE, FIRST_OCCURRED_AT, LAST_OCCURRED_AT, OCCURRENCES"
            + " FROM CR_CAPTURE_REJECTION ORDER BY LAST_OCCURRED_AT DESC, ID DESC LIMIT ? OFFSET ?";

    private final DataSource dataSource;
    private final Clock clock;
    private final ThrottledLog log;

    public CaptureRejections(DataSource dataSource, Clock clock, ThrottledLog log) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.log = log;
    }

    /** Records that {@code field} of cart {@code orderId} was not stored, and why. */
    public void record(long orderId, Source source, String field, String reason, String maskedValue) {
        Timestamp now = Timestamp.from(clock.instant());
        String cleanReason = CaptureInputRules.text(reason == null ? "unknown" : reason, REASON);
        String cleanMask = CaptureInputRules.text(maskedValue, MASKED_VALUE);
        String cleanField = CaptureInputRules.text(field, 64);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            try (PreparedStatement update = connection.prepareStatement(UPDATE)) {
                update.setString(1, cleanReason);
                update.setString(2, cleanMask);
                update.setTimestamp(3, now);
                update.setLong(4, orderId);
                update.setString(5, source.name());
                update.setString(6, cleanField);
                if (update.executeUpdate() > 0) {
                    return;
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                insert.setLong(1, orderId);
                insert.setString(2, source.name());
                insert.setString(3, cleanField);
                insert.setString(4, cleanReason);
                insert.setString(5, cleanMask);
                insert.setTimestamp(6, now);
                insert.setTimestamp(7, now);
                insert.executeUpdate();
            }
        } catch (SQLException | RuntimeException e) {
            log.warn("capture-rejection-write:" + e.getClass().getName(),
                    "Cart Recovery could not record a capture rejection (order " + orderId + ", " + cleanField + ": "
                            + cleanReason + ")", e);
        }
    }

    /** The most recently seen rejections first; {@code limit + 1} rows tell the caller there is a next page. */
    public List<Rejection> latest(int offset, int limit) {
        List<Rejection> rows = new ArrayList<Rejection>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(LATEST)) {
            select.setInt(1, limit);
            select.setInt(2, offset);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    rows.add(new Rejection(row.getLong(1), row.getString(2), row.getString(3), row.getString(4),
                            row.getString(5), row.getTimestamp(6), row.getTimestamp(7), row.getInt(8)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cart Recovery could not read CR_CAPTURE_REJECTION: " + e.getMessage(), e);
        }
        return rows;
    }

    /** One row of CR_CAPTURE_REJECTION, as the admin shows it. */
    public static final class Rejection {
        private final long orderId;
        private final String source;
        private final String field;
        private final String reason;
        private final String maskedValue;
        private final Date firstOccurredAt;
        private final Date lastOccurredAt;
        private final int occurrences;

        Rejection(long orderId, String source, String field, String reason, String maskedValue,
                  Date firstOccurredAt, Date lastOccurredAt, int occurrences) {
            this.orderId = orderId;
            this.source = source;
            this.field = field;
            this.reason = reason;
            this.maskedValue = maskedValue;
            this.firstOccurredAt = firstOccurredAt;
            this.lastOccurredAt = lastOccurredAt;
            this.occurrences = occurrences;
        }

        public long getOrderId() { return orderId; }
        public String getSource() { return source; }
        public String getField() { return field; }
        public String getReason() { return reason; }
        public String getMaskedValue() { return maskedValue; }
        public Date getFirstOccurredAt() { return firstOccurredAt; }
        public Date getLastOccurredAt() { return lastOccurredAt; }
        public int getOccurrences() { return occurrences; }
    }
}
