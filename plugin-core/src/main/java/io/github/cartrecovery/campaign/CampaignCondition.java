package io.github.cartrecovery.campaign;

import java.math.BigDecimal;
import java.util.Locale;

import org.broadleafcommerce.common.presentation.AdminPresentation;
import org.broadleafcommerce.common.presentation.AdminPresentationClass;
import org.broadleafcommerce.common.presentation.client.SupportedFieldType;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.FetchType;
import javax.persistence.EnumType;
import javax.persistence.Enumerated;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.JoinColumn;
import javax.persistence.ManyToOne;
import javax.persistence.Table;

/** One audience condition of a campaign (table CR_CAMPAIGN_CONDITION). Pure test of {@link AudienceFacts}. */
@AdminPresentationClass(friendlyName = "cartRecovery.condition")
@Entity
@Table(name = "CR_CAMPAIGN_CONDITION")
public class CampaignCondition implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "ID")
    private Long id;

    // Lazy: delivery loads one step per message and must not drag the campaign's other steps along.
    @ManyToOne(optional = false, fetch = FetchType.LAZY)
    @JoinColumn(name = "CAMPAIGN_ID")
    private Campaign campaign;

    @Enumerated(EnumType.STRING)
    @AdminPresentation(friendlyName = "cartRecovery.condition.type", order = 1000, gridOrder = 1000, prominent = true, fieldType = SupportedFieldType.STRING)
    @Column(name = "CONDITION_TYPE", nullable = false, length = 32)
    private ConditionType type;

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
    public CampaignCondition() {
        // for Hibernate
    }

    public CampaignCondition(ConditionType type, String currencyCode, BigDecimal numberValue, String textValue) {
        this.type = type;
        this.currencyCode = currencyCode;
        this.numberValue = numberValue;
        this.textValue = textValue;
    }

    void attachTo(Campaign owner) {
        this.campaign = owner;
    }

    /** True when the cart described by {@code facts} satisfies this condition. */
    public boolean matches(AudienceFacts facts) {
        switch (type) {
            case MIN_CART_VALUE:
                return sameCurrency(facts) && facts.getTotal() != null && facts.getTotal().compareTo(numberValue) >= 0;
            case MAX_CART_VALUE:
                return sameCurrency(facts) && facts.getTotal() != null && facts.getTotal().compareTo(numberValue) <= 0;
            case MIN_ITEMS:
                return facts.getItemCount() >= numberValue.intValue();
            case MAX_ITEMS:
                return facts.getItemCount() <= numberValue.intValue();
            case LOCALE: {
                String locale = facts.getLocaleCode() == null ? "" : facts.getLocaleCode();
                return locale.equalsIgnoreCase(textValue)
                        || locale.toLowerCase(Locale.ROOT).startsWith(textValue.toLowerCase(Locale.ROOT) + "_");
            }
            case CUSTOMER_KIND:
                return "REGISTERED".equalsIgnoreCase(textValue) == facts.isRegistered();
            case CUSTOMER_HISTORY:
                return "RETURNING".equalsIgnoreCase(textValue) == facts.isReturning();
            case SITE:
                return facts.getSiteId() != null && numberValue.compareTo(BigDecimal.valueOf(facts.getSiteId())) == 0;
            case HIGH_VALUE:
                return currencyCode != null && facts.spentIn(currencyCode).compareTo(numberValue) >= 0;
            default:
                throw new IllegalStateException("unknown condition type " + type);
        }
    }

    private boolean sameCurrency(AudienceFacts facts) {
        return currencyCode != null && currencyCode.equalsIgnoreCase(facts.getCurrencyCode());
    }

    public Long getId() { return id; }
    public ConditionType getType() { return type; }
    public String getCurrencyCode() { return currencyCode; }
    public BigDecimal getNumberValue() { return numberValue; }
    public String getTextValue() { return textValue; }
}
