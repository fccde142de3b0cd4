package io.github.cartrecovery.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.Date;

import org.junit.jupiter.api.Test;

/** SMS consent on the captured cart: it belongs to a number, only the shopper grants it, and email consent is separate. */
class SmsConsentTest {

    private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");
    private final CapturedCart cart = new CapturedCart(42L, Date.from(T0), CartOrigin.STOREFRONT);

    @Test
    void aTickedBoxGrantsConsentForTheTypedNumberAndRecordsWhen() {
        new SmsConsentObservation(42L, "+447400123456", SmsConsent.GRANTED, T0.plusSeconds(5)).applyTo(cart);

        assertThat(cart.getPhone()).isEqualTo("+447400123456");
        assertThat(cart.getSmsConsent()).isEqualTo(SmsConsent.GRANTED);
        assertThat(cart.getSmsConsentAt()).isEqualTo(Date.from(T0.plusSeconds(5)));
    }

    @Test
    void uncheckingTheBoxLaterWithdrawsConsentAndKeepsTheNumber() {
        new SmsConsentObservation(42L, "+447400123456", SmsConsent.GRANTED, T0).applyTo(cart);

        new SmsConsentObservation(42L, null, SmsConsent.DENIED, T0.plusSeconds(60)).applyTo(cart);

        assertThat(cart.getSmsConsent()).isEqualTo(SmsConsent.DENIED);
        assertThat(cart.getSmsConsentAt()).isEqualTo(Date.from(T0.plusSeconds(60)));
        assertThat(cart.getPhone()).isEqualTo("+447400123456");
    }

    @Test
    void aRepeatedGrantForTheSameNumberKeepsTheFirstTime() {
        new SmsConsentObservation(42L, "+447400123456", SmsConsent.GRANTED, T0).applyTo(cart);
        new SmsConsentObservation(42L, "+447400123456", SmsConsent.GRANTED, T0.plusSeconds(60)).applyTo(cart);

        assertThat(cart.getSmsConsentAt()).isEqualTo(Date.from(T0));
    }

    @Test
    void aNewNumberWithoutAStatementDoesNotInheritTheOldNumbersConsent() {
        new SmsConsentObservation(42L, "+447400123456", SmsConsent.GRANTED, T0).applyTo(cart);

        new SmsConsentObservation(42L, "+447400654321", SmsConsent.UNKNOWN, T0.plusSeconds(60)).applyTo(cart);

        assertThat(cart.getPhone()).isEqualTo("+447400654321");
        assertThat(cart.getSmsConsent()).isEqualTo(SmsConsent.UNKNOWN);
        assertThat(cart.getSmsConsentAt()).isNull();
    }

    @Test
    void aGrantForANewNumberIsTimedAnew() {
        new SmsConsentObservation(42L, "+447400123456", SmsConsent.GRANTED, T0).applyTo(cart);
        new SmsConsentObservation(42L, "+447400654321", SmsConsent.GRANTED, T0.plusSeconds(60)).applyTo(cart);

        assertThat(cart.getSmsConsentAt()).isEqualTo(Date.from(T0.plusSeconds(60)));
    }

    @Test
    void consentIsNeverGrantedWithoutANumber() {
        new SmsConsentObservation(42L, null, SmsConsent.GRANTED, T0).applyTo(cart);

        assertThat(cart.getSmsConsent()).isEqualTo(SmsConsent.UNKNOWN);
    }

    @Test
    void aBroadleafPhoneFillsTheNumberButNeverGrantsConsent() {
        cart.observe(observation().withPhone("+12015550123"));

        assertThat(cart.getPhone()).isEqualTo("+12015550123");
        assertThat(cart.getSmsConsent()).isEqualTo(SmsConsent.UNKNOWN);
    }

    @Test
    void aBroadleafPhoneNeverReplacesANumberTheShopperSpokeFor() {
        new SmsConsentObservation(42L, "+447400123456", SmsConsent.GRANTED, T0).applyTo(cart);

        cart.observe(observation().withPhone("+12015550123"));
        cart.observe(observation());

        assertThat(cart.getPhone()).isEqualTo("+447400123456");
        assertThat(cart.getSmsConsent()).isEqualTo(SmsConsent.GRANTED);
    }

    @Test
    void theSmsBoxLeavesEmailConsentAloneAndTheEmailBoxLeavesSmsConsentAlone() {
        new ConsentObservation(42L, MarketingConsent.GRANTED, T0).applyTo(cart);
        new SmsConsentObservation(42L, "+447400123456", SmsConsent.DENIED, T0.plusSeconds(1)).applyTo(cart);

        assertThat(cart.getMarketingConsent()).isEqualTo(MarketingConsent.GRANTED);

        new SmsConsentObservation(42L, "+447400123456", SmsConsent.GRANTED, T0.plusSeconds(2)).applyTo(cart);
        new ConsentObservation(42L, MarketingConsent.DENIED, T0.plusSeconds(3)).applyTo(cart);

        assertThat(cart.getSmsConsent()).isEqualTo(SmsConsent.GRANTED);
        assertThat(cart.getMarketingConsent()).isEqualTo(MarketingConsent.DENIED);
    }

    private static CartObservation observation() {
        return new CartObservation(42L, null, "jane@example.com", "en_US", "USD", null, CartObservation.OrderState.OPEN, 1,
                BigDecimal.ONE, BigDecimal.ONE, Collections.<CartItemSnapshot>emptyList(), T0.plusSeconds(30));
    }
}
