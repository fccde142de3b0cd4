package io.github.cartrecovery.coupon;

import io.github.cartrecovery.messages.MessageEventType;
import io.github.cartrecovery.messages.MessageEvents;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * The CR_COUPON table: one row per issued code, against the planned message that carried it. Plain SQL
 * joining the caller's transaction. Status lifecycle: ISSUED, then REDEEMED (used at a checkout), EXPIRED
 * (unused past its expiry) or REVOKED (unused, its cart was bought); each change is a conditional update
 * from ISSUED, so two nodes never close a coupon twice.
 */
public class CouponRecords {

    public static final String ISSUED = "ISSUED";
    public static final String REDEEMED = "REDEEMED";
    public static final String EXPIRED = "EXPIRED";
    public static final String REVOKED = "REVOKED";

    private final JdbcTemplate jdbc;

    public CouponRecords(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** One CR_COUPON row. Immutable. */
    public static final class Coupon {
        public final long id;
        public final long plannedMessageId;
        public final long orderId;
        public final long offerId;
        public final long offerCodeId;
        public final String code;
        public final String status;
        public final Instant issuedAt;
        public final Instant expiresAt;

        Coupon(long id, long plannedMessageId, long orderId, long offerId, long offerCodeId, String code, String status,
               Instant issuedAt, Instant expiresAt) {
            this.id = id;
            this.plannedMessageId = plannedMessageId;
            this.orderId = orderId;
            this.offerId = offerId;
            this.offerCodeId = offerCodeId;
            this.code = code;
            this.status = status;
            this.issuedAt = issuedAt;
            this.expiresAt = expiresAt;
        }

        public boolean isOpenAt(Instant now) {
            return ISSUED.equals(status) && now.isBefore(expiresAt);
        }
    }

    private static final String COLUMNS = "ID, PLANNED_MESSAGE_ID, ORDER_ID, OFFER_ID, OFFER_CODE_ID, CODE, STATUS, "
            + "ISSUED_AT, EXPIRES_AT";

    private static final RowMapper<Coupon> ROW = new RowMapper<Coupon>() {
        @Override
        public Coupon mapRow(ResultSet rs, int rowNum) throws SQLException {
            return new Coupon(rs.getLong("ID"), rs.getLong("PLANNED_MESSAGE_ID"), rs.getLong("ORDER_ID"),
                    rs.getLong("OFFER_ID"), rs.getLong("OFFER_CODE_ID"), rs.getString("CODE"), rs.getString("STATUS"),
                    rs.getTimestamp("ISSUED_AT").toInstant(), rs.getTimestamp("EXPIRES_AT").toInstant());
        }
    };

    public Coupon forMessage(long plannedMessageId) {
        List<Coupon> rows = jdbc.query("SELECT " + COLUMNS + " FROM CR_COUPON WHERE PLANNED_MESSAGE_ID = ?", ROW,
                plannedMessageId);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /**
     * Inserts the row inside a savepoint, so a duplicate code (UQ_CR_COUPON_CODE) only undoes this insert and
     * the surrounding transaction goes on (PostgreSQL would otherwise abort it). False = the code is taken.
     */
    public boolean insert(final long plannedMessageId, final long orderId, final String email, final long offerId,
                          final long offerCodeId, final String code, final Instant issuedAt, final Instant expiresAt) {
        return jdbc.execute(new ConnectionCallback<Boolean>() {
            @Override
            public Boolean doInConnection(Connection connection) throws SQLException, DataAccessException {
                Savepoint savepoint = connection.setSavepoint();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO CR_COUPON (PLANNED_MESSAGE_ID, "
                        + "ORDER_ID, EMAIL, OFFER_ID, OFFER_CODE_ID, CODE, STATUS, ISSUED_AT, EXPIRES_AT) "
                        + "VALUES (?, ?, ?, ?, ?, ?, 'ISSUED', ?, ?)");
                try {
                    insert.setLong(1, plannedMessageId);
                    insert.setLong(2, orderId);
                    insert.setString(3, email);
                    insert.setLong(4, offerId);
                    insert.setLong(5, offerCodeId);
                    insert.setString(6, code);
                    insert.setTimestamp(7, ts(issuedAt));
                    insert.setTimestamp(8, ts(expiresAt));
                    insert.executeUpdate();
                } catch (SQLException e) {
                    connection.rollback(savepoint);
                    if (isDuplicateCode(e)) {
                        return false;
                    }
                    throw e;
                } catch (RuntimeException e) {
                    // Broadleaf's JPA connection is Hibernate's proxy, which throws its own exceptions
                    connection.rollback(savepoint);
                    if (isDuplicateCode(sqlCause(e))) {
                        return false;
                    }
                    throw e;
                } finally {
                    insert.close();
                }
                connection.releaseSavepoint(savepoint);
                return true;
            }
        });
    }

    private static SQLException sqlCause(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException) {
                return (SQLException) cause;
            }
        }
        return null;
    }

    /** An integrity violation (SQLSTATE class 23) on the code's constraint, or one not naming the message's. */
    private static boolean isDuplicateCode(SQLException e) {
        if (e == null) {
            return false;
        }
        String state = e.getSQLState();
        String message = String.valueOf(e.getMessage()).toUpperCase(java.util.Locale.ROOT);
        return state != null && state.startsWith("23")
                && (message.contains("UQ_CR_COUPON_CODE") || !message.contains("UQ_CR_COUPON_MESSAGE"));
    }

    /** Open coupons past their expiry, oldest first (index IX_CR_COUPON_STATUS_EXPIRES). */
    public List<Coupon> expired(Instant now, int limit) {
        JdbcTemplate limited = new JdbcTemplate(jdbc.getDataSource());
        limited.setMaxRows(limit);
        return limited.query("SELECT " + COLUMNS + " FROM CR_COUPON WHERE STATUS = 'ISSUED' AND EXPIRES_AT <= ? "
                + "ORDER BY EXPIRES_AT", ROW, ts(now));
    }

    /** Open coupons whose cart was bought in Broadleaf. */
    public List<Coupon> forPurchasedCarts(int limit) {
        JdbcTemplate limited = new JdbcTemplate(jdbc.getDataSource());
        limited.setMaxRows(limit);
        return limited.query("SELECT " + prefixed("c") + " FROM CR_COUPON c JOIN BLC_ORDER o ON o.ORDER_ID = c.ORDER_ID "
                + "WHERE c.STATUS = 'ISSUED' AND o.ORDER_STATUS = 'SUBMITTED' ORDER BY c.ID", ROW);
    }

    /** ISSUED -> status; false when another node (or a redemption) closed it first. */
    public boolean close(long couponId, String status, Instant now) {
        return jdbc.update("UPDATE CR_COUPON SET STATUS = ?, CLOSED_AT = ? WHERE ID = ? AND STATUS = 'ISSUED'",
                status, ts(now), couponId) == 1;
    }

    public void event(long plannedMessageId, MessageEventType type, String detail, Instant at) {
        MessageEvents.record(jdbc, plannedMessageId, type, detail, at);
    }

    private static String prefixed(String alias) {
        return alias + "." + COLUMNS.replace(", ", ", " + alias + ".");
    }

    private static Timestamp ts(Instant instant) {
        return new Timestamp(instant.toEpochMilli());
    }
}
