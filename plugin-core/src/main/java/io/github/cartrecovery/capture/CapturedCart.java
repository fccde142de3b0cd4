package io.github.cartrecovery.capture;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.broadleafcommerce.common.presentation.AdminPresentation;
import org.broadleafcommerce.common.presentation.AdminPresentationClass;
import org.broadleafcommerce.common.presentation.client.SupportedFieldType;

import javax.persistence.CollectionTable;
import io.github.cartrecovery.personaldata.PersonalData;

import javax.persistence.Column;
import javax.persistence.ElementCollection;
import javax.persistence.Entity;
import javax.persistence.EnumType;
import javax.persistence.Enumerated;
import javax.persistence.FetchType;
import javax.persistence.Id;
import javax.persistence.JoinColumn;
import javax.persistence.OrderColumn;
import javax.persistence.Table;
import javax.persistence.Temporal;
import javax.persistence.TemporalType;

/**
 * The plugin's record of one Broadleaf cart, keyed by Broadleaf's order id (a plain column: Broadleaf
 * hard-deletes carts and this record must outlive them). Written by capture, read by detection and
 * every later step. Table created by Liquibase ({@code 1.0/001-captured-cart.xml}), never by hbm2ddl.
 */
@AdminPresentationClass(friendlyName = "cartRecovery.capturedCart")
@Entity
@Table(name = "CR_CAPTURED_CART")
public class CapturedCart implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    @Id
    @AdminPresentation(friendlyName = "cartRecovery.capturedCart.orderId", order = 1000, gridOrder = 1000, prominent = true, readOnly = true)
    @Column(name = "ORDER_ID")
    private Long orderId;

    @Column(name = "CUSTOMER_ID")
    private Long customerId;

    @PersonalData(PersonalData.Kind.EMAIL)
    @AdminPresentation(friendlyName = "cartRecovery.capturedCart.email", order = 2000, readOnly = true, fieldType = SupportedFieldType.HIDDEN)
    @Column(name = "EMAIL", length = 254)
    private String email;

    @Enumerated(EnumType.STRING)
    @Column(name = "MARKETING_CONSENT", nullable = false, length = 16)
    private MarketingConsent marketingConsent = MarketingConsent.UNKNOWN;

    /** E.164 (1.2/022); from the capture endpoint's phone field or, without an SMS statement, from Broadleaf. */
    @PersonalData(PersonalData.Kind.PHONE)
    @AdminPresentation(friendlyName = "cartRecovery.capturedCart.phone", order = 2100, readOnly = true)
    @Column(name = "PHONE", length = 16)
    private String phone;

    @Enumerated(EnumType.STRING)
    @AdminPresentation(friendlyName = "cartRecovery.capturedCart.smsConsent", order = 2200, readOnly = true, fieldType = SupportedFieldType.STRING)
    @Column(name = "SMS_CONSENT", nullable = false, length = 16)
    private SmsConsent smsConsent = SmsConsent.UNKNOWN;

    /** When the shopper last granted or withdrew SMS consent (null while UNKNOWN). */
    @Temporal(TemporalType.TIMESTAMP)
    @AdminPresentation(friendlyName = "cartRecovery.capturedCart.smsConsentAt", order = 2300, readOnly = true)
    @Column(name = "SMS_CONSENT_AT")
    private Date smsConsentAt;

    @Column(name = "LOCALE_CODE", length = 16)
    private String localeCode;

    @AdminPresentation(friendlyName = "cartRecovery.capturedCart.currency", order = 4000, gridOrder = 3000, prominent = true, readOnly = true)
    @Column(name = "CURRENCY_CODE", length = 3)
    private String currencyCode;

    @Column(name = "SITE_ID")
    private Long siteId;

    @AdminPresentation(friendlyName = "cartRecovery.capturedCart.itemCount", order = 8000, readOnly = true)
    @Column(name = "ITEM_COUNT", nullable = false)
    private int itemCount;

    @Column(name = "SUBTOTAL", precision = 19, scale = 5)
    private BigDecimal subtotal;

    @AdminPresentation(friendlyName = "cartRecovery.capturedCart.total", order = 5000, gridOrder = 4000, prominent = true, readOnly = true)
    @Column(name = "TOTAL", precision = 19, scale = 5)
    private BigDecimal total;

    @Enumerated(EnumType.STRING)
    @AdminPresentation(friendlyName = "cartRecovery.capturedCart.status", order = 3000, gridOrder = 2000, prominent = true, readOnly = true, fieldType = SupportedFieldType.STRING)
    @Column(name = "STATUS", nullable = false, length = 20)
    private CartStatus status = CartStatus.ACTIVE;

    @Column(name = "EXCLUSION_REASON", length = 255)
    private String exclusionReason;

    @Temporal(TemporalType.TIMESTAMP)
    @Column(name = "FIRST_SEEN", nullable = false)
    private Date firstSeen;

    @Temporal(TemporalType.TIMESTAMP)
    @AdminPresentation(friendlyName = "cartRecovery.capturedCart.lastActivity", order = 6000, gridOrder = 5000, prominent = true, readOnly = true)
    @Column(name = "LAST_ACTIVITY", nullable = false)
    private Date lastActivity;

    @Temporal(TemporalType.TIMESTAMP)
    @AdminPresentation(friendlyName = "cartRecovery.capturedCart.abandonedAt", order = 7000, gridOrder = 6000, prominent = true, readOnly = true)
    @Column(name = "ABANDONED_AT")
    private Date abandonedAt;

    @Temporal(TemporalType.TIMESTAMP)
    @Column(name = "STATUS_CHANGED_AT", nullable = false)
    private Date statusChangedAt;

    @PersonalData(PersonalData.Kind.IP)
    @Column(name = "CLIENT_IP", length = 45)
    private String clientIp;

    @PersonalData(PersonalData.Kind.USER_AGENT)
    @Column(name = "USER_AGENT", length = 512)
    private String userAgent;

    @Enumerated(EnumType.STRING)
    @Column(name = "ORIGIN", nullable = false, length = 16)
    private CartOrigin origin = CartOrigin.STOREFRONT;

    @ElementCollection(fetch = FetchType.LAZY)
    @CollectionTable(name = "CR_CAPTURED_CART_ITEM", joinColumns = @JoinColumn(name = "ORDER_ID"))
    @OrderColumn(name = "LINE_NO")
    private List<CartItemSnapshot> items = new ArrayList<CartItemSnapshot>();

    protected CapturedCart() {
        // for Hibernate
    }

    public CapturedCart(Long orderId, Date seenAt, CartOrigin origin) {
        this.orderId = orderId;
        this.origin = origin == null ? CartOrigin.STOREFRONT : origin;
        this.firstSeen = seenAt;
        this.lastActivity = seenAt;
        this.statusChangedAt = seenAt;
    }

    /**
     * Applies what was seen of the Broadleaf order. Content changes move LAST_ACTIVITY; a final status
     * (purchased, deleted, excluded, recovered) is never left.
     */
    void observe(CartObservation seen) {
        Date at = Date.from(seen.getObservedAt());
        if (seen.getOrderState() == CartObservation.OrderState.DELETED) {
            moveTo(CartStatus.DELETED, at);
            return;
        }
        int itemsBefore = itemCount;
        boolean changed = itemCount != seen.getItemCount()
                || !sameAmount(total, seen.getTotal())
                || !sameText(email, seen.getEmail())
                || !sameItems(seen.getItems());
        customerId = seen.getCustomerId();
        if (seen.getClientIp() != null) {
            clientIp = seen.getClientIp();
        }
        if (seen.getUserAgent() != null) {
            userAgent = seen.getUserAgent();
        }
        if (seen.getEmail() != null) {
            email = seen.getEmail();
        }
        if (seen.getPhone() != null && smsConsent == SmsConsent.UNKNOWN) {
            // a number from Broadleaf never replaces one the shopper granted or refused texts for
            phone = seen.getPhone();
        }
        localeCode = seen.getLocaleCode();
        currencyCode = seen.getCurrencyCode();
        siteId = seen.getSiteId();
        itemCount = seen.getItemCount();
        subtotal = seen.getSubtotal();
        total = seen.getTotal();
        items.clear();
        items.addAll(seen.getItems());
        if (changed && at.after(lastActivity)) {
            lastActivity = at;
        }
        if (seen.getOrderState() == CartObservation.OrderState.SUBMITTED) {
            moveTo(CartStatus.PURCHASED, at);
        } else if (itemCount == 0 && itemsBefore > 0 && status == CartStatus.ACTIVE) {
            moveTo(CartStatus.EMPTIED, at);
        } else if (changed && (status == CartStatus.EMPTIED || status == CartStatus.ABANDONED || status == CartStatus.IDLE)) {
            moveTo(CartStatus.ACTIVE, at);
        }
    }

    /** What the shopper said most recently about marketing email (guest email capture). */
    void recordConsent(MarketingConsent consent) {
        marketingConsent = consent;
    }

    /**
     * What the shopper said most recently about texts, for {@code statedPhone} (E.164) or, when null, for the number
     * the cart has. Consent belongs to a number: it is never GRANTED without one, a grant repeated for the same number
     * keeps its first time, and a new number takes only what was said about it. SMS_CONSENT_AT is the time of the
     * grant or withdrawal, null while nothing was said.
     */
    void recordSmsConsent(String statedPhone, SmsConsent consent, Date at) {
        boolean sameNumber = statedPhone == null || statedPhone.equals(phone);
        if (statedPhone != null) {
            phone = statedPhone;
        }
        SmsConsent next = consent == SmsConsent.GRANTED && phone == null ? SmsConsent.UNKNOWN : consent;
        if (next == SmsConsent.GRANTED && smsConsent == SmsConsent.GRANTED && sameNumber) {
            return;
        }
        smsConsent = next;
        smsConsentAt = next == SmsConsent.UNKNOWN ? null : at;
    }

    private void moveTo(CartStatus next, Date at) {
        if (status.isFinal() || status == next) {
            return;
        }
        status = next;
        statusChangedAt = at;
    }

    private boolean sameItems(List<CartItemSnapshot> seen) {
        if (seen.size() != items.size()) {
            return false;
        }
        for (int i = 0; i < seen.size(); i++) {
            CartItemSnapshot a = items.get(i);
            CartItemSnapshot b = seen.get(i);
            if (!java.util.Objects.equals(a.getSkuId(), b.getSkuId()) || a.getQuantity() != b.getQuantity()) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameAmount(BigDecimal a, BigDecimal b) {
        return a == null ? b == null : b != null && a.compareTo(b) == 0;
    }

    private static boolean sameText(String a, String b) {
        return b == null || b.equalsIgnoreCase(a);
    }

    public Long getOrderId() { return orderId; }
    public Long getCustomerId() { return customerId; }
    public String getEmail() { return email; }
    public MarketingConsent getMarketingConsent() { return marketingConsent; }
    /** E.164, or null. */
    public String getPhone() { return phone; }
    public SmsConsent getSmsConsent() { return smsConsent; }
    public Date getSmsConsentAt() { return smsConsentAt; }
    public String getLocaleCode() { return localeCode; }
    public String getCurrencyCode() { return currencyCode; }
    public Long getSiteId() { return siteId; }
    public int getItemCount() { return itemCount; }
    public BigDecimal getSubtotal() { return subtotal; }
    public BigDecimal getTotal() { return total; }
    public CartStatus getStatus() { return status; }
    public String getExclusionReason() { return exclusionReason; }
    public Date getFirstSeen() { return firstSeen; }
    public Date getLastActivity() { return lastActivity; }
    public Date getAbandonedAt() { return abandonedAt; }
    public Date getStatusChangedAt() { return statusChangedAt; }
    public List<CartItemSnapshot> getItems() { return items; }
    public String getClientIp() { return clientIp; }
    public String getUserAgent() { return userAgent; }
    public CartOrigin getOrigin() { return origin; }
}
