package io.github.cartrecovery.coupon;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.NumberFormat;
import java.time.Instant;
import java.util.Locale;

import io.github.cartrecovery.formatting.MoneyFormat;

/**
 * What the plugin needs to know of a template Broadleaf offer, in plain types (read by {@link TemplateOffers}):
 * its id, how it discounts (ORDER or ORDER_ITEM; PERCENT_OFF or AMOUNT_OFF), its value, and whether it can
 * be handed out now. Immutable.
 */
public final class OfferTerms {

    public static final String ORDER = "ORDER";
    public static final String ORDER_ITEM = "ORDER_ITEM";
    public static final String PERCENT_OFF = "PERCENT_OFF";
    public static final String AMOUNT_OFF = "AMOUNT_OFF";

    private final long offerId;
    private final String name;
    private final String offerType;
    private final String discountType;
    private final BigDecimal value;
    private final String deliveryType;
    private final Instant startsAt;
    private final Instant endsAt;
    private final boolean archived;

    public OfferTerms(long offerId, String name, String offerType, String discountType, BigDecimal value,
                      String deliveryType, Instant startsAt, Instant endsAt, boolean archived) {
        this.offerId = offerId;
        this.name = name;
        this.offerType = offerType;
        this.discountType = discountType;
        this.value = value;
        this.deliveryType = deliveryType;
        this.startsAt = startsAt;
        this.endsAt = endsAt;
        this.archived = archived;
    }

    public long getOfferId() { return offerId; }
    public String getName() { return name; }
    public String getOfferType() { return offerType; }
    public String getDiscountType() { return discountType; }
    public BigDecimal getValue() { return value; }
    public String getDeliveryType() { return deliveryType; }
    public Instant getEndsAt() { return endsAt; }
    public boolean isArchived() { return archived; }

    public boolean isPercentOff() {
        return PERCENT_OFF.equals(discountType);
    }

    /** Problems that make this offer unusable as a template at all, whatever the time (empty = none). */
    public String unsupportedBecause() {
        if (archived) {
            return "offer '" + name + "' (" + offerId + ") is archived";
        }
        if (!"CODE".equals(deliveryType)) {
            return "offer '" + name + "' (" + offerId + ") must have delivery type CODE (was " + deliveryType + ")";
        }
        if (!ORDER.equals(offerType) && !ORDER_ITEM.equals(offerType)) {
            return "offer '" + name + "' (" + offerId + ") must be an ORDER or ORDER_ITEM offer (was " + offerType + ")";
        }
        if (!PERCENT_OFF.equals(discountType) && !AMOUNT_OFF.equals(discountType)) {
            return "offer '" + name + "' (" + offerId + ") must be PERCENT_OFF or AMOUNT_OFF (was " + discountType + ")";
        }
        if (value == null || value.signum() <= 0 || (isPercentOff() && value.compareTo(new BigDecimal(100)) > 0)) {
            return "offer '" + name + "' (" + offerId + ") has an unusable value " + value;
        }
        return null;
    }

    /** True when codes of this offer can be handed out at this instant (supported, started, not ended). */
    public boolean usableAt(Instant now) {
        return unsupportedBecause() == null && startsAt != null && !startsAt.isAfter(now)
                && (endsAt == null || endsAt.isAfter(now));
    }

    /**
     * The most this offer can take off a cart of this total and item quantity: a percentage of the total,
     * or the amount (per item for ORDER_ITEM offers), never more than the total. An upper bound: Broadleaf's
     * item criteria may apply it to fewer items.
     */
    public BigDecimal mostOff(BigDecimal cartTotal, int itemQuantity) {
        BigDecimal total = cartTotal == null ? BigDecimal.ZERO : cartTotal;
        BigDecimal off;
        if (isPercentOff()) {
            off = total.multiply(value).divide(new BigDecimal(100), 2, RoundingMode.HALF_UP);
        } else if (ORDER_ITEM.equals(offerType)) {
            off = value.multiply(new BigDecimal(Math.max(itemQuantity, 1)));
        } else {
            off = value;
        }
        return off.min(total);
    }

    /** The discount as the email shows it: "10%" / "10 %" for a percentage, "$5.00" / "5,00 €" for an amount. */
    public String discountText(String currencyCode, Locale locale) {
        if (isPercentOff()) {
            NumberFormat percent = NumberFormat.getPercentInstance(locale);
            percent.setMaximumFractionDigits(2);
            return percent.format(value.divide(new BigDecimal(100)));
        }
        return MoneyFormat.format(value, currencyCode, locale);
    }
}
