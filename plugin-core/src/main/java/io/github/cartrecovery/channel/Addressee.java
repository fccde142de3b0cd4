package io.github.cartrecovery.channel;

/** A planned message whose recipient a channel is asked for: its id, its cart, the shopper's email and locale. */
public final class Addressee {

    private final long plannedMessageId;
    private final long orderId;
    private final String email;
    private final String localeCode;

    public Addressee(long plannedMessageId, long orderId, String email, String localeCode) {
        this.plannedMessageId = plannedMessageId;
        this.orderId = orderId;
        this.email = email;
        this.localeCode = localeCode;
    }

    public long getPlannedMessageId() { return plannedMessageId; }
    /** The Broadleaf order (cart) id: CR_CAPTURED_CART.ORDER_ID. */
    public long getOrderId() { return orderId; }
    /** The shopper's email address as captured (never null: every planned message has one). */
    public String getEmail() { return email; }
    public String getLocaleCode() { return localeCode; }
}
