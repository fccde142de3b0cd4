package io.github.cartrecovery.campaign;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.github.cartrecovery.coupon.CouponPolicyCheck;
import io.github.cartrecovery.rendering.EmailRenderer;

/**
 * Rejects campaign data that cannot work, before it is saved: each problem names the field and the rule.
 * Stateless.
 */
public class CampaignValidator {

    private final EmailRenderer templates;
    private final CouponPolicyCheck coupons;

    public CampaignValidator(EmailRenderer templates) {
        this(templates, null);
    }

    /** With coupon policies checked against Broadleaf's offers (null = coupon policies not checked). */
    public CampaignValidator(EmailRenderer templates, CouponPolicyCheck coupons) {
        this.templates = templates;
        this.coupons = coupons;
    }

    /** Every problem found; empty when the campaign is valid. */
    public List<String> problems(Campaign campaign) {
        List<String> problems = new ArrayList<String>();
        if (campaign.getName() == null || campaign.getName().trim().isEmpty()) {
            problems.add("name: must not be empty");
        }
        if (campaign.getStartsAt() != null && campaign.getEndsAt() != null
                && !campaign.getStartsAt().before(campaign.getEndsAt())) {
            problems.add("endsAt: must be after startsAt");
        }
        if (campaign.getSteps().isEmpty()) {
            problems.add("steps: a campaign needs at least one step");
        }
        Set<Integer> numbers = new HashSet<Integer>();
        for (CampaignStep step : campaign.getSteps()) {
            String where = "steps[" + step.getStepNo() + "].";
            if (!numbers.add(step.getStepNo())) {
                problems.add(where + "stepNo: used twice");
            }
            if (step.getDelayMinutes() < 0) {
                problems.add(where + "delayMinutes: must not be negative (was " + step.getDelayMinutes() + ")");
            }
            if (!"EMAIL".equals(step.getChannel())) {
                problems.add(where + "channel: only EMAIL is supported (was " + step.getChannel() + ")");
            }
            if (step.getTemplate() == null || !templates.exists(step.getTemplate())) {
                problems.add(where + "template: unknown template '" + step.getTemplate()
                        + "' (expected " + EmailRenderer.PREFIX + "<name>.html and .txt on the classpath)");
            }
            if (step.subjectFor(null) == null) {
                problems.add(where + "subjects: a default subject (locale '" + CampaignStep.ANY_LOCALE + "') is required");
            }
            if (coupons != null) {
                for (String problem : coupons.problems(step)) {
                    problems.add(where + problem);
                }
            }
        }
        for (CampaignCondition condition : campaign.getConditions()) {
            switch (condition.getType()) {
                case MIN_CART_VALUE:
                case MAX_CART_VALUE:
                    if (condition.getCurrencyCode() == null || condition.getNumberValue() == null) {
                        problems.add("conditions." + condition.getType() + ": needs a currency and an amount");
                    }
                    break;
                case MIN_ITEMS:
                case MAX_ITEMS:
                    if (condition.getNumberValue() == null) {
                        problems.add("conditions." + condition.getType() + ": needs a number");
                    }
                    break;
                case SITE:
                    if (condition.getNumberValue() == null || !isWholeNumber(condition.getNumberValue())) {
                        problems.add("conditions.SITE: needs the site id as a whole number (was "
                                + describe(condition.getNumberValue()) + ")");
                    }
                    break;
                case HIGH_VALUE:
                    if (!isCurrency(condition.getCurrencyCode())) {
                        problems.add("conditions.HIGH_VALUE: needs an ISO 4217 currency code (was "
                                + describe(condition.getCurrencyCode()) + ")");
                    }
                    if (condition.getNumberValue() == null || condition.getNumberValue().signum() <= 0) {
                        problems.add("conditions.HIGH_VALUE: needs a positive amount the shopper's submitted orders "
                                + "must reach (was " + describe(condition.getNumberValue()) + ")");
                    }
                    break;
                default:
                    if (condition.getTextValue() == null || condition.getTextValue().trim().isEmpty()) {
                        problems.add("conditions." + condition.getType() + ": needs a value");
                    }
            }
        }
        return problems;
    }

    private static boolean isWholeNumber(BigDecimal number) {
        return number.signum() == 0 || number.stripTrailingZeros().scale() <= 0;
    }

    private static boolean isCurrency(String code) {
        if (code == null || !code.trim().matches("[A-Za-z]{3}")) {
            return false;
        }
        try {
            Currency.getInstance(code.trim().toUpperCase(Locale.ROOT));
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String describe(Object value) {
        return value == null ? "empty" : "'" + value + "'";
    }

    /** Throws {@link InvalidCampaignException} listing every problem. */
    public void check(Campaign campaign) {
        List<String> problems = problems(campaign);
        if (!problems.isEmpty()) {
            throw new InvalidCampaignException(campaign.getName(), problems);
        }
    }
}
