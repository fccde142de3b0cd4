package io.github.cartrecovery.coupon;

import java.math.BigDecimal;

import io.github.cartrecovery.config.CurrencyAmounts;

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

    /** The most a code may take off a cart in a currency {@link #getCouponMaxDiscounts()} does not name, or null for no limit. */
    BigDecimal getCouponValue();

    /** The most a code may take off per currency, "USD:10,JPY:1000", or null. */
    String getCouponMaxDiscounts();

    /** How long a code lasts, or null for the configured default. */
    Integer getCouponValidHours();

    /** The most a code may take off a cart in this currency: its own maximum, else {@link #getCouponValue()}. */
    static BigDecimal maxDiscount(CouponStep step, String currencyCode) {
        return maxDiscount(step.getCouponMaxDiscounts(), step.getCouponValue(), currencyCode);
    }

    /** The same, from the two columns (CR_CAMPAIGN_STEP.COUPON_MAX_DISCOUNTS and COUPON_VALUE). */
    static BigDecimal maxDiscount(String perCurrency, BigDecimal anyCurrency, String currencyCode) {
        BigDecimal own = CurrencyAmounts.read("couponMaxDiscounts", perCurrency).forCurrency(currencyCode);
        return own != null ? own : anyCurrency;
    }
}
