package io.github.cartrecovery.admin.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.cartrecovery.campaign.Campaign;
import io.github.cartrecovery.campaign.CampaignCondition;
import io.github.cartrecovery.campaign.CampaignStatus;
import io.github.cartrecovery.campaign.CampaignStep;
import io.github.cartrecovery.campaign.ConditionType;
import io.github.cartrecovery.campaign.StepCondition;
import io.github.cartrecovery.campaign.StepConditionType;

/** The campaign editor's form on its own: delays with units, moved and duplicated steps, problems in words. */
class CampaignFormTest {

    static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");

    @Test
    void aDelayInHoursOrDaysIsStoredInMinutes() {
        Map<String, String[]> post = post("steps[0].delay", "3", "steps[0].delayUnit", "HOURS", "steps[1].delay", "2",
                "steps[1].delayUnit", "DAYS", "steps[1].template", "last-call");

        Campaign campaign = CampaignForm.fromRequest(post).toCampaign(null, NOW);

        assertThat(campaign.getSteps()).extracting(CampaignStep::getDelayMinutes).containsExactly(180, 2880);
    }

    @Test
    void aSavedDelayShowsInTheLargestWholeUnitElseInMinutes() {
        Campaign campaign = new Campaign(7L, "c", CampaignStatus.DISABLED, 0, NOW)
                .addStep(step(1, 1440)).addStep(step(2, 120)).addStep(step(3, 90)).addStep(step(4, 0));

        CampaignForm form = CampaignForm.of(campaign);

        assertThat(form.value("steps[0].delay") + " " + form.value("steps[0].delayUnit")).isEqualTo("1 DAYS");
        assertThat(form.value("steps[1].delay") + " " + form.value("steps[1].delayUnit")).isEqualTo("2 HOURS");
        assertThat(form.value("steps[2].delay") + " " + form.value("steps[2].delayUnit")).isEqualTo("90 MINUTES");
        assertThat(form.value("steps[3].delay") + " " + form.value("steps[3].delayUnit")).isEqualTo("0 MINUTES");
    }

    @Test
    void theOldDelayMinutesFieldStillWorks() {
        Campaign campaign = CampaignForm.fromRequest(post("steps[0].delay", "", "steps[0].delayMinutes", "45")).toCampaign(null, NOW);

        assertThat(campaign.getSteps().get(0).getDelayMinutes()).isEqualTo(45);
    }

    @Test
    void aDelayThatIsNoNumberIsAnErrorNamingTheStep() {
        CampaignForm form = CampaignForm.fromRequest(post("steps[0].delay", "soon", "steps[0].delayUnit", "HOURS"));

        assertThat(form.toCampaign(null, NOW)).isNull();
        assertThat(form.readableErrorsStartingWith("steps[0].")).containsExactly("Step 1, delay: not a whole number");
    }

    @Test
    void aNumberThatIsNoneIsNamedByItsStepCountedFromOne() {
        CampaignForm form = CampaignForm.fromRequest(post("steps[1].template", "last-call", "steps[1].delay", "1",
                "steps[1].couponPolicy", "ANY", "steps[1].couponValue", "ten"));

        assertThat(form.toCampaign(null, NOW)).isNull();
        assertThat(form.readableErrorsStartingWith("steps[1].")).containsExactly("Step 2, maximum discount: not a number");
    }

    @Test
    void aStepMovesUpAndTheStepsAreNumberedAgain() {
        CampaignForm form = CampaignForm.fromRequest(post("steps[1].template", "last-call", "steps[1].subjects[0].text", "Last"));

        form.moveStep(1, -1);

        assertThat(form.value("steps[0].template")).isEqualTo("last-call");
        assertThat(form.value("steps[0].subjects[0].text")).isEqualTo("Last");
        assertThat(form.value("steps[0].stepNo")).isEqualTo("1");
        assertThat(form.value("steps[1].template")).isEqualTo("gentle-reminder");
        assertThat(form.value("steps[1].stepNo")).isEqualTo("2");
        assertThat(form.getStepRows()).isEqualTo(3);
    }

    @Test
    void theFirstStepDoesNotMoveUpNorTheLastDown() {
        CampaignForm form = CampaignForm.fromRequest(post("steps[1].template", "last-call"));

        form.moveStep(0, -1);
        form.moveStep(1, 1);

        assertThat(form.value("steps[0].template")).isEqualTo("gentle-reminder");
        assertThat(form.value("steps[1].template")).isEqualTo("last-call");
    }

