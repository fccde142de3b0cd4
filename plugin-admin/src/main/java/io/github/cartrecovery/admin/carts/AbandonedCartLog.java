package io.github.cartrecovery.admin.carts;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.RowMapper;

import io.github.cartrecovery.suppression.SuppressionReason;
import io.github.cartrecovery.capture.CartStatus;
import io.github.cartrecovery.personaldata.PersonalDataMask;
import io.github.cartrecovery.reporting.ReportingDatabase;

/**
 * What the "Abandoned Carts" admin screen reads: captured carts filtered by status and by last activity,
 * newest first, with the due time of each cart's next PLANNED message; and one cart with its messages and
 * their events. Read only, from the read replica when one is configured and fresh ({@link ReportingDatabase}), else
 * from the primary; each answer says which. Personal data (the address; addresses in errors and event details) leaves
 * this class masked ({@link PersonalDataMask}) unless the caller asks for it unmasked ({@code unmasked}: the viewer
 * holds the personal-data permission).
 * <p>
 * Indexes: the list filters on IX_CR_CART_STATUS_ACTIVITY (STATUS, LAST_ACTIVITY); the next-message
 * subquery and the detail's messages use UQ_CR_PLANNED_ORDER_STEP (ORDER_ID, STEP_ID); the events
 * IX_CR_EVENT_MESSAGE.
 */
public class AbandonedCartLog {

    private static final String CART_COLUMNS = "c.ORDER_ID, c.STATUS, c.EMAIL, c.CURRENCY_CODE, c.TOTAL, c.ITEM_COUNT,"
            + " c.LAST_ACTIVITY, c.ABANDONED_AT,"
            + " (SELECT MIN(m.DUE_AT) FROM CR_PLANNED_MESSAGE m WHERE m.ORDER_ID = c.ORDER_ID AND m.STATUS = 'PLANNED') AS NEXT_DUE,"
            + " c.PHONE, c.SMS_CONSENT, c.EXCLUSION_REASON,"
            // the address's suppression, if any (UQ_CR_SUPPRESSION_EMAIL; suppressed addresses are stored lower-case)
            + " (SELECT s.REASON FROM CR_SUPPRESSION s WHERE s.EMAIL = LOWER(c.EMAIL)) AS SUPPRESSION_REASON";

    private final ReportingDatabase database;

    public AbandonedCartLog(ReportingDatabase database) {
        this.database = database;
    }

    /** Reads the primary only (no read replica). */
    public AbandonedCartLog(DataSource dataSource) {
        this(ReportingDatabase.primaryOnly(dataSource));
    }

    /**
     * One page of carts, last activity newest first. {@code status} null means every status; {@code from}
     * (inclusive) and {@code to} (exclusive) bound LAST_ACTIVITY when not null. Returns at most
     * {@code pageSize + 1} rows so the caller can tell whether there is a next page.
     */
    public ReportingDatabase.Read<List<CartRow>> find(CartStatus status, Instant from, Instant to, int offset, int pageSize,
                                                      boolean unmasked) {
        StringBuilder sql = new StringBuilder("SELECT ").append(CART_COLUMNS).append(" FROM CR_CAPTURED_CART c WHERE 1 = 1");
        final List<Object> args = new ArrayList<Object>();
        if (status != null) {
            sql.append(" AND c.STATUS = ?");
            args.add(status.name());
        }
        if (from != null) {
            sql.append(" AND c.LAST_ACTIVITY >= ?");
            args.add(new Timestamp(from.toEpochMilli()));
        }
        if (to != null) {
            sql.append(" AND c.LAST_ACTIVITY < ?");
            args.add(new Timestamp(to.toEpochMilli()));
        }
        sql.append(" ORDER BY c.LAST_ACTIVITY DESC, c.ORDER_ID DESC LIMIT ? OFFSET ?");
        args.add(pageSize + 1);
        args.add(offset);
        final String query = sql.toString();
        final RowMapper<CartRow> rows = cartRow(unmasked);
        return database.read(new ReportingDatabase.Query<List<CartRow>>() {
            @Override
            public List<CartRow> run(JdbcTemplate jdbc) {
                return jdbc.query(query, rows, args.toArray());
            }
        });
    }

    /** One cart with its messages (by step) and each message's events (oldest first); a null value when unknown. */
    public ReportingDatabase.Read<CartDetail> detail(final long orderId, final boolean unmasked) {
        return database.read(new ReportingDatabase.Query<CartDetail>() {
            @Override
            public CartDetail run(JdbcTemplate jdbc) {
                return detail(jdbc, orderId, unmasked);
            }
        });
    }

