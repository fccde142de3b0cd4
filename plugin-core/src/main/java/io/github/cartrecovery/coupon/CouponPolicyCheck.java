package io.github.cartrecovery.coupon;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.cartrecovery.config.CurrencyAmounts;

/**
 * Checks a step's coupon policy when its campaign is saved (called by CampaignValidator): a known rule, a
 * template offer that exists and can make codes (delivery type CODE, ORDER or ORDER_ITEM, PERCENT_OFF or
 * AMOUNT_OFF, not archived), no coupon in step 1 unless allowed, a non-negative maximum discount the offer
 * can respect, a validity of at least an hour. Each problem names the field and the rule.
 */
public class CouponPolicyCheck {

    private final TemplateOffers templates;
    private final boolean allowFirstStep;

    public CouponPolicyCheck(TemplateOffers templates, boolean allowFirstStep) {
        this.templates = templates;
        this.allowFirstStep = allowFirstStep;
    }

    /** Problems as "field: rule" (the caller adds which step); empty when the policy is usable. */
    public List<String> problems(CouponStep step) {
        List<String> problems = new ArrayList<String>();
        CouponRule rule = CouponRule.parse(step.getCouponPolicy());
        if (rule == null) {
            problems.add("couponPolicy: unknown rule '" + step.getCouponPolicy()
                    + "' (expected NONE, ANY, NEW, RETURNING or HIGH_VALUE)");
            return problems;
        }
        if (rule == CouponRule.NONE) {
            return problems;
        }
        if (step.getStepNo() <= 1 && !allowFirstStep) {
            problems.add("couponPolicy: no coupon in the first step (set cartrecovery.coupons.allow-first-step=true to allow it)");
        }
        BigDecimal max = step.getCouponValue();
        if (max != null && max.signum() < 0) {
            problems.add("couponValue: the maximum discount must not be negative (was " + max.toPlainString() + ")");
        }
        CurrencyAmounts perCurrency = CurrencyAmounts.NONE;
        try {
            perCurrency = CurrencyAmounts.read("couponMaxDiscounts", step.getCouponMaxDiscounts());
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        if (step.getCouponValidHours() != null && step.getCouponValidHours() < 1) {
            problems.add("couponValidHours: must be at least 1 (was " + step.getCouponValidHours() + ")");
        }
        String reference = step.getCouponOffer();
        if (reference == null || reference.trim().isEmpty()) {
            problems.add("couponOffer: a coupon policy needs a template offer (its id or name)");
            return problems;
        }
        OfferTerms terms = templates.terms(reference);
        if (terms == null) {
            problems.add("couponOffer: no single live Broadleaf offer with id or name '" + reference.trim() + "'");
            return problems;
        }
        String unsupported = terms.unsupportedBecause();
        if (unsupported != null) {
            problems.add("couponOffer: " + unsupported);
        } else if (max != null && max.signum() >= 0 && !terms.isPercentOff() && OfferTerms.ORDER.equals(terms.getOfferType())
                && terms.getValue().compareTo(max) > 0) {
            problems.add("couponValue: offer '" + terms.getName() + "' takes " + terms.getValue().toPlainString()
                    + " off, more than the maximum discount " + max.toPlainString());
        }
        if (unsupported == null && !terms.isPercentOff() && OfferTerms.ORDER.equals(terms.getOfferType())) {
            for (Map.Entry<String, BigDecimal> own : perCurrency.byCurrency().entrySet()) {
                if (terms.getValue().compareTo(own.getValue()) > 0) {
                    problems.add("couponMaxDiscounts: offer '" + terms.getName() + "' takes " + terms.getValue().toPlainString()
                            + " off, more than the maximum discount in " + own.getKey() + ", " + own.getValue().toPlainString());
                }
            }
        }
        return problems;
    }
}
