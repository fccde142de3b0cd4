package io.github.cartrecovery.coupon;

/** Why a message that could carry a coupon goes without one. The message itself is still sent. */
public enum CouponRefusal {
    NO_POLICY,
    CART_PURCHASED,
    FIRST_STEP,
    NOT_IN_SEGMENT,
    RECENT_COUPON,
    TEMPLATE_UNAVAILABLE,
    OVER_MAX_DISCOUNT
}
