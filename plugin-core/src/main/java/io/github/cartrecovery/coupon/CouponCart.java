package io.github.cartrecovery.coupon;

import java.math.BigDecimal;

/**
 * The cart as the coupon rules see it: its total and number of items (the segment and the discount cap) and the
 * currency and locale the discount is shown in. Implemented by {@code rendering.RecoveryCart}; declared here so
 * the coupon package needs nothing of the rendering package.
 */
public interface CouponCart {

    String getLocaleCode();

    String getCurrencyCode();

    BigDecimal total();

    /** Units in the cart, all lines together. */
    int itemQuantity();
}
