package io.github.cartrecovery.coupon;

import java.util.Locale;

/**
 * Who a step's coupon is for (CR_CAMPAIGN_STEP.COUPON_POLICY). A shopper is NEW until one of their orders
 * (same customer or same email) was submitted, RETURNING after; a HIGH_VALUE cart totals at least
 * {@code cartrecovery.coupons.high-value-cart-total} at current prices.
 */
public enum CouponRule {
    /** No coupon (the default). */
    NONE,
    /** Every shopper the step is sent to. */
    ANY,
    NEW,
    RETURNING,
    HIGH_VALUE;

    /** The rule named by a policy value, or null when it names none (a blank value is NONE). */
    public static CouponRule parse(String policy) {
        if (policy == null || policy.trim().isEmpty()) {
            return NONE;
        }
        try {
            return valueOf(policy.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
