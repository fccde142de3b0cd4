package io.github.cartrecovery.campaign;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.broadleafcommerce.common.presentation.AdminPresentation;
import org.broadleafcommerce.common.presentation.AdminPresentationClass;
import org.broadleafcommerce.common.presentation.AdminPresentationCollection;
import org.broadleafcommerce.common.presentation.ConfigurationItem;
import org.broadleafcommerce.common.presentation.ValidationConfiguration;

import javax.persistence.CascadeType;
import javax.persistence.CollectionTable;
import javax.persistence.Column;
import javax.persistence.ElementCollection;
import javax.persistence.Entity;
import javax.persistence.FetchType;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.JoinColumn;
import javax.persistence.ManyToOne;
import javax.persistence.MapKeyColumn;
import javax.persistence.OneToMany;
import javax.persistence.OrderBy;
import javax.persistence.Table;

import io.github.cartrecovery.coupon.CouponStep;

/**
 * One message of a campaign's sequence (table CR_CAMPAIGN_STEP): on which channel (EMAIL, SMS, WEBHOOK or a store's
 * own; the template names one of that channel's templates), when, and under which send-time conditions
 * ({@link StepCondition}: a step whose conditions do not all hold is skipped and the sequence goes on). The delay counts
 * from abandonment for step 1 and from the previous step after that. Subjects are per locale with "*" as the
 * fallback (email steps).
 */
@AdminPresentationClass(friendlyName = "cartRecovery.step")
@Entity
@Table(name = "CR_CAMPAIGN_STEP")
public class CampaignStep implements java.io.Serializable, CouponStep {

    private static final long serialVersionUID = 1L;