    private static CartDetail detail(JdbcTemplate jdbc, long orderId, final boolean unmasked) {
        List<CartRow> carts = jdbc.query("SELECT " + CART_COLUMNS + " FROM CR_CAPTURED_CART c WHERE c.ORDER_ID = ?",
                cartRow(unmasked), orderId);
        if (carts.isEmpty()) {
            return null;
        }
        final Map<Long, MessageRow> messages = new LinkedHashMap<Long, MessageRow>();
        jdbc.query("SELECT m.ID, m.CAMPAIGN_ID, cp.NAME, m.STEP_NO, m.STATUS, m.DUE_AT, m.SENT_AT, m.ATTEMPTS, m.OUTCOME, m.LAST_ERROR"
                + " FROM CR_PLANNED_MESSAGE m LEFT JOIN CR_CAMPAIGN cp ON cp.ID = m.CAMPAIGN_ID"
                + " WHERE m.ORDER_ID = ? ORDER BY m.DUE_AT, m.ID", new RowCallbackHandler() {
                    @Override
                    public void processRow(ResultSet rs) throws SQLException {
                        MessageRow row = new MessageRow(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getInt(4),
                                rs.getString(5), rs.getTimestamp(6), rs.getTimestamp(7), rs.getInt(8), rs.getString(9),
                                text(rs.getString(10), unmasked));
                        messages.put(row.getId(), row);
                    }
                }, orderId);
        if (!messages.isEmpty()) {
            jdbc.query("SELECT e.PLANNED_MESSAGE_ID, e.EVENT_TYPE, e.OCCURRED_AT, e.DETAIL FROM CR_MESSAGE_EVENT e"
                    + " WHERE e.PLANNED_MESSAGE_ID IN (SELECT m.ID FROM CR_PLANNED_MESSAGE m WHERE m.ORDER_ID = ?)"
                    + " ORDER BY e.OCCURRED_AT, e.ID", new RowCallbackHandler() {
                        @Override
                        public void processRow(ResultSet rs) throws SQLException {
                            MessageRow message = messages.get(rs.getLong(1));
                            if (message != null) {
                                message.events.add(new EventRow(rs.getString(2), rs.getTimestamp(3), text(rs.getString(4), unmasked)));
                            }
                        }
                    }, orderId);
        }
        return new CartDetail(carts.get(0), new ArrayList<MessageRow>(messages.values()));
    }

    private static RowMapper<CartRow> cartRow(final boolean unmasked) {
        return new RowMapper<CartRow>() {
            @Override
            public CartRow mapRow(ResultSet rs, int rowNum) throws SQLException {
                String email = rs.getString(3);
                String phone = rs.getString(10);
                return new CartRow(rs.getLong(1), rs.getString(2), unmasked ? email : PersonalDataMask.email(email), rs.getString(4),
                        rs.getBigDecimal(5), rs.getInt(6), rs.getTimestamp(7), rs.getTimestamp(8), rs.getTimestamp(9),
                        unmasked ? phone : PersonalDataMask.phone(phone), rs.getString(11), rs.getString(12), rs.getString(13));
            }
        };
    }

    private static String text(String text, boolean unmasked) {
        return unmasked ? text : PersonalDataMask.text(text);
    }

    private static Date date(Timestamp at) {
        return at == null ? null : new Date(at.getTime());
    }

    /** A cart as the list shows it (the address masked unless asked for unmasked). */
    public static final class CartRow {
        private final long orderId;
        private final String status;
        private final String email;
        private final String currencyCode;
        private final BigDecimal total;
        private final int itemCount;
        private final Date lastActivity;
        private final Date abandonedAt;
        private final Date nextMessageDue;
        private final String phone;
        private final String smsConsent;
        private final String exclusionReason;
        private final String suppressionReason;

        CartRow(long orderId, String status, String email, String currencyCode, BigDecimal total, int itemCount,
                Timestamp lastActivity, Timestamp abandonedAt, Timestamp nextMessageDue, String phone, String smsConsent,
                String exclusionReason, String suppressionReason) {
            this.orderId = orderId;
            this.status = status;
            this.email = email;
            this.currencyCode = currencyCode;
            this.total = total;
            this.itemCount = itemCount;
            this.lastActivity = date(lastActivity);
            this.abandonedAt = date(abandonedAt);
            this.nextMessageDue = date(nextMessageDue);
            this.phone = phone;
            this.smsConsent = smsConsent;
            this.exclusionReason = exclusionReason;
            this.suppressionReason = suppressionReason;
        }

