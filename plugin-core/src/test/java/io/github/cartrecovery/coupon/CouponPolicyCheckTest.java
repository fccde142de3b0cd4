package io.github.cartrecovery.coupon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.cartrecovery.campaign.CampaignStep;

/** A bad coupon policy is refused with a message naming the field and the rule. */
class CouponPolicyCheckTest {

    TemplateOffers templates;
    CouponPolicyCheck check;

    @BeforeEach
    void setUp() {
        templates = mock(TemplateOffers.class);
        check = new CouponPolicyCheck(templates, false);
        when(templates.terms("Ten")).thenReturn(new OfferTerms(7, "Ten", "ORDER", "PERCENT_OFF", BigDecimal.TEN, "CODE",
                Instant.EPOCH, null, false));
        when(templates.terms("Five")).thenReturn(new OfferTerms(8, "Five", "ORDER", "AMOUNT_OFF", new BigDecimal("5"), "CODE",
                Instant.EPOCH, null, false));
        when(templates.terms("Auto")).thenReturn(new OfferTerms(9, "Auto", "ORDER", "PERCENT_OFF", BigDecimal.TEN, "AUTOMATIC",
                Instant.EPOCH, null, false));
    }

    static CampaignStep step(int no, String rule, String offer, BigDecimal max, Integer hours) {
        return new CampaignStep(null, no, 60, "last-call", Collections.singletonMap("*", "s")).withCoupon(rule, offer, max, hours);
    }

    @Test
    void aValidPolicyHasNoProblems() {
        assertThat(check.problems(step(2, "HIGH_VALUE", "Ten", new BigDecimal("20"), 48))).isEmpty();
        assertThat(check.problems(step(1, "NONE", null, null, null))).isEmpty();
    }

    @Test
    void checksTheMaximumDiscountPerCurrency() {
        assertThat(check.problems(step(2, "ANY", "Five", null, null).withMaxDiscounts("USD:10,JPY:1000"))).isEmpty();
        assertThat(check.problems(step(2, "ANY", "Five", null, null).withMaxDiscounts("USD:10,XXY:3"))).containsExactly(
                "couponMaxDiscounts: 'XXY:3' names no ISO 4217 currency (e.g. USD, EUR, JPY)");
        // the amount-off offer takes 5 off: more than EUR's maximum of 4
        assertThat(check.problems(step(2, "ANY", "Five", null, null).withMaxDiscounts("USD:10,EUR:4"))).containsExactly(
                "couponMaxDiscounts: offer 'Five' takes 5 off, more than the maximum discount in EUR, 4");
    }

    @Test
    void namesAnUnknownRule() {
        assertThat(check.problems(step(2, "EVERYONE", "Ten", null, null)))
                .containsExactly("couponPolicy: unknown rule 'EVERYONE' (expected NONE, ANY, NEW, RETURNING or HIGH_VALUE)");
    }

    @Test
    void refusesACouponInTheFirstStepUnlessAllowed() {
        assertThat(check.problems(step(1, "ANY", "Ten", null, null))).containsExactly(
                "couponPolicy: no coupon in the first step (set cartrecovery.coupons.allow-first-step=true to allow it)");
        assertThat(new CouponPolicyCheck(templates, true).problems(step(1, "ANY", "Ten", null, null))).isEmpty();
    }

    @Test
    void needsAnExistingCodeOffer() {
        assertThat(check.problems(step(2, "ANY", null, null, null)))
                .containsExactly("couponOffer: a coupon policy needs a template offer (its id or name)");
        assertThat(check.problems(step(2, "ANY", "Missing", null, null)))
                .containsExactly("couponOffer: no single live Broadleaf offer with id or name 'Missing'");
        assertThat(check.problems(step(2, "ANY", "Auto", null, null)))
                .containsExactly("couponOffer: offer 'Auto' (9) must have delivery type CODE (was AUTOMATIC)");
    }

    @Test
    void refusesANegativeMaximumAnAmountOverTheMaximumAndAZeroValidity() {
        assertThat(check.problems(step(2, "ANY", "Ten", new BigDecimal("-1"), 0))).containsExactly(
                "couponValue: the maximum discount must not be negative (was -1)",
                "couponValidHours: must be at least 1 (was 0)");
        assertThat(check.problems(step(2, "ANY", "Five", new BigDecimal("4"), null)))
                .containsExactly("couponValue: offer 'Five' takes 5 off, more than the maximum discount 4");
    }
}
