package io.github.cartrecovery.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Each step condition type against the facts delivery reads at send time. */
class StepConditionTest {

    private static StepCondition condition(StepConditionType type, String currency, String number, String text) {
        return new StepCondition(type, currency, number == null ? null : new BigDecimal(number), text);
    }

    /** A cart of 42.50 EUR whose shopper may be emailed and texted, nothing else known. */
    private static Facts cart() {
        return new Facts();
    }

    private static final class Facts {
        boolean email = true;
        boolean sms = true;
        String total = "42.50";
        String currency = "EUR";
        boolean opened;
        boolean clicked;
        AudienceFacts shopper;

        Facts email(boolean consent) { this.email = consent; return this; }
        Facts sms(boolean consent) { this.sms = consent; return this; }
        Facts total(String amount, String code) { this.total = amount; this.currency = code; return this; }
        Facts previous(boolean wasOpened, boolean wasClicked) { this.opened = wasOpened; this.clicked = wasClicked; return this; }
        Facts shopper(boolean registered, boolean returning, Map<String, BigDecimal> spent) {
            this.shopper = new AudienceFacts(new BigDecimal(total), currency, 0, null, registered, returning, null, spent);
            return this;
        }

        SendTimeFacts get() {
            return new SendTimeFacts(email, sms, total == null ? null : new BigDecimal(total), currency, opened, clicked, shopper);
        }
    }

    @Test
    void smsConsentNeedsAGrantAndAPhoneNumber() {
        assertThat(SendTimeFacts.smsConsent("GRANTED", true)).isTrue();
        assertThat(SendTimeFacts.smsConsent("GRANTED", false)).isFalse();
        assertThat(SendTimeFacts.smsConsent("UNKNOWN", true)).isFalse();
        assertThat(SendTimeFacts.smsConsent("DENIED", true)).isFalse();
    }

    @Test
    void emailConsentIsAGrantOrNotADenialWhereConsentIsNotRequired() {
        assertThat(SendTimeFacts.emailConsent("GRANTED", true)).isTrue();
        assertThat(SendTimeFacts.emailConsent("UNKNOWN", true)).isFalse();
        assertThat(SendTimeFacts.emailConsent("UNKNOWN", false)).isTrue();
        assertThat(SendTimeFacts.emailConsent(null, false)).isTrue();
        assertThat(SendTimeFacts.emailConsent("DENIED", false)).isFalse();
    }

    @Test
    void channelConsentAsksTheNamedChannel() {
        StepCondition sms = condition(StepConditionType.CHANNEL_CONSENT, null, null, "SMS");
        StepCondition email = condition(StepConditionType.CHANNEL_CONSENT, null, null, "email");

        assertThat(sms.matches(cart().get())).isTrue();
        assertThat(sms.matches(cart().sms(false).get())).isFalse();
        assertThat(sms.matches(cart().email(false).get())).isTrue();
        assertThat(email.matches(cart().sms(false).get())).isTrue();
        assertThat(email.matches(cart().email(false).get())).isFalse();
        assertThat(sms.whyNot(cart().sms(false).get())).isEqualTo("CHANNEL_CONSENT SMS: no SMS consent or no phone number");
    }

    @Test
    void cartTotalBoundsHoldInTheirCurrencyOnly() {
        StepCondition over50 = condition(StepConditionType.MIN_CART_TOTAL, "EUR", "50", null);
        StepCondition upTo50 = condition(StepConditionType.MAX_CART_TOTAL, "eur", "50.00", null);

        assertThat(over50.matches(cart().total("50", "EUR").get())).isTrue();
        assertThat(over50.matches(cart().total("49.99", "EUR").get())).isFalse();
        assertThat(over50.matches(cart().total("500", "USD").get())).isFalse();
        assertThat(over50.matches(cart().total(null, "EUR").get())).isFalse();
        assertThat(upTo50.matches(cart().total("50", "EUR").get())).isTrue();
        assertThat(upTo50.matches(cart().total("50.01", "EUR").get())).isFalse();
        assertThat(upTo50.matches(cart().total("10", "USD").get())).isFalse();
        assertThat(over50.whyNot(cart().get())).isEqualTo("MIN_CART_TOTAL 50 EUR: cart total 42.5 EUR");
    }

    @Test
    void previousStepOpenedOrClickedAndTheirOpposites() {
        StepCondition opened = condition(StepConditionType.PREVIOUS_STEP, null, null, "OPENED");
        StepCondition clicked = condition(StepConditionType.PREVIOUS_STEP, null, null, "CLICKED");
        StepCondition notOpened = condition(StepConditionType.PREVIOUS_STEP, null, null, "NOT_OPENED");
        StepCondition notClicked = condition(StepConditionType.PREVIOUS_STEP, null, null, "NOT_CLICKED");
        SendTimeFacts neither = cart().previous(false, false).get();
        SendTimeFacts onlyOpened = cart().previous(true, false).get();
        SendTimeFacts clickedWithoutOpen = cart().previous(false, true).get(); // images blocked: the click proves the open

        assertThat(opened.matches(neither)).isFalse();
        assertThat(opened.matches(onlyOpened)).isTrue();
        assertThat(opened.matches(clickedWithoutOpen)).isTrue();
        assertThat(clicked.matches(onlyOpened)).isFalse();
        assertThat(clicked.matches(clickedWithoutOpen)).isTrue();
        assertThat(notOpened.matches(neither)).isTrue();
        assertThat(notOpened.matches(clickedWithoutOpen)).isFalse();
        assertThat(notClicked.matches(onlyOpened)).isTrue();
        assertThat(notClicked.matches(clickedWithoutOpen)).isFalse();
        assertThat(opened.whyNot(neither)).isEqualTo("PREVIOUS_STEP OPENED: previous step neither opened nor clicked");
    }

