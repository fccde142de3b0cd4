package io.github.cartrecovery.campaign;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.github.cartrecovery.coupon.CouponPolicyCheck;
import io.github.cartrecovery.rendering.EmailRenderer;

/**
 * Rejects campaign data that cannot work, before it is saved: each problem names the field and the rule.
 * A step's channel must be one of the store's channels (a collection of names: {@link StoreChannels}, the Channel
 * beans' names); an email step's template must exist as an email template and it needs a default subject; another
 * channel's template is a plain name its channel resolves when it builds the message. Stateless.
 */
public class CampaignValidator {

    /** Column sizes of CR_CAMPAIGN* (Liquibase 004, 007): a longer value could not be stored. */
    static final int MAX_NAME = 255;
    static final int MAX_SUBJECT = 255;
    static final int MAX_LOCALE = 16;
    static final int MAX_TEXT_VALUE = 64;
    static final int MAX_OFFER = 255;
    /** NUMERIC(19,5): 14 digits before the point, 5 after. */
    static final int MAX_INTEGER_DIGITS = 14;
    static final int MAX_DECIMALS = 5;
    /** A year: a reminder later than that recovers nothing (and every link in it would have expired). */
    static final int MAX_DELAY_MINUTES = 365 * 24 * 60;
    /** A channel's name (Channel#name()): upper case letters, digits and '_', at most 16 (CR_CAMPAIGN_STEP.CHANNEL). */
    public static final String CHANNEL_NAME = "[A-Z][A-Z0-9_]{0,15}";
    /** A template name of a channel other than EMAIL: a plain name, no path (CR_CAMPAIGN_STEP.TEMPLATE is 100 long). */
    static final String TEMPLATE_NAME = "[A-Za-z0-9][A-Za-z0-9_.-]{0,99}";

    private final EmailRenderer templates;
    private final CouponPolicyCheck coupons;
    private final Collection<String> channels;

    /** Steps may name the known channels ({@link StoreChannels#KNOWN}). */
    public CampaignValidator(EmailRenderer templates) {
        this(templates, null);
    }

    /** With coupon policies checked against Broadleaf's offers (null = coupon policies not checked). */
    public CampaignValidator(EmailRenderer templates, CouponPolicyCheck coupons) {
        this(templates, coupons, StoreChannels.KNOWN);
    }

    /**
     * @param channels the names a step's channel may take: the store's channels (read on every check, so a live view
     *                 such as {@link StoreChannels} follows the context)
     */
    public CampaignValidator(EmailRenderer templates, CouponPolicyCheck coupons, Collection<String> channels) {
        this.templates = templates;
        this.coupons = coupons;
        this.channels = channels;
    }