        public long getOrderId() { return orderId; }
        public String getStatus() { return status; }
        /** The address as the viewer may see it: masked ({@code j***@example.com}) or, with the permission, in full. */
        public String getEmail() { return email; }
        public String getCurrencyCode() { return currencyCode; }
        public BigDecimal getTotal() { return total; }
        public int getItemCount() { return itemCount; }
        public Date getLastActivity() { return lastActivity; }
        public Date getAbandonedAt() { return abandonedAt; }
        /** The due time of the earliest PLANNED message, or null when none is planned. */
        public Date getNextMessageDue() { return nextMessageDue; }
        /** The phone number as the viewer may see it: masked ({@code +44***56}) or, with the permission, in full; or null. */
        public String getPhone() { return phone; }
        /** GRANTED, DENIED or UNKNOWN: consent to texts, separate from email consent. */
        public String getSmsConsent() { return smsConsent; }
        /** Why an EXCLUDED cart gets no message ("bot user agent", "below minimum value", ...); null otherwise. */
        public String getExclusionReason() { return "EXCLUDED".equals(status) ? exclusionReason : null; }
        /**
         * UNSUBSCRIBED, BOUNCED or MANUAL ({@link SuppressionReason}) when the cart's address is suppressed (no email goes to it, whatever
         * the cart's status says), else null.
         */
        public String getSuppressionReason() { return suppressionReason; }
        /**
         * What the screens show as the cart's state: its status, except that a cart still ABANDONED or IN_RECOVERY whose
         * address is suppressed is shown by the suppression ("UNSUBSCRIBED"), since no email will reach it.
         */
        /** The message key saying the suppression (known reasons only; a key is never built from free text). */
        public String getSuppressionMessageKey() {
            for (SuppressionReason reason : SuppressionReason.values()) {
                if (reason.name().equals(suppressionReason)) {
                    return "cartRecovery.carts.suppressed." + reason.name();
                }
            }
            return "cartRecovery.carts.suppressed." + SuppressionReason.MANUAL.name();
        }

        public String getDisplayStatus() {
            boolean stillRecovering = "ABANDONED".equals(status) || "IN_RECOVERY".equals(status);
            return stillRecovering && suppressionReason != null ? suppressionReason : status;
        }
    }

    /** A cart and its messages. */
    public static final class CartDetail {
        private final CartRow cart;
        private final List<MessageRow> messages;

        CartDetail(CartRow cart, List<MessageRow> messages) {
            this.cart = cart;
            this.messages = Collections.unmodifiableList(messages);
        }

        public CartRow getCart() { return cart; }
        public List<MessageRow> getMessages() { return messages; }
    }

    /** One planned message of a cart with its events. */
    public static final class MessageRow {
        private final long id;
        private final long campaignId;
        private final String campaignName;
        private final int stepNo;
        private final String status;
        private final Date dueAt;
        private final Date sentAt;
        private final int attempts;
        private final String outcome;
        private final String lastError;
        private final List<EventRow> events = new ArrayList<EventRow>();

        MessageRow(long id, long campaignId, String campaignName, int stepNo, String status, Timestamp dueAt,
                   Timestamp sentAt, int attempts, String outcome, String lastError) {
            this.id = id;
            this.campaignId = campaignId;
            this.campaignName = campaignName;
            this.stepNo = stepNo;
            this.status = status;
            this.dueAt = date(dueAt);
            this.sentAt = date(sentAt);
            this.attempts = attempts;
            this.outcome = outcome;
            this.lastError = lastError;
        }

        public long getId() { return id; }
        public long getCampaignId() { return campaignId; }
        public String getCampaignName() { return campaignName; }
        public int getStepNo() { return stepNo; }
        public String getStatus() { return status; }
        public Date getDueAt() { return dueAt; }
        public Date getSentAt() { return sentAt; }
        public int getAttempts() { return attempts; }
        public String getOutcome() { return outcome; }
        public String getLastError() { return lastError; }
        public List<EventRow> getEvents() { return Collections.unmodifiableList(events); }
    }

    /** One event of a message. */
    public static final class EventRow {
        private final String type;
        private final Date occurredAt;
        private final String detail;

        EventRow(String type, Timestamp occurredAt, String detail) {
            this.type = type;
            this.occurredAt = date(occurredAt);
            this.detail = detail;
        }

        public String getType() { return type; }
        public Date getOccurredAt() { return occurredAt; }
        public String getDetail() { return detail; }
    }
}
