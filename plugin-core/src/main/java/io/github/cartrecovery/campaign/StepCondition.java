package io.github.cartrecovery.campaign;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Currency;
import java.util.List;
import java.util.Locale;

import org.broadleafcommerce.common.presentation.AdminPresentation;
import org.broadleafcommerce.common.presentation.AdminPresentationClass;
import org.broadleafcommerce.common.presentation.ValidationConfiguration;
import org.broadleafcommerce.common.presentation.client.SupportedFieldType;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.FetchType;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.JoinColumn;
import javax.persistence.ManyToOne;
import javax.persistence.Table;

/**
 * One send-time condition of a campaign step (table CR_CAMPAIGN_STEP_CONDITION): a pure test of {@link SendTimeFacts}.
 * {@link #problems()} says what makes one unusable; the campaign validator and the admin's generic step screen both ask.
 */
@AdminPresentationClass(friendlyName = "cartRecovery.stepCondition")
@Entity
@Table(name = "CR_CAMPAIGN_STEP_CONDITION")
public class StepCondition implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    /** The admin's check of a condition saved on Broadleaf's generic screens (plugin-admin; instantiated by class name). */
    static final String ADMIN_VALIDATOR = "io.github.cartrecovery.admin.campaign.StepConditionPropertyValidator";

    public static final List<String> CHANNELS = Collections.unmodifiableList(Arrays.asList("EMAIL", "SMS"));
    public static final List<String> PREVIOUS_STEP_VALUES =
            Collections.unmodifiableList(Arrays.asList("OPENED", "CLICKED", "NOT_OPENED", "NOT_CLICKED"));
    public static final List<String> SEGMENTS =
            Collections.unmodifiableList(Arrays.asList("NEW", "RETURNING", "GUEST", "REGISTERED", "HIGH_VALUE"));

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "ID")
    private Long id;

    @ManyToOne(optional = false, fetch = FetchType.LAZY)
    @JoinColumn(name = "STEP_ID")
    private CampaignStep step;

    /**
     * A {@link StepConditionType} name. Kept as text: Broadleaf 3.1's generic screens write a form's text into the field
     * as it is, and cannot set an enum field.
     */
    @AdminPresentation(friendlyName = "cartRecovery.stepCondition.type", order = 1000, gridOrder = 1000, prominent = true,
            fieldType = SupportedFieldType.STRING, tooltip = "cartRecovery.stepCondition.type.tooltip",
            validationConfigurations = @ValidationConfiguration(validationImplementation = ADMIN_VALIDATOR))
    @Column(name = "CONDITION_TYPE", nullable = false, length = 32)
    private String type;

    @AdminPresentation(friendlyName = "cartRecovery.condition.currency", order = 2000, gridOrder = 2000, prominent = true)
    @Column(name = "CURRENCY_CODE", length = 3)
    private String currencyCode;

    @AdminPresentation(friendlyName = "cartRecovery.condition.number", order = 3000, gridOrder = 3000, prominent = true)
    @Column(name = "NUMBER_VALUE", precision = 19, scale = 5)
    private BigDecimal numberValue;

    @AdminPresentation(friendlyName = "cartRecovery.condition.text", order = 4000, gridOrder = 4000, prominent = true)
    @Column(name = "TEXT_VALUE", length = 64)
    private String textValue;

    /** For Hibernate and Broadleaf's admin (which creates new rows reflectively). */
    public StepCondition() {
        // for Hibernate
    }

    public StepCondition(StepConditionType type, String currencyCode, BigDecimal numberValue, String textValue) {
        this.type = type == null ? null : type.name();
        this.currencyCode = currencyCode;
        this.numberValue = numberValue;
        this.textValue = textValue;
    }

    /** A condition as stored or typed: {@code type} is a type's name, possibly one this version does not know. */
    public static StepCondition of(String type, String currencyCode, BigDecimal numberValue, String textValue) {
        StepCondition condition = new StepCondition(null, currencyCode, numberValue, textValue);
        condition.type = type == null ? null : type.trim();
        return condition;
    }

    void attachTo(CampaignStep owner) {
        this.step = owner;
    }

    /**
     * True when the message described by {@code facts} may be sent as far as this condition goes. A type this version
     * does not know never holds.
     */
    public boolean matches(SendTimeFacts facts) {
        StepConditionType known = getType();
        if (known == null) {
            return false;
        }
        String text = textValue == null ? "" : textValue.trim().toUpperCase(Locale.ROOT);
        switch (known) {
            case CHANNEL_CONSENT:
                return "SMS".equals(text) ? facts.hasSmsConsent() : "EMAIL".equals(text) && facts.hasEmailConsent();
            case MIN_CART_TOTAL:
                return sameCurrency(facts) && facts.getCartTotal().compareTo(numberValue) >= 0;
            case MAX_CART_TOTAL:
                return sameCurrency(facts) && facts.getCartTotal().compareTo(numberValue) <= 0;
            case PREVIOUS_STEP:
                if ("OPENED".equals(text)) {
                    return facts.isPreviousOpened();
                } else if ("CLICKED".equals(text)) {
                    return facts.isPreviousClicked();
                } else if ("NOT_OPENED".equals(text)) {
                    return !facts.isPreviousOpened();
                }
                return "NOT_CLICKED".equals(text) && !facts.isPreviousClicked();
            case SEGMENT:
                return segment(text, facts.getShopper());
            default:
                throw new IllegalStateException("unknown step condition type " + type);
        }
    }

    /** The audience condition of the same meaning, tested on the shopper as read at send time. */
    private boolean segment(String text, AudienceFacts shopper) {
        if (shopper == null) {
            throw new IllegalStateException("SEGMENT " + text + " needs the shopper's facts, which were not read");
        }
        if ("NEW".equals(text) || "RETURNING".equals(text)) {
            return new CampaignCondition(ConditionType.CUSTOMER_HISTORY, null, null, text).matches(shopper);
        } else if ("GUEST".equals(text) || "REGISTERED".equals(text)) {
            return new CampaignCondition(ConditionType.CUSTOMER_KIND, null, null, text).matches(shopper);
        }
        return "HIGH_VALUE".equals(text) && numberValue != null
                && new CampaignCondition(ConditionType.HIGH_VALUE, currencyCode == null ? null : currencyCode.trim(),
                numberValue, null).matches(shopper);
    }

    private boolean sameCurrency(SendTimeFacts facts) {
        return currencyCode != null && numberValue != null && facts.getCartTotal() != null
                && currencyCode.trim().equalsIgnoreCase(facts.getCartCurrency());
    }

    /** Whether testing this condition needs the shopper's order history or kind ({@link SendTimeFacts#getShopper()}). */
    public boolean needsShopper() {
        return getType() == StepConditionType.SEGMENT;
    }

    /** Whether testing this condition needs the events of the cart's previous message. */
    public boolean needsPreviousStep() {
        return getType() == StepConditionType.PREVIOUS_STEP;
    }

    /** The condition in words, as a skipped message's detail names it: "MIN_CART_TOTAL 50 EUR", "CHANNEL_CONSENT SMS". */
    public String describe() {
        StringBuilder text = new StringBuilder(String.valueOf(type));
        if (textValue != null) {
            text.append(' ').append(textValue.trim());
        }
        if (numberValue != null) {
            text.append(' ').append(numberValue.stripTrailingZeros().toPlainString());
        }
        if (currencyCode != null) {
            text.append(' ').append(currencyCode.trim().toUpperCase(Locale.ROOT));
        }
        return text.toString();
    }

    /**
     * This condition and what the message's facts showed instead, for a skipped message's detail (no personal data):
     * "MIN_CART_TOTAL 50 EUR: cart total 42.5 EUR", "CHANNEL_CONSENT SMS: no SMS consent or no phone number".
     */
    public String whyNot(SendTimeFacts facts) {
        StepConditionType known = getType();
        if (known == null) {
            return "unknown condition type '" + type + "'";
        }
        String observed;
        switch (known) {
            case CHANNEL_CONSENT:
                observed = "SMS".equalsIgnoreCase(textValue == null ? null : textValue.trim())
                        ? "no SMS consent or no phone number" : "no email consent";
                break;
            case MIN_CART_TOTAL:
            case MAX_CART_TOTAL:
                observed = facts.getCartTotal() == null ? "cart total unknown" : "cart total "
                        + facts.getCartTotal().stripTrailingZeros().toPlainString() + " " + facts.getCartCurrency();
                break;
            case PREVIOUS_STEP:
                observed = "previous step " + (facts.isPreviousClicked() ? "clicked"
                        : facts.isPreviousOpened() ? "opened, not clicked" : "neither opened nor clicked");
                break;
            default:
                observed = "the shopper is not in this segment";
        }
        return describe() + ": " + observed;
    }

    /**
     * Why this condition cannot work, each problem naming its field ("currencyCode: ..."); empty when it can. The
     * campaign validator adds where the step's condition is; whether the step has a step before it (PREVIOUS_STEP) is
     * the campaign's to say.
     */
    public List<String> problems() {
        List<String> problems = new ArrayList<String>();
        StepConditionType known = getType();
        if (type == null || type.trim().isEmpty()) {
            problems.add("type: required (one of " + Arrays.toString(StepConditionType.values()) + ")");
            return problems;
        }
        if (known == null) {
            problems.add("type: unknown condition '" + type + "' (one of " + Arrays.toString(StepConditionType.values()) + ")");
            return problems;
        }
        if (currencyCode != null && !isCurrency(currencyCode)) {
            problems.add("currencyCode: an ISO 4217 code like USD (was '" + currencyCode + "')");
        }
        String number = CampaignValidator.storable(numberValue);
        if (number != null) {
            problems.add("numberValue: " + number);
        }
        if (textValue != null && textValue.length() > CampaignValidator.MAX_TEXT_VALUE) {
            problems.add("textValue: at most " + CampaignValidator.MAX_TEXT_VALUE + " characters");
        }
        String text = textValue == null ? null : textValue.trim().toUpperCase(Locale.ROOT);
        switch (known) {
            case CHANNEL_CONSENT:
                oneOf(problems, text, CHANNELS);
                break;
            case MIN_CART_TOTAL:
            case MAX_CART_TOTAL:
                if (currencyCode == null) {
                    problems.add("currencyCode: required for " + type + " (a cart in another currency does not match)");
                }
                if (numberValue == null || numberValue.signum() < 0) {
                    problems.add("numberValue: " + type + " needs an amount of 0 or more (was " + shown(numberValue) + ")");
                }
                break;
            case PREVIOUS_STEP:
                oneOf(problems, text, PREVIOUS_STEP_VALUES);
                break;
            case SEGMENT:
                oneOf(problems, text, SEGMENTS);
                if ("HIGH_VALUE".equals(text)) {
                    if (currencyCode == null) {
                        problems.add("currencyCode: required for SEGMENT HIGH_VALUE (orders in other currencies do not count)");
                    }
                    if (numberValue == null || numberValue.signum() <= 0) {
                        problems.add("numberValue: SEGMENT HIGH_VALUE needs a positive amount the shopper's submitted "
                                + "orders must reach (was " + shown(numberValue) + ")");
                    }
                }
                break;
            default:
                break;
        }
        return problems;
    }

    private static void oneOf(List<String> problems, String text, List<String> allowed) {
        if (text == null || !allowed.contains(text)) {
            problems.add("textValue: one of " + allowed + " (was " + shown(text) + ")");
        }
    }

    private static boolean isCurrency(String code) {
        if (!code.trim().matches("[A-Za-z]{3}")) {
            return false;
        }
        try {
            Currency.getInstance(code.trim().toUpperCase(Locale.ROOT));
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String shown(Object value) {
        return value == null ? "empty" : "'" + value + "'";
    }

    public Long getId() { return id; }
    public CampaignStep getStep() { return step; }
    /** The type's name as stored (possibly one this version does not know). */
    public String getTypeName() { return type; }

    /** The type, or null when the row names none this version knows. */
    public StepConditionType getType() {
        if (type == null) {
            return null;
        }
        try {
            return StepConditionType.valueOf(type.trim());
        } catch (IllegalArgumentException unknown) {
            return null;
        }
    }
    public String getCurrencyCode() { return currencyCode; }
    public BigDecimal getNumberValue() { return numberValue; }
    public String getTextValue() { return textValue; }
}
