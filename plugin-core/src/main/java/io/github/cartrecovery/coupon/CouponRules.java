package io.github.cartrecovery.coupon;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;

import io.github.cartrecovery.config.CurrencyAmounts;

/**
 * Decides whether one message gets a coupon, in this order: the step has a policy; the cart was not
 * purchased; it is not the first step (unless {@code allow-first-step}); the shopper is in the rule's
 * segment; the address got no coupon within the window; the template offer can be handed out now; and the
 * most it can take off this cart is within the step's maximum discount. Stateless apart from its settings.
 */
public class CouponRules {

    private final CouponHistory history;
    private final boolean allowFirstStep;
    private final Duration window;
    /** cartrecovery.coupons.high-value-cart-total per currency; a cart in a currency without one is never HIGH_VALUE. */
    private final CurrencyAmounts highValueCartTotal;

    /** @param highValueCartTotal {@code USD:100,JPY:10000} (one plain number: every currency, with a WARN) */
    public CouponRules(CouponHistory history, boolean allowFirstStep, int windowDays, String highValueCartTotal) {
        if (windowDays < 0) {
            throw new IllegalArgumentException("cartrecovery.coupons.window-days must not be negative, was " + windowDays);
        }
        this.history = history;
        this.allowFirstStep = allowFirstStep;
        this.window = Duration.ofDays(windowDays);
        this.highValueCartTotal = CurrencyAmounts.parse("cartrecovery.coupons.high-value-cart-total", highValueCartTotal);
    }

    public boolean allowsFirstStep() {
        return allowFirstStep;
    }

    /** Null when the message gets a coupon; otherwise why not. {@code template} may be null (not found). */
    public CouponRefusal refusal(CouponStep step, CouponRequest request, OfferTerms template, Instant now) {
        CouponRule rule = CouponRule.parse(step.getCouponPolicy());
        if (rule == null || rule == CouponRule.NONE) {
            return CouponRefusal.NO_POLICY;
        }
        if (history.isPurchased(request.getOrderId())) {
            return CouponRefusal.CART_PURCHASED;
        }
        if (request.getStepNo() <= 1 && !allowFirstStep) {
            return CouponRefusal.FIRST_STEP;
        }
        if (!inSegment(rule, request)) {
            return CouponRefusal.NOT_IN_SEGMENT;
        }
        if (!window.isZero() && history.receivedCouponSince(request.getEmail(), now.minus(window),
                request.getPlannedMessageId())) {
            return CouponRefusal.RECENT_COUPON;
        }
        if (template == null || !template.usableAt(now)) {
            return CouponRefusal.TEMPLATE_UNAVAILABLE;
        }
        BigDecimal max = CouponStep.maxDiscount(step, request.getCurrencyCode());
        if (max != null && template.mostOff(request.getCartTotal(), request.getItemQuantity()).compareTo(max) > 0) {
            return CouponRefusal.OVER_MAX_DISCOUNT;
        }
        return null;
    }

    private boolean inSegment(CouponRule rule, CouponRequest request) {
        switch (rule) {
            case NEW:
                return !history.hasOrderedBefore(request.getOrderId(), request.getEmail());
            case RETURNING:
                return history.hasOrderedBefore(request.getOrderId(), request.getEmail());
            case HIGH_VALUE:
                BigDecimal threshold = highValueCartTotal.forCurrency(request.getCurrencyCode());
                return threshold != null && request.getCartTotal() != null && request.getCartTotal().compareTo(threshold) >= 0;
            default:
                return true;
        }
    }
}
