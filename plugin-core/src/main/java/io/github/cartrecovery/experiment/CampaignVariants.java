package io.github.cartrecovery.experiment;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

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
        if (variant.getSubject() != null || !variant.getLocaleSubjects().isEmpty()) {
            step.withSubjects(subjects(step.getSubjects(), variant));
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

    /**
     * The step's subjects as the variant has them: its default subject replaces the step's for every locale (without
     * one the step's stay), then its subject per locale wins for that locale. A variant's subject for a language
     * ("de") also wins over the step's for that language's regions ("de_AT"), which {@link CampaignStep#subjectFor}
     * would otherwise find first.
     */
    static Map<String, String> subjects(Map<String, String> stepSubjects, StepVariant variant) {
        Map<String, String> subjects = new HashMap<String, String>();
        if (variant.getSubject() != null) {
            subjects.put(CampaignStep.ANY_LOCALE, variant.getSubject());
        } else {
            subjects.putAll(stepSubjects);
        }
        for (Map.Entry<String, String> subject : variant.getLocaleSubjects().entrySet()) {
            String locale = subject.getKey();
            if (locale.indexOf('_') < 0) {
                for (Iterator<String> codes = subjects.keySet().iterator(); codes.hasNext(); ) {
                    String code = codes.next();
                    if (code.startsWith(locale + "_") && !variant.getLocaleSubjects().containsKey(code)) {
                        codes.remove();
                    }
                }
            }
            subjects.put(locale, subject.getValue());
        }
        return subjects;
    }
}
