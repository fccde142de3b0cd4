package io.github.cartrecovery.coupon;

import java.math.BigDecimal;

/** One message that may carry a coupon: which message, cart and shopper, and the cart as the email shows it. Immutable. */
public final class CouponRequest {

    private final long plannedMessageId;
    private final long orderId;
    private final String email;
    private final int stepNo;
    private final BigDecimal cartTotal;
    private final int itemQuantity;
    private final String currencyCode;

    public CouponRequest(long plannedMessageId, long orderId, String email, int stepNo, BigDecimal cartTotal,
                         int itemQuantity, String currencyCode) {
        this.plannedMessageId = plannedMessageId;
        this.orderId = orderId;
        this.email = email == null ? null : email.trim().toLowerCase(java.util.Locale.ROOT);
        this.stepNo = stepNo;
        this.cartTotal = cartTotal;
        this.itemQuantity = itemQuantity;
        this.currencyCode = currencyCode;
    }

    public long getPlannedMessageId() { return plannedMessageId; }
    public long getOrderId() { return orderId; }
    /** Lower-cased. */
    public String getEmail() { return email; }
    public int getStepNo() { return stepNo; }
    public BigDecimal getCartTotal() { return cartTotal; }
    public int getItemQuantity() { return itemQuantity; }
    /** The cart's currency (its total is in it). */
    public String getCurrencyCode() { return currencyCode; }
}
