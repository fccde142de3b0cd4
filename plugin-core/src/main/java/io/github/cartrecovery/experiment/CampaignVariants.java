package io.github.cartrecovery.experiment;

import java.util.Collections;

import io.github.cartrecovery.campaign.Campaign;
import io.github.cartrecovery.campaign.CampaignCondition;
import io.github.cartrecovery.campaign.CampaignStep;
import io.github.cartrecovery.campaign.StepCondition;

/**
 * Applies an arm's step variants: to a copy of its campaign, to judge the arm as the campaign validator would (its
 * sequence is a campaign of its own) and to save it when the arm wins; and to one step's copy when delivery prepares a
 * message of the arm.
 */
final class CampaignVariants {

    private CampaignVariants() {
    }

    /**
     * The campaign as the arm runs it: a new campaign object with the same id, name, status, priority, dates and
     * conditions, and the campaign's steps (same ids) with the arm's variants applied and its omitted steps left out.
     * New objects, as the admin's campaign editor builds them, so {@code CampaignRepository.save} can merge the result
     * (a loaded campaign's step list remembers the steps it was loaded with) and the original stays as it was.
     */
    static Campaign continued(Campaign current, ExperimentArm arm) {
        Campaign next = new Campaign(current.getId(), current.getName(), current.getStatus(), current.getPriority(),
                current.getCreatedAt().toInstant());
        next.activeBetween(current.getStartsAt() == null ? null : current.getStartsAt().toInstant(),
                current.getEndsAt() == null ? null : current.getEndsAt().toInstant());
        next.editedAt(current.getUpdatedAt().toInstant()); // saving moves UPDATED_AT past the current one
        for (CampaignCondition condition : current.getConditions()) {
            next.addCondition(new CampaignCondition(condition.getType(), condition.getCurrencyCode(),
                    condition.getNumberValue(), condition.getTextValue()));
        }
        for (CampaignStep step : current.getSteps()) {
            StepVariant variant = arm.step(step.getStepNo());
            if (variant != null && variant.isOmit()) {
                continue;
            }
            CampaignStep copy = step.copyForMessage();
            for (StepCondition condition : step.getConditions()) {
                copy.addCondition(new StepCondition(condition.getType(), condition.getCurrencyCode(),
                        condition.getNumberValue(), condition.getTextValue()));
            }
            next.addStep(variant == null ? copy : apply(copy, variant));
        }
        return next;
    }

    /** Changes one step as the variant says (everything but leaving it out, which is the planner's). */
    static CampaignStep apply(CampaignStep step, StepVariant variant) {
        if (variant.getDelayMinutes() != null) {
            step.withDelayMinutes(variant.getDelayMinutes());
        }
        if (variant.getChannel() != null) {
            step.withChannel(variant.getChannel());
        }
        if (variant.getTemplate() != null) {
            step.withTemplate(variant.getTemplate());
        }
        if (variant.getSubject() != null) {
            step.withSubjects(Collections.singletonMap(CampaignStep.ANY_LOCALE, variant.getSubject()));
        }
        if (variant.getCouponPolicy() != null) {
            if ("NONE".equals(variant.getCouponPolicy())) {
                step.withCoupon("NONE", null, null, null);
            } else {
                step.withCoupon(variant.getCouponPolicy(),
                        variant.getCouponOffer() != null ? variant.getCouponOffer() : step.getCouponOffer(),
                        variant.getCouponValue(), step.getCouponValidHours());
            }
        }
        return step;
    }
}
