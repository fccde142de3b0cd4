package io.github.cartrecovery.experiment;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * How one arm changes one campaign step (by its number): left out, or with another delay, channel, template, subject
 * or coupon. Null means "as the campaign step". Subjects may be given per locale code ("de", "de_AT"): a message's
 * subject is the variant's for its locale (exact, then language), then the variant's default subject (which replaces
 * the step's subjects for every locale), then the campaign step's. A coupon
 * policy NONE takes the coupon away; another policy with a value is a discount level (the most the coupon may take
 * off), with the campaign step's template offer unless the variant names one. Immutable.
 */
public final class StepVariant {

    private final int stepNo;
    private final boolean omit;
    private final Integer delayMinutes;
    private final String channel;
    private final String template;
    private final String subject;
    private final String couponPolicy;
    private final BigDecimal couponValue;
    private final String couponOffer;
    private final Map<String, String> localeSubjects;

    public StepVariant(int stepNo, boolean omit, Integer delayMinutes, String channel, String template, String subject,
                       String couponPolicy, BigDecimal couponValue, String couponOffer) {
        this(stepNo, omit, delayMinutes, channel, template, subject, couponPolicy, couponValue, couponOffer,
                Collections.<String, String>emptyMap());
    }

    private StepVariant(int stepNo, boolean omit, Integer delayMinutes, String channel, String template, String subject,
                        String couponPolicy, BigDecimal couponValue, String couponOffer, Map<String, String> localeSubjects) {
        this.stepNo = stepNo;
        this.omit = omit;
        this.delayMinutes = delayMinutes;
        this.channel = channel;
        this.template = template;
        this.subject = subject;
        this.couponPolicy = couponPolicy;
        this.couponValue = couponValue;
        this.couponOffer = couponOffer;
        this.localeSubjects = Collections.unmodifiableMap(new TreeMap<String, String>(localeSubjects));
    }

    /** Step {@code stepNo} as the campaign has it (change it with the {@code with...} methods). */
    public static StepVariant of(int stepNo) {
        return new StepVariant(stepNo, false, null, null, null, null, null, null, null);
    }

    /** Step {@code stepNo} left out: the arm's sequence is shorter. */
    public static StepVariant omitted(int stepNo) {
        return new StepVariant(stepNo, true, null, null, null, null, null, null, null);
    }

    public StepVariant withDelayMinutes(Integer minutes) {
        return new StepVariant(stepNo, omit, minutes, channel, template, subject,
                couponPolicy, couponValue, couponOffer, localeSubjects);
    }

    public StepVariant withChannel(String channelName) {
        return new StepVariant(stepNo, omit, delayMinutes, channelName, template, subject,
                couponPolicy, couponValue, couponOffer, localeSubjects);
    }

    public StepVariant withTemplate(String templateName) {
        return new StepVariant(stepNo, omit, delayMinutes, channel, templateName, subject,
                couponPolicy, couponValue, couponOffer, localeSubjects);
    }

    public StepVariant withSubject(String text) {
        return new StepVariant(stepNo, omit, delayMinutes, channel, template, text,
                couponPolicy, couponValue, couponOffer, localeSubjects);
    }

    /** The subject for one locale code ("de", "de_AT"); a null text removes it. */
    public StepVariant withSubject(String localeCode, String text) {
        Map<String, String> subjects = new TreeMap<String, String>(localeSubjects);
        if (text == null) {
            subjects.remove(localeCode);
        } else {
            subjects.put(localeCode, text);
        }
        return new StepVariant(stepNo, omit, delayMinutes, channel, template, subject, couponPolicy, couponValue,
                couponOffer, subjects);
    }

    /** These subjects per locale code in place of the variant's current ones. */
    public StepVariant withLocaleSubjects(Map<String, String> subjectsByLocale) {
        return new StepVariant(stepNo, omit, delayMinutes, channel, template, subject, couponPolicy, couponValue,
                couponOffer, subjectsByLocale);
    }

    /** A coupon policy (NONE for no coupon), its most the coupon may take off (null = no cap) and offer (null = the step's). */
    public StepVariant withCoupon(String policy, BigDecimal maxDiscount, String offer) {
        return new StepVariant(stepNo, omit, delayMinutes, channel, template, subject, policy, maxDiscount, offer,
                localeSubjects);
    }

    public int getStepNo() { return stepNo; }
    public boolean isOmit() { return omit; }
    public Integer getDelayMinutes() { return delayMinutes; }
    public String getChannel() { return channel; }
    public String getTemplate() { return template; }
    public String getSubject() { return subject; }
    public String getCouponPolicy() { return couponPolicy; }
    public BigDecimal getCouponValue() { return couponValue; }
    public String getCouponOffer() { return couponOffer; }
    /** Subjects per locale code, sorted by code; empty when none. */
    public Map<String, String> getLocaleSubjects() { return localeSubjects; }
}
