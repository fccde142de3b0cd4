package io.github.cartrecovery.experiment;

import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

import io.github.cartrecovery.campaign.Campaign;
import io.github.cartrecovery.campaign.CampaignStep;
import io.github.cartrecovery.coupon.OfferTerms;
import io.github.cartrecovery.coupon.TemplateOffers;

/**
 * The discount an arm offers, as a bandit and its maximum discount see it: the largest percentage any step of the arm's
 * sequence takes off (its coupon's template offer, PERCENT_OFF), or none when no step has a coupon. A bandit compares
 * percentages, so a coupon taking a fixed amount off (or naming an offer that cannot be found) is a problem to show the
 * operator, not a number to guess. Reads the offers through {@link TemplateOffers}; stateless.
 */
public class ArmDiscounts {

    private final TemplateOffers offers;

    public ArmDiscounts(TemplateOffers offers) {
        this.offers = offers;
    }

    /** The arm's largest percent off (1 to 100, rounded up), or null for none; problems are added to {@code problems}. */
    public Integer percentOff(Campaign campaign, ExperimentArm arm, List<String> problems) {
        Campaign sequence = arm.getKind() == ArmKind.VARIANT ? CampaignVariants.continued(campaign, arm) : campaign;
        Integer largest = null;
        for (CampaignStep step : sequence.getSteps()) {
            String policy = step.getCouponPolicy();
            if (policy == null || "NONE".equals(policy)) {
                continue;
            }
            String where = "arms[" + arm.getKey() + "].steps[" + step.getStepNo() + "].coupon: ";
            OfferTerms terms = step.getCouponOffer() == null ? null : offers.terms(step.getCouponOffer());
            if (terms == null) {
                problems.add(where + "no template offer '" + step.getCouponOffer() + "', so the bandit cannot compare its discount");
                continue;
            }
            if (!terms.isPercentOff() || terms.getValue() == null) {
                problems.add(where + "offer '" + terms.getName() + "' takes a fixed amount off; a bandit compares "
                        + "percentage discounts (use a PERCENT_OFF offer)");
                continue;
            }
            int percent = Math.max(1, Math.min(100, terms.getValue().setScale(0, RoundingMode.CEILING).intValue()));
            largest = largest == null ? percent : Math.max(largest, percent);
        }
        return largest;
    }

    /** The same, throwing {@link IllegalStateException} with the problems when there are any. */
    public Integer percentOff(Campaign campaign, ExperimentArm arm) {
        List<String> problems = new ArrayList<String>();
        Integer percent = percentOff(campaign, arm, problems);
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join("; ", problems));
        }
        return percent;
    }
}
