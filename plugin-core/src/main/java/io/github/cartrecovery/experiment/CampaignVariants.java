package io.github.cartrecovery.experiment;

import java.util.Collections;
import java.util.Iterator;

import io.github.cartrecovery.campaign.Campaign;
import io.github.cartrecovery.campaign.CampaignStep;

/**
 * Applies an arm's step variants to a campaign's steps: to a detached campaign, to judge the arm as the campaign
 * validator would (its sequence is a campaign of its own), and to the campaign itself when the arm wins; and to one
 * step's copy when delivery prepares a message of the arm.
 */
final class CampaignVariants {

    private CampaignVariants() {
    }

    /** Changes {@code campaign}'s steps as the arm says (omitted steps removed); a variant of a step it lacks is ignored. */
    static Campaign apply(Campaign campaign, ExperimentArm arm) {
        for (Iterator<CampaignStep> steps = campaign.getSteps().iterator(); steps.hasNext(); ) {
            CampaignStep step = steps.next();
            StepVariant variant = arm.step(step.getStepNo());
            if (variant == null) {
                continue;
            }
            if (variant.isOmit()) {
                steps.remove();
            } else {
                apply(step, variant);
            }
        }
        return campaign;
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
