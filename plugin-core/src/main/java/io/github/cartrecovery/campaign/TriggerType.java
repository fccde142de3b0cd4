package io.github.cartrecovery.campaign;

/**
 * The moment a campaign answers (CR_CAMPAIGN.TRIGGER_TYPE). Every trigger runs on the same engine: consent,
 * suppression, frequency caps, quiet hours, exit rules at send time, exactly-once delivery and attribution.
 */
public enum TriggerType {
    /** A cart left with items and an address (the default, and the only trigger before 1.2). */
    ABANDONED_CART,
    /** An item of an abandoned, not yet bought cart became cheaper than when the cart was captured. */
    PRICE_DROP,
    /** An item that was out of stock in an abandoned cart is available again. */
    BACK_IN_STOCK,
    /** A known shopper viewed products but added nothing and bought nothing. */
    BROWSE,
    /** A follow-up some time after an order, with recommendations. */
    POST_PURCHASE;

    /** The enum for a stored or typed name; an unknown name is a clear error, never a silent default. */
    public static TriggerType named(String name) {
        if (name == null || name.trim().isEmpty()) {
            return ABANDONED_CART;
        }
        try {
            return valueOf(name.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown trigger type '" + name + "'; expected one of ABANDONED_CART, "
                    + "PRICE_DROP, BACK_IN_STOCK, BROWSE, POST_PURCHASE");
        }
    }
}