    @Test
    void segmentsAreTheAudienceConditionsOfTheSameNames() {
        Map<String, BigDecimal> spent = Collections.singletonMap("EUR", new BigDecimal("600"));
        SendTimeFacts returningMember = cart().shopper(true, true, spent).get();
        SendTimeFacts newGuest = cart().shopper(false, false, Collections.<String, BigDecimal>emptyMap()).get();

        assertThat(condition(StepConditionType.SEGMENT, null, null, "RETURNING").matches(returningMember)).isTrue();
        assertThat(condition(StepConditionType.SEGMENT, null, null, "NEW").matches(returningMember)).isFalse();
        assertThat(condition(StepConditionType.SEGMENT, null, null, "NEW").matches(newGuest)).isTrue();
        assertThat(condition(StepConditionType.SEGMENT, null, null, "REGISTERED").matches(returningMember)).isTrue();
        assertThat(condition(StepConditionType.SEGMENT, null, null, "GUEST").matches(newGuest)).isTrue();
        assertThat(condition(StepConditionType.SEGMENT, "EUR", "500", "HIGH_VALUE").matches(returningMember)).isTrue();
        assertThat(condition(StepConditionType.SEGMENT, "EUR", "601", "HIGH_VALUE").matches(returningMember)).isFalse();
        assertThat(condition(StepConditionType.SEGMENT, "USD", "1", "HIGH_VALUE").matches(returningMember)).isFalse();
    }

    @Test
    void aSegmentWithoutTheShoppersFactsIsAnErrorNotASilentMatch() {
        assertThatThrownBy(() -> condition(StepConditionType.SEGMENT, null, null, "NEW").matches(cart().get()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not read");
    }

    @Test
    void describesItselfForTheSkippedMessagesDetail() {
        assertThat(condition(StepConditionType.MIN_CART_TOTAL, "usd", "50.000", null).describe()).isEqualTo("MIN_CART_TOTAL 50 USD");
        assertThat(condition(StepConditionType.SEGMENT, "EUR", "500", "HIGH_VALUE").describe()).isEqualTo("SEGMENT HIGH_VALUE 500 EUR");
        assertThat(condition(StepConditionType.CHANNEL_CONSENT, null, null, "SMS").describe()).isEqualTo("CHANNEL_CONSENT SMS");
    }

    @Test
    void acceptsEveryWellFormedCondition() {
        assertThat(condition(StepConditionType.CHANNEL_CONSENT, null, null, "SMS").problems()).isEmpty();
        assertThat(condition(StepConditionType.MIN_CART_TOTAL, "USD", "50", null).problems()).isEmpty();
        assertThat(condition(StepConditionType.MAX_CART_TOTAL, "EUR", "0", null).problems()).isEmpty();
        assertThat(condition(StepConditionType.PREVIOUS_STEP, null, null, "not_clicked").problems()).isEmpty();
        assertThat(condition(StepConditionType.SEGMENT, null, null, "GUEST").problems()).isEmpty();
        assertThat(condition(StepConditionType.SEGMENT, "GBP", "250", "HIGH_VALUE").problems()).isEmpty();
    }

    @Test
    void namesTheFieldOfEachProblem() {
        assertThat(condition(null, null, null, null).problems()).singleElement().asString().startsWith("type: required");
        assertThat(condition(StepConditionType.MIN_CART_TOTAL, null, "50", null).problems())
                .containsExactly("currencyCode: required for MIN_CART_TOTAL (a cart in another currency does not match)");
        assertThat(condition(StepConditionType.MAX_CART_TOTAL, "XYZ", "-1", null).problems()).containsExactly(
                "currencyCode: an ISO 4217 code like USD (was 'XYZ')",
                "numberValue: MAX_CART_TOTAL needs an amount of 0 or more (was '-1')");
        assertThat(condition(StepConditionType.CHANNEL_CONSENT, null, null, "PUSH").problems())
                .containsExactly("textValue: one of [EMAIL, SMS] (was 'PUSH')");
        assertThat(condition(StepConditionType.PREVIOUS_STEP, null, null, null).problems())
                .containsExactly("textValue: one of [OPENED, CLICKED, NOT_OPENED, NOT_CLICKED] (was empty)");
        assertThat(condition(StepConditionType.SEGMENT, null, null, "HIGH_VALUE").problems()).containsExactly(
                "currencyCode: required for SEGMENT HIGH_VALUE (orders in other currencies do not count)",
                "numberValue: SEGMENT HIGH_VALUE needs a positive amount the shopper's submitted orders must reach (was empty)");
        assertThat(condition(StepConditionType.MIN_CART_TOTAL, "USD", "0.000001", null).problems())
                .containsExactly("numberValue: at most 5 decimals");
    }
}
