package io.github.cartrecovery.coupon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.cartrecovery.campaign.CampaignStep;

/** The coupon rule engine on its own: every rule, with the database facts mocked. */
class CouponRulesTest {

    static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
    static final OfferTerms TEN_PERCENT = new OfferTerms(7, "Ten", "ORDER", "PERCENT_OFF", new BigDecimal("10"), "CODE",
            NOW.minus(Duration.ofDays(1)), null, false);

    CouponHistory history;
    CouponRules rules;

    @BeforeEach
    void setUp() {
        history = mock(CouponHistory.class);
        rules = new CouponRules(history, false, 30, "USD:100,JPY:10000");
    }

    static CampaignStep step(int stepNo, String rule, BigDecimal max) {
        return new CampaignStep(null, stepNo, 60, "last-call", Collections.singletonMap("*", "s"))
                .withCoupon(rule, "Ten", max, null);
    }

    static CouponRequest request(int stepNo, String total) {
        return new CouponRequest(11, 22, "Jane@Example.com", stepNo, new BigDecimal(total), 2, "USD");
    }

    static CouponRequest request(int stepNo, String total, String currency) {
        return new CouponRequest(11, 22, "Jane@Example.com", stepNo, new BigDecimal(total), 2, currency);
    }

    @Test
    void theHighValueThresholdIsThatOfTheCartsCurrency() {
        when(history.receivedCouponSince(anyString(), any(), anyLong())).thenReturn(false);
        CampaignStep highValue = step(2, "HIGH_VALUE", null);

        assertThat(rules.refusal(highValue, request(2, "150", "USD"), TEN_PERCENT, NOW)).isNull();
        assertThat(rules.refusal(highValue, request(2, "150", "JPY"), TEN_PERCENT, NOW)).isEqualTo(CouponRefusal.NOT_IN_SEGMENT);
        assertThat(rules.refusal(highValue, request(2, "15000", "JPY"), TEN_PERCENT, NOW)).isNull();
        // a currency without a threshold has no high-value carts
        assertThat(rules.refusal(highValue, request(2, "1000000", "EUR"), TEN_PERCENT, NOW)).isEqualTo(CouponRefusal.NOT_IN_SEGMENT);
    }

    @Test
    void theMaximumDiscountIsThatOfTheCartsCurrencyElseTheStepsOneNumber() {
        when(history.receivedCouponSince(anyString(), any(), anyLong())).thenReturn(false);
        CampaignStep capped = step(2, "ANY", new BigDecimal("5")).withMaxDiscounts("USD:20,JPY:2000");

        // 10% of 150 = 15: within USD's own 20 (the step's one number, 5, is for currencies not named)
        assertThat(rules.refusal(capped, request(2, "150", "USD"), TEN_PERCENT, NOW)).isNull();
        // 10% of 30,000 yen = 3,000: more than JPY's 2,000
        assertThat(rules.refusal(capped, request(2, "30000", "JPY"), TEN_PERCENT, NOW)).isEqualTo(CouponRefusal.OVER_MAX_DISCOUNT);
        assertThat(rules.refusal(capped, request(2, "15000", "JPY"), TEN_PERCENT, NOW)).isNull();
        // EUR is not named: the step's one number (5) holds; 10% of 150 = 15
        assertThat(rules.refusal(capped, request(2, "150", "EUR"), TEN_PERCENT, NOW)).isEqualTo(CouponRefusal.OVER_MAX_DISCOUNT);
    }

    @Test
    void grantsACouponInStepTwoForAnyShopper() {
        assertThat(rules.refusal(step(2, "ANY", null), request(2, "50"), TEN_PERCENT, NOW)).isNull();
    }

    @Test
    void noPolicyMeansNoCoupon() {
        assertThat(rules.refusal(step(2, "NONE", null), request(2, "50"), TEN_PERCENT, NOW)).isEqualTo(CouponRefusal.NO_POLICY);
        assertThat(rules.refusal(step(2, "bogus", null), request(2, "50"), TEN_PERCENT, NOW)).isEqualTo(CouponRefusal.NO_POLICY);
    }

    @Test
    void noCouponInTheFirstStepByDefault() {
        assertThat(rules.refusal(step(1, "ANY", null), request(1, "50"), TEN_PERCENT, NOW)).isEqualTo(CouponRefusal.FIRST_STEP);
    }

    @Test
    void theFirstStepMayCarryACouponWhenAllowed() {
        CouponRules allowing = new CouponRules(history, true, 30, "USD:100,JPY:10000");
        assertThat(allowing.refusal(step(1, "ANY", null), request(1, "50"), TEN_PERCENT, NOW)).isNull();
    }

    @Test
    void noCouponForAPurchasedCart() {
        when(history.isPurchased(22)).thenReturn(true);
        assertThat(rules.refusal(step(2, "ANY", null), request(2, "50"), TEN_PERCENT, NOW)).isEqualTo(CouponRefusal.CART_PURCHASED);
    }