    public static final String ANY_LOCALE = "*";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "ID")
    private Long id;

    // Lazy: delivery loads one step per message and must not drag the campaign's other steps along.
    @ManyToOne(optional = false, fetch = FetchType.LAZY)
    @JoinColumn(name = "CAMPAIGN_ID")
    private Campaign campaign;

    @AdminPresentation(friendlyName = "cartRecovery.step.stepNo", order = 1000, gridOrder = 1000, prominent = true)
    @Column(name = "STEP_NO", nullable = false)
    private int stepNo;

    @AdminPresentation(friendlyName = "cartRecovery.step.delayMinutes", order = 2000, gridOrder = 2000, prominent = true)
    @Column(name = "DELAY_MINUTES", nullable = false)
    private int delayMinutes;

    /** A channel name (Channel#name()); checked against the store's channels by {@link CampaignValidator}. */
    @AdminPresentation(friendlyName = "cartRecovery.step.channel", order = 3000, gridOrder = 2500, prominent = true,
            tooltip = "cartRecovery.step.channel.tooltip",
            validationConfigurations = @ValidationConfiguration(validationImplementation = "blRegexPropertyValidator",
                    configurationItems = {
                        @ConfigurationItem(itemName = "regularExpression", itemValue = CampaignValidator.CHANNEL_NAME),
                        @ConfigurationItem(itemName = "errorMessage", itemValue = "cartRecovery.step.channel.invalid")}))
    @Column(name = "CHANNEL", nullable = false, length = 16)
    private String channel = "EMAIL";

    @AdminPresentation(friendlyName = "cartRecovery.step.template", order = 4000, gridOrder = 3000, prominent = true)
    @Column(name = "TEMPLATE", nullable = false, length = 100)
    private String template;

    @AdminPresentation(friendlyName = "cartRecovery.step.couponPolicy", order = 5000, gridOrder = 4000, prominent = true)
    @Column(name = "COUPON_POLICY", nullable = false, length = 32)
    private String couponPolicy = "NONE";

    /** With a coupon policy: the most the coupon may take off the cart, in the cart's currency (null = no cap). */
    @AdminPresentation(friendlyName = "cartRecovery.step.couponValue", order = 6000)
    @Column(name = "COUPON_VALUE", precision = 19, scale = 5)
    private BigDecimal couponValue;

    /**
     * With a coupon policy: the most the coupon may take off per currency, "USD:10,JPY:1000"
     * ({@link io.github.cartrecovery.config.CurrencyAmounts}); a currency not named uses {@link #couponValue}.
     */
    @AdminPresentation(friendlyName = "cartRecovery.step.couponMaxDiscounts", order = 6500)
    @Column(name = "COUPON_MAX_DISCOUNTS", length = 255)
    private String couponMaxDiscounts;

    /** The template Broadleaf offer of the coupon policy, by id or by name. */
    @AdminPresentation(friendlyName = "cartRecovery.step.couponOffer", order = 7000)
    @Column(name = "COUPON_OFFER", length = 255)
    private String couponOffer;

    /** How long an issued code stays valid; null = cartrecovery.coupons.valid-hours. */
    @AdminPresentation(friendlyName = "cartRecovery.step.couponValidHours", order = 8000)
    @Column(name = "COUPON_VALID_HOURS")
    private Integer couponValidHours;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "CR_CAMPAIGN_STEP_SUBJECT", joinColumns = @JoinColumn(name = "STEP_ID"))
    @MapKeyColumn(name = "LOCALE_CODE", length = 16)
    @Column(name = "SUBJECT", nullable = false, length = 255)
    private Map<String, String> subjects = new HashMap<String, String>();

    /** Lazy (a campaign's steps are eager): {@link CampaignRepository} loads them with the step. */
    @AdminPresentationCollection(friendlyName = "cartRecovery.step.conditions", order = 1000)
    @OneToMany(mappedBy = "step", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("id")
    private List<StepCondition> conditions = new ArrayList<StepCondition>();

    /** For Hibernate and Broadleaf's admin (which creates new rows reflectively). */
    public CampaignStep() {
        // for Hibernate
    }

    public CampaignStep(Long id, int stepNo, int delayMinutes, String template, Map<String, String> subjects) {
        this.id = id;
        this.stepNo = stepNo;
        this.delayMinutes = delayMinutes;
        this.template = template;
        this.subjects.putAll(subjects);
    }

    /**
     * Sets the step's coupon policy (see {@code io.github.cartrecovery.coupon.CouponRule}): the rule, the
     * template offer (id or name), the maximum discount on the cart (null = none) and the code's validity
     * in hours (null = the configured default). Checked by {@link CampaignValidator} on save.
     */
    public CampaignStep withCoupon(String rule, String templateOffer, BigDecimal maxDiscount, Integer validHours) {
        this.couponPolicy = rule;
        this.couponOffer = templateOffer;
        this.couponValue = maxDiscount;
        this.couponValidHours = validHours;
        return this;
    }

    /** The maximum discount per currency, "USD:10,JPY:1000" (null = none; {@link #getCouponValue()} for every currency). */
    public CampaignStep withMaxDiscounts(String perCurrency) {
        this.couponMaxDiscounts = perCurrency;
        return this;
    }

    /** Gives this step another number (CampaignRepository, while it saves a reordered campaign). */
    void renumber(int number) {
        this.stepNo = number;
    }

    /** A new step (no id, no campaign) with everything of this one, its conditions copied too. */
    public CampaignStep copy() {
        CampaignStep copy = new CampaignStep(null, stepNo, delayMinutes, template, subjects);
        copy.channel = channel;
        copy.withCoupon(couponPolicy, couponOffer, couponValue, couponValidHours).withMaxDiscounts(couponMaxDiscounts);
        for (StepCondition condition : conditions) {
            copy.addCondition(StepCondition.of(condition.getTypeName(), condition.getCurrencyCode(), condition.getNumberValue(),
                    condition.getTextValue()));
        }
        return copy;
    }

    /** Sends this step on another channel than EMAIL (a channel's name: "SMS", "WEBHOOK"). */
    public CampaignStep withChannel(String channelName) {
        this.channel = channelName;
        return this;
    }

    /** Waits {@code minutes} after the step before (after abandonment for step 1). */
    public CampaignStep withDelayMinutes(int minutes) {
        this.delayMinutes = minutes;
        return this;
    }

    /** Uses another template of the step's channel. */
    public CampaignStep withTemplate(String templateName) {
        this.template = templateName;
        return this;
    }

    /** Replaces every subject with these (locale code, or "*" for the fallback, to subject). */
    public CampaignStep withSubjects(Map<String, String> subjectsByLocale) {
        this.subjects.clear();
        this.subjects.putAll(subjectsByLocale);
        return this;
    }

    /**
     * A detached copy for one message (an experiment arm's variant is applied to it at send time): the same id, number,
     * delay, channel, template, subjects and coupon policy, without the conditions (delivery checks those by step id).
     */
    public CampaignStep copyForMessage() {
        CampaignStep copy = new CampaignStep(id, stepNo, delayMinutes, template, subjects);
        copy.channel = channel;
        copy.couponPolicy = couponPolicy;
        copy.couponValue = couponValue;
        copy.couponOffer = couponOffer;
        copy.couponValidHours = couponValidHours;
        return copy;
    }

    /** Adds a send-time condition: the step is skipped unless all of its conditions hold. */
    public CampaignStep addCondition(StepCondition condition) {
        condition.attachTo(this);
        conditions.add(condition);
        return this;
    }

    /** Whether this step is an email (whose template is an email template and which needs a subject). */
    public boolean isEmail() {
        return "EMAIL".equals(channel);
    }

    void attachTo(Campaign owner) {
        this.campaign = owner;
    }

    /** The subject for a locale code such as "de_AT": exact, then language, then "*". */
    public String subjectFor(String localeCode) {
        if (localeCode != null && !localeCode.isEmpty()) {
            String exact = subjects.get(localeCode);
            if (exact != null) {
                return exact;
            }
            String language = localeCode.split("[_-]")[0].toLowerCase(Locale.ROOT);
            if (subjects.containsKey(language)) {
                return subjects.get(language);
            }
        }
        return subjects.get(ANY_LOCALE);
    }

    public Long getId() { return id; }
    public Campaign getCampaign() { return campaign; }
    public int getStepNo() { return stepNo; }
    public int getDelayMinutes() { return delayMinutes; }
    public String getChannel() { return channel; }
    public String getTemplate() { return template; }
    public String getCouponPolicy() { return couponPolicy; }
    public BigDecimal getCouponValue() { return couponValue; }
    public String getCouponMaxDiscounts() { return couponMaxDiscounts; }
    public String getCouponOffer() { return couponOffer; }
    public Integer getCouponValidHours() { return couponValidHours; }
    public Map<String, String> getSubjects() { return subjects; }
    public List<StepCondition> getConditions() { return conditions; }
}