    /** Every problem found; empty when the campaign is valid. */
    public List<String> problems(Campaign campaign) {
        List<String> problems = new ArrayList<String>();
        if (campaign.getName() == null || campaign.getName().trim().isEmpty()) {
            problems.add("name: must not be empty");
        } else if (campaign.getName().length() > MAX_NAME) {
            problems.add("name: at most " + MAX_NAME + " characters (was " + campaign.getName().length() + ")");
        }
        if (campaign.getStartsAt() != null && campaign.getEndsAt() != null
                && !campaign.getStartsAt().before(campaign.getEndsAt())) {
            problems.add("endsAt: must be after startsAt");
        }
        if (campaign.getSteps().isEmpty()) {
            problems.add("steps: a campaign needs at least one step");
        }
        Set<Integer> numbers = new HashSet<Integer>();
        Integer firstStep = null;
        List<String> storeChannels = new ArrayList<String>(channels);
        for (CampaignStep step : campaign.getSteps()) {
            firstStep = firstStep == null ? step.getStepNo() : Math.min(firstStep, step.getStepNo());
        }
        for (CampaignStep step : campaign.getSteps()) {
            String where = "steps[" + step.getStepNo() + "].";
            if (!numbers.add(step.getStepNo())) {
                problems.add(where + "stepNo: used twice");
            }
            if (step.getStepNo() < 1) {
                problems.add(where + "stepNo: must be at least 1 (was " + step.getStepNo() + ")");
            }
            if (step.getDelayMinutes() < 0) {
                problems.add(where + "delayMinutes: must not be negative (was " + step.getDelayMinutes() + ")");
            } else if (step.getDelayMinutes() > MAX_DELAY_MINUTES) {
                problems.add(where + "delayMinutes: at most " + MAX_DELAY_MINUTES + " (365 days; was " + step.getDelayMinutes() + ")");
            }
            if (step.getChannel() == null || step.getChannel().trim().isEmpty()) {
                problems.add(where + "channel: required (one of " + storeChannels + ")");
            } else if (!storeChannels.contains(step.getChannel())) {
                problems.add(where + "channel: unknown channel '" + step.getChannel() + "' (the store has " + storeChannels + ")");
            }
            if (step.isEmail()) {
                if (step.getTemplate() == null || !templates.exists(step.getTemplate())) {
                    problems.add(where + "template: unknown template '" + step.getTemplate()
                            + "' (expected " + EmailRenderer.PREFIX + "<name>.html and .txt on the classpath)");
                }
                if (step.subjectFor(null) == null) {
                    problems.add(where + "subjects: a default subject (locale '" + CampaignStep.ANY_LOCALE + "') is required");
                }
            } else if (step.getTemplate() == null || !step.getTemplate().matches(TEMPLATE_NAME)) {
                problems.add(where + "template: a " + step.getChannel() + " template's name: letters, digits, '.', '-' "
                        + "and '_', at most 100 (was " + describe(step.getTemplate()) + ")");
            }
            for (int k = 0; k < step.getConditions().size(); k++) {
                StepCondition condition = step.getConditions().get(k);
                String at = where + "conditions[" + k + "].";
                for (String problem : condition.problems()) {
                    problems.add(at + problem);
                }
                if (condition.getType() == StepConditionType.PREVIOUS_STEP && firstStep != null
                        && step.getStepNo() == firstStep) {
                    problems.add(at + "type: PREVIOUS_STEP needs a step before this one (this is the first step)");
                }
            }
            for (Map.Entry<String, String> subject : step.getSubjects().entrySet()) {
                if (subject.getKey().length() > MAX_LOCALE) {
                    problems.add(where + "subjects: a locale has at most " + MAX_LOCALE + " characters (was " + subject.getKey().length() + ")");
                }
                if (subject.getValue() != null && subject.getValue().length() > MAX_SUBJECT) {
                    problems.add(where + "subjects: a subject has at most " + MAX_SUBJECT + " characters (was " + subject.getValue().length() + ")");
                }
            }
            if (step.getCouponOffer() != null && step.getCouponOffer().length() > MAX_OFFER) {
                problems.add(where + "couponOffer: at most " + MAX_OFFER + " characters");
            }
            if (step.getCouponMaxDiscounts() != null && step.getCouponMaxDiscounts().length() > MAX_OFFER) {
                problems.add(where + "couponMaxDiscounts: at most " + MAX_OFFER + " characters");
            }
            String value = storable(step.getCouponValue());
            if (value != null) {
                problems.add(where + "couponValue: " + value);
            }
            if (coupons != null) {
                for (String problem : coupons.problems(step)) {
                    problems.add(where + problem);
                }
            }
        }
        for (CampaignCondition condition : campaign.getConditions()) {
            String where = "conditions." + condition.getType() + ".";
            if (condition.getCurrencyCode() != null && !condition.getCurrencyCode().matches("[A-Za-z]{3}")) {
                problems.add(where + "currencyCode: a 3-letter ISO 4217 code like USD");
            }
            String number = storable(condition.getNumberValue());
            if (number != null) {
                problems.add(where + "numberValue: " + number);
            }
            if (condition.getTextValue() != null && condition.getTextValue().length() > MAX_TEXT_VALUE) {
                problems.add(where + "textValue: at most " + MAX_TEXT_VALUE + " characters");
            }
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

    /** Why an amount cannot be stored in NUMERIC(19,5), or null when it can (or is absent). */
    static String storable(BigDecimal amount) {
        if (amount == null) {
            return null;
        }
        BigDecimal plain = amount.stripTrailingZeros();
        if (plain.scale() > MAX_DECIMALS) {
            return "at most " + MAX_DECIMALS + " decimals";
        }
        if (plain.precision() - plain.scale() > MAX_INTEGER_DIGITS) {
            return "at most " + MAX_INTEGER_DIGITS + " digits before the decimal point";
        }
        return null;
    }

    /** Throws {@link InvalidCampaignException} listing every problem. */
    public void check(Campaign campaign) {
        List<String> problems = problems(campaign);
        if (!problems.isEmpty()) {
            throw new InvalidCampaignException(campaign.getName(), problems);
        }
    }
}
