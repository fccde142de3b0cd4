package io.github.cartrecovery.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Collections;

import org.junit.jupiter.api.Test;

import io.github.cartrecovery.rendering.EmailRenderer;

class CampaignValidatorTest {

    private static final Instant NOW = Instant.parse("2026-01-05T10:00:00Z");
    private final CampaignValidator validator = new CampaignValidator(new EmailRenderer());

    private static CampaignStep step(int no, int delay, String template) {
        return new CampaignStep(null, no, delay, template, Collections.singletonMap("*", "Subject"));
    }

    @Test
    void acceptsTheDefaultSequence() {
        Campaign campaign = new Campaign(null, "ok", CampaignStatus.ENABLED, 1, NOW)
                .addStep(step(1, 60, "gentle-reminder")).addStep(step(2, 1440, "value-reminder")).addStep(step(3, 4320, "last-call"));
        assertThat(validator.problems(campaign)).isEmpty();
    }

    @Test
    void rejectsACampaignWithoutSteps() {
        assertThatThrownBy(() -> validator.check(new Campaign(null, "empty", CampaignStatus.ENABLED, 1, NOW)))
                .isInstanceOf(InvalidCampaignException.class)
                .hasMessageContaining("Campaign 'empty' was not saved")
                .hasMessageContaining("steps: a campaign needs at least one step");
    }

    @Test
    void rejectsANegativeDelay() {
        Campaign campaign = new Campaign(null, "neg", CampaignStatus.ENABLED, 1, NOW).addStep(step(1, -5, "last-call"));
        assertThat(validator.problems(campaign)).containsExactly("steps[1].delayMinutes: must not be negative (was -5)");
    }

    @Test
    void rejectsAnUnknownTemplate() {
        Campaign campaign = new Campaign(null, "tpl", CampaignStatus.ENABLED, 1, NOW).addStep(step(1, 60, "nope"));
        assertThat(validator.problems(campaign)).singleElement().asString()
                .startsWith("steps[1].template: unknown template 'nope'");
    }

    @Test
    void rejectsAStepWithoutADefaultSubjectAndValueConditionsWithoutCurrency() {
        Campaign campaign = new Campaign(null, "subj", CampaignStatus.ENABLED, 1, NOW)
                .addStep(new CampaignStep(null, 1, 60, "last-call", Collections.singletonMap("de", "Betreff")))
                .addCondition(new CampaignCondition(ConditionType.MIN_CART_VALUE, null, java.math.BigDecimal.TEN, null));
        assertThat(validator.problems(campaign)).containsExactly(
                "steps[1].subjects: a default subject (locale '*') is required",
                "conditions.MIN_CART_VALUE: needs a currency and an amount");
    }

    @Test
    void rejectsSiteAndHighValueConditionsWithBadValues() {
        Campaign campaign = new Campaign(null, "aud", CampaignStatus.ENABLED, 1, NOW).addStep(step(1, 60, "last-call"))
                .addCondition(new CampaignCondition(ConditionType.SITE, null, null, "main"))
                .addCondition(new CampaignCondition(ConditionType.SITE, null, new java.math.BigDecimal("1.5"), null))
                .addCondition(new CampaignCondition(ConditionType.HIGH_VALUE, "XYZ", java.math.BigDecimal.ZERO, null))
                .addCondition(new CampaignCondition(ConditionType.HIGH_VALUE, null, null, null));
        assertThat(validator.problems(campaign)).containsExactly(
                "conditions.SITE: needs the site id as a whole number (was empty)",
                "conditions.SITE: needs the site id as a whole number (was '1.5')",
                "conditions.HIGH_VALUE: needs an ISO 4217 currency code (was 'XYZ')",
                "conditions.HIGH_VALUE: needs a positive amount the shopper's submitted orders must reach (was '0')",
                "conditions.HIGH_VALUE: needs an ISO 4217 currency code (was empty)",
                "conditions.HIGH_VALUE: needs a positive amount the shopper's submitted orders must reach (was empty)");
    }

    @Test
    void acceptsSiteAndHighValueConditions() {
        Campaign campaign = new Campaign(null, "aud", CampaignStatus.ENABLED, 1, NOW).addStep(step(1, 60, "last-call"))
                .addCondition(new CampaignCondition(ConditionType.SITE, null, new java.math.BigDecimal("2.000"), null))
                .addCondition(new CampaignCondition(ConditionType.HIGH_VALUE, "eur", new java.math.BigDecimal("250"), null));
        assertThat(validator.problems(campaign)).isEmpty();
    }

