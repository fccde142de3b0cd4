package io.github.cartrecovery.coupon;

import java.math.BigDecimal;

/**
 * A campaign step as the coupon rules see it: its place in the sequence and its coupon policy. Implemented by
 * {@code campaign.CampaignStep}; declared here so the coupon package needs nothing of the campaign package.
 */
public interface CouponStep {

    /** 1 for the first message of a sequence. */
    int getStepNo();

    /** The rule's name (NONE, ANY, NEW, RETURNING, HIGH_VALUE); null or unknown means none. */
    String getCouponPolicy();

    /** The template offer, by id or name; null when the policy is NONE. */
    String getCouponOffer();

    /** The most a code may take off a cart, or null for no limit. */
    BigDecimal getCouponValue();

    /** How long a code lasts, or null for the configured default. */
    Integer getCouponValidHours();
}