    @Test
    void newShoppersOnlyWhenTheyNeverOrdered() {
        when(history.hasOrderedBefore(22, "jane@example.com")).thenReturn(false);
        assertThat(rules.refusal(step(2, "NEW", null), request(2, "50"), TEN_PERCENT, NOW)).isNull();
        assertThat(rules.refusal(step(2, "RETURNING", null), request(2, "50"), TEN_PERCENT, NOW))
                .isEqualTo(CouponRefusal.NOT_IN_SEGMENT);
    }

    @Test
    void returningShoppersOnlyWhenTheyOrderedBefore() {
        when(history.hasOrderedBefore(22, "jane@example.com")).thenReturn(true);
        assertThat(rules.refusal(step(2, "RETURNING", null), request(2, "50"), TEN_PERCENT, NOW)).isNull();
        assertThat(rules.refusal(step(2, "NEW", null), request(2, "50"), TEN_PERCENT, NOW))
                .isEqualTo(CouponRefusal.NOT_IN_SEGMENT);
    }

    @Test
    void highValueCartsFromTheConfiguredTotal() {
        assertThat(rules.refusal(step(2, "HIGH_VALUE", null), request(2, "99.99"), TEN_PERCENT, NOW))
                .isEqualTo(CouponRefusal.NOT_IN_SEGMENT);
        assertThat(rules.refusal(step(2, "HIGH_VALUE", null), request(2, "100.00"), TEN_PERCENT, NOW)).isNull();
    }

    @Test
    void noCouponForAnAddressThatGotOneWithinTheWindow() {
        when(history.receivedCouponSince(eq("jane@example.com"), eq(NOW.minus(Duration.ofDays(30))), eq(11L))).thenReturn(true);
        assertThat(rules.refusal(step(2, "ANY", null), request(2, "50"), TEN_PERCENT, NOW)).isEqualTo(CouponRefusal.RECENT_COUPON);
    }

    @Test
    void aZeroWindowNeverLooksAtEarlierCoupons() {
        when(history.receivedCouponSince(anyString(), any(Instant.class), anyLong())).thenReturn(true);
        CouponRules noWindow = new CouponRules(history, false, 0, "USD:100,JPY:10000");
        assertThat(noWindow.refusal(step(2, "ANY", null), request(2, "50"), TEN_PERCENT, NOW)).isNull();
    }

    @Test
    void aMissingArchivedOrEndedTemplateGivesNoCoupon() {
        OfferTerms archived = new OfferTerms(7, "Ten", "ORDER", "PERCENT_OFF", BigDecimal.TEN, "CODE", NOW.minusSeconds(60), null, true);
        OfferTerms ended = new OfferTerms(7, "Ten", "ORDER", "PERCENT_OFF", BigDecimal.TEN, "CODE", NOW.minusSeconds(60), NOW, false);
        OfferTerms automatic = new OfferTerms(7, "Ten", "ORDER", "PERCENT_OFF", BigDecimal.TEN, "AUTOMATIC", NOW.minusSeconds(60), null, false);
        for (OfferTerms template : new OfferTerms[] {null, archived, ended, automatic}) {
            assertThat(rules.refusal(step(2, "ANY", null), request(2, "50"), template, NOW))
                    .isEqualTo(CouponRefusal.TEMPLATE_UNAVAILABLE);
        }
    }

    @Test
    void aPercentageOverTheMaximumDiscountOnThisCartGivesNoCoupon() {
        // 10% of 50.00 = 5.00
        assertThat(rules.refusal(step(2, "ANY", new BigDecimal("5.00")), request(2, "50"), TEN_PERCENT, NOW)).isNull();
        assertThat(rules.refusal(step(2, "ANY", new BigDecimal("4.99")), request(2, "50"), TEN_PERCENT, NOW))
                .isEqualTo(CouponRefusal.OVER_MAX_DISCOUNT);
    }

    @Test
    void anItemAmountCountsOncePerItemAgainstTheMaximum() {
        OfferTerms threePerItem = new OfferTerms(8, "Three", "ORDER_ITEM", "AMOUNT_OFF", new BigDecimal("3"), "CODE",
                NOW.minusSeconds(60), null, false);
        // two items: 6.00 off at most
        assertThat(rules.refusal(step(2, "ANY", new BigDecimal("6")), request(2, "50"), threePerItem, NOW)).isNull();
        assertThat(rules.refusal(step(2, "ANY", new BigDecimal("5")), request(2, "50"), threePerItem, NOW))
                .isEqualTo(CouponRefusal.OVER_MAX_DISCOUNT);
    }

    @Test
    void discountTextFollowsTheShoppersLocaleAndCurrency() {
        assertThat(TEN_PERCENT.discountText("USD", java.util.Locale.US)).isEqualTo("10%");
        OfferTerms five = new OfferTerms(9, "Five", "ORDER", "AMOUNT_OFF", new BigDecimal("5"), "CODE", NOW, null, false);
        assertThat(five.discountText("EUR", java.util.Locale.GERMANY)).isEqualTo("5,00\u00a0€");
    }
}
