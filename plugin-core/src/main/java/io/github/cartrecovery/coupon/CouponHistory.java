package io.github.cartrecovery.coupon;

import java.sql.Timestamp;
import java.time.Instant;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The facts the coupon rules read from the database: Broadleaf's orders and the plugin's coupons.
 * Joins the caller's transaction (delivery's claim transaction). Stateless.
 */
public class CouponHistory {

    private final JdbcTemplate jdbc;

    public CouponHistory(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** The cart was checked out in Broadleaf. */
    public boolean isPurchased(long orderId) {
        java.util.List<String> status = jdbc.queryForList("SELECT ORDER_STATUS FROM BLC_ORDER WHERE ORDER_ID = ?",
                String.class, orderId);
        return !status.isEmpty() && "SUBMITTED".equals(status.get(0));
    }

    /** Another order of the same customer or email was submitted: a returning shopper. */
    public boolean hasOrderedBefore(long orderId, String email) {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM BLC_ORDER WHERE ORDER_STATUS = 'SUBMITTED' "
                + "AND ORDER_ID <> ? AND (LOWER(EMAIL_ADDRESS) = ? OR CUSTOMER_ID = "
                + "(SELECT CUSTOMER_ID FROM BLC_ORDER WHERE ORDER_ID = ?))", Integer.class, orderId, email, orderId);
        return count != null && count > 0;
    }

    /** A coupon was issued to this address since then, with another message (index IX_CR_COUPON_EMAIL_ISSUED). */
    public boolean receivedCouponSince(String email, Instant since, long otherThanMessageId) {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM CR_COUPON WHERE EMAIL = ? AND ISSUED_AT > ? "
                + "AND PLANNED_MESSAGE_ID <> ?", Integer.class, email, new Timestamp(since.toEpochMilli()), otherThanMessageId);
        return count != null && count > 0;
    }
}