    @Test
    void aDuplicatedStepFollowsItsOriginalWithoutItsId() {
        CampaignForm form = CampaignForm.fromRequest(post("steps[0].id", "41", "steps[0].conditions[0].type", "MIN_CART_TOTAL",
                "steps[1].template", "last-call"));

        form.duplicateStep(0);

        assertThat(form.value("steps[1].template")).isEqualTo("gentle-reminder");
        assertThat(form.value("steps[1].id")).isNull();
        assertThat(form.value("steps[0].id")).isEqualTo("41");
        assertThat(form.value("steps[1].conditions[0].type")).isEqualTo("MIN_CART_TOTAL");
        assertThat(form.value("steps[2].template")).isEqualTo("last-call");
        assertThat(form.value("steps[2].stepNo")).isEqualTo("3");
        assertThat(form.getStepRows()).isEqualTo(4);
    }

    @Test
    void theValidatorsProblemsAreShownInWords() {
        CampaignForm form = CampaignForm.fromRequest(post());
        form.toCampaign(null, NOW);

        form.addProblems(List.of("steps[1].couponValue: at most 5 decimals", "steps[1].conditions[0].currencyCode: required",
                "conditions.HIGH_VALUE: needs an ISO 4217 currency code (was empty)", "name: must not be empty"));

        assertThat(form.readableErrorsStartingWith("steps[0].")).containsExactly("Step 1, maximum discount: at most 5 decimals",
                "Step 1, send-time condition 1, currency: required");
        assertThat(form.readableErrorsStartingWith("conditions."))
                .containsExactly("Audience condition HIGH_VALUE: needs an ISO 4217 currency code (was empty)");
        assertThat(form.readableError("name")).isEqualTo("Name: must not be empty");
    }

    @Test
    void aCopyOfACampaignIsDisabledWithEveryStepAndCondition() {
        CampaignStep step = step(2, 60).withCoupon("ANY", "Ten", null, 24).withMaxDiscounts("USD:10");
        step.addCondition(new StepCondition(StepConditionType.MIN_CART_TOTAL, "USD", java.math.BigDecimal.TEN, null));
        Campaign original = new Campaign(5L, "Winback", CampaignStatus.ENABLED, 4, NOW).addStep(step)
                .addCondition(new CampaignCondition(ConditionType.MIN_CART_VALUE, "USD", java.math.BigDecimal.ONE, null));

        Campaign copy = original.copyNamed("Copy of Winback", NOW);

        assertThat(copy.getId()).isNull();
        assertThat(copy.getStatus()).isEqualTo(CampaignStatus.DISABLED);
        assertThat(copy.getPriority()).isEqualTo(4);
        CampaignStep copied = copy.getSteps().get(0);
        assertThat(copied).isNotSameAs(step);
        assertThat(copied.getId()).isNull();
        assertThat(copied.getSubjects()).isEqualTo(step.getSubjects());
        assertThat(copied.getCouponMaxDiscounts()).isEqualTo("USD:10");
        assertThat(copied.getConditions()).extracting(StepCondition::describe).containsExactly("MIN_CART_TOTAL 10 USD");
        assertThat(copy.getConditions()).extracting(CampaignCondition::getType).containsExactly(ConditionType.MIN_CART_VALUE);
    }

    private static CampaignStep step(int stepNo, int delay) {
        return new CampaignStep((long) stepNo, stepNo, delay, "gentle-reminder", Collections.singletonMap("*", "s"));
    }

    /** A two-row form (the first step filled) plus these fields. */
    private static Map<String, String[]> post(String... fields) {
        Map<String, String[]> post = new LinkedHashMap<>();
        post.put("name", new String[] {"c"});
        post.put("stepRows", new String[] {"3"});
        post.put("subjectRows", new String[] {"1"});
        post.put("stepConditionRows", new String[] {"1"});
        post.put("steps[0].stepNo", new String[] {"1"});
        post.put("steps[0].delay", new String[] {"60"});
        post.put("steps[0].template", new String[] {"gentle-reminder"});
        for (int i = 0; i < fields.length; i += 2) {
            post.put(fields[i], new String[] {fields[i + 1]});
        }
        return post;
    }
}