    @Test
    void rejectsWhatItsColumnsCannotHold() {
        java.util.Map<String, String> subjects = new java.util.LinkedHashMap<>();
        subjects.put("*", "s".repeat(256));
        subjects.put("l".repeat(17), "Hallo");
        Campaign campaign = new Campaign(null, "n".repeat(256), CampaignStatus.ENABLED, 1, NOW)
                .addStep(new CampaignStep(null, 1, 60, "gentle-reminder", subjects))
                .addCondition(new CampaignCondition(ConditionType.MIN_CART_VALUE, "USDX", new java.math.BigDecimal("1" + "0".repeat(20)), null))
                .addCondition(new CampaignCondition(ConditionType.MAX_CART_VALUE, "USD", new java.math.BigDecimal("0.0000001"), null))
                .addCondition(new CampaignCondition(ConditionType.LOCALE, null, null, "x".repeat(65)));
        assertThat(validator.problems(campaign)).containsExactly(
                "name: at most 255 characters (was 256)",
                "steps[1].subjects: a subject has at most 255 characters (was 256)",
                "steps[1].subjects: a locale has at most 16 characters (was 17)",
                "conditions.MIN_CART_VALUE.currencyCode: a 3-letter ISO 4217 code like USD",
                "conditions.MIN_CART_VALUE.numberValue: at most 14 digits before the decimal point",
                "conditions.MAX_CART_VALUE.numberValue: at most 5 decimals",
                "conditions.LOCALE.textValue: at most 64 characters");
    }

    @Test
    void rejectsStepNumbersBelowOneAndDelaysOverAYear() {
        Campaign campaign = new Campaign(null, "far", CampaignStatus.ENABLED, 1, NOW)
                .addStep(step(0, 60, "gentle-reminder")).addStep(step(2, Integer.MAX_VALUE, "last-call"));
        assertThat(validator.problems(campaign)).containsExactly(
                "steps[0].stepNo: must be at least 1 (was 0)",
                "steps[2].delayMinutes: at most 525600 (365 days; was 2147483647)");
    }

    private static CampaignStep sms(int no, int delay, String template) {
        return new CampaignStep(null, no, delay, template, Collections.<String, String>emptyMap()).withChannel("SMS");
    }

    @Test
    void acceptsTheSeedSequenceEmailEmailSmsOnConditionsEmail() {
        Campaign campaign = new Campaign(null, "seed", CampaignStatus.ENABLED, 1, NOW)
                .addStep(step(1, 60, "gentle-reminder"))
                .addStep(step(2, 1440, "value-reminder"))
                .addStep(sms(3, 60, "sms-reminder")
                        .addCondition(new StepCondition(StepConditionType.CHANNEL_CONSENT, null, null, "SMS"))
                        .addCondition(new StepCondition(StepConditionType.MIN_CART_TOTAL, "USD", new java.math.BigDecimal("50"), null)))
                .addStep(step(4, 1440, "last-call"));
        assertThat(validator.problems(campaign)).isEmpty();
    }

    @Test
    void aStepsChannelMustBeOneOfTheStores() {
        CampaignValidator emailOnly = new CampaignValidator(new EmailRenderer(), null, Collections.singletonList("EMAIL"));
        Campaign campaign = new Campaign(null, "ch", CampaignStatus.ENABLED, 1, NOW)
                .addStep(sms(1, 60, "sms-reminder"))
                .addStep(step(2, 60, "last-call").withChannel(" "));
        assertThat(emailOnly.problems(campaign)).containsExactly(
                "steps[1].channel: unknown channel 'SMS' (the store has [EMAIL])",
                "steps[2].channel: required (one of [EMAIL])");
        assertThat(validator.problems(campaign)).containsExactly("steps[2].channel: required (one of [EMAIL, SMS, WEBHOOK])");
    }

    @Test
    void anotherChannelsTemplateIsAPlainNameAndNeedsNoSubject() {
        Campaign campaign = new Campaign(null, "tpl", CampaignStatus.ENABLED, 1, NOW)
                .addStep(sms(1, 60, "../email/last-call"))
                .addStep(sms(2, 60, null))
                .addStep(new CampaignStep(null, 3, 60, "cart-json-v1", Collections.<String, String>emptyMap()).withChannel("WEBHOOK"));
        assertThat(validator.problems(campaign)).containsExactly(
                "steps[1].template: a SMS template's name: letters, digits, '.', '-' and '_', at most 100 (was '../email/last-call')",
                "steps[2].template: a SMS template's name: letters, digits, '.', '-' and '_', at most 100 (was empty)");
    }

    @Test
    void namesEachBadStepConditionByStepAndPosition() {
        Campaign campaign = new Campaign(null, "cond", CampaignStatus.ENABLED, 1, NOW)
                .addStep(step(1, 60, "gentle-reminder")
                        .addCondition(new StepCondition(StepConditionType.PREVIOUS_STEP, null, null, "OPENED")))
                .addStep(sms(2, 60, "sms-reminder")
                        .addCondition(new StepCondition(StepConditionType.CHANNEL_CONSENT, null, null, "SMS"))
                        .addCondition(new StepCondition(StepConditionType.MIN_CART_TOTAL, null, new java.math.BigDecimal("50"), null))
                        .addCondition(new StepCondition(StepConditionType.PREVIOUS_STEP, null, null, "OPENED")));
        assertThat(validator.problems(campaign)).containsExactly(
                "steps[1].conditions[0].type: PREVIOUS_STEP needs a step before this one (this is the first step)",
                "steps[2].conditions[1].currencyCode: required for MIN_CART_TOTAL (a cart in another currency does not match)");
    }
}
