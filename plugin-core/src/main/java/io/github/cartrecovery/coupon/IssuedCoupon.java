package io.github.cartrecovery.coupon;

import java.time.Instant;

/**
 * The coupon a recovery email shows (template variable {@code coupon}): the code, the discount already
 * formatted for the shopper's locale and currency ("10%", "5,00 €") and the expiry, formatted and as an
 * instant. Immutable.
 */
public final class IssuedCoupon {

    private final String code;
    private final String discount;
    private final Instant expiresAt;
    private final String expires;

    public IssuedCoupon(String code, String discount, Instant expiresAt, String expires) {
        this.code = code;
        this.discount = discount;
        this.expiresAt = expiresAt;
        this.expires = expires;
    }

    public String getCode() { return code; }
    public String getDiscount() { return discount; }
    public Instant getExpiresAt() { return expiresAt; }
    public String getExpires() { return expires; }
}
