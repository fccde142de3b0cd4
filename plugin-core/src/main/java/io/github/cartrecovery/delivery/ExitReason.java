package io.github.cartrecovery.delivery;

/** Why a planned message was not sent (CR_PLANNED_MESSAGE.OUTCOME of SKIPPED rows). */
public enum ExitReason {
    CAMPAIGN_DISABLED,
    /** The captured cart is no longer IN_RECOVERY (purchased, emptied, deleted, excluded...). */
    CART_LEFT_RECOVERY,
    /** MARKETING_CONSENT DENIED, on a channel the email suppression list applies to (SMS has its own consent). */
    CONSENT_WITHDRAWN,
    /** BLC_ORDER row gone: Broadleaf deleted or purged the cart. */
    CART_DELETED,
    /** BLC_ORDER.ORDER_STATUS = 'SUBMITTED'. */
    CART_SUBMITTED,
    /** A cart this cart's restore link was copied into was bought (CR_RESTORED_CART). */
    RESTORED_COPY_BOUGHT,
    /** BLC_ORDER in another non-cart status (cancelled, named...). */
    CART_CLOSED,
    /** No BLC_ORDER_ITEM rows left. */
    CART_EMPTIED,
    /** The same address submitted an order since the cart was abandoned. */
    ORDERED_SINCE,
    /**
     * A condition of the message's step does not hold at send time (CR_CAMPAIGN_STEP_CONDITION); the sequence goes on
     * with the next step. The detail names the condition ({@link Exit#getDetail()}).
     */
    CONDITION_NOT_MET,
    /** In CR_SUPPRESSION, on a channel the email suppression list applies to (cartrecovery.suppression.email-applies-to). */
    SUPPRESSED,
    /** The shopper's cap on this message's channel (cartrecovery.delivery.frequency-cap.&lt;channel&gt;.*) is reached. */
    CHANNEL_FREQUENCY_CAP,
    /** The shopper's cap on messages of all channels together (cartrecovery.delivery.frequency-cap.*) is reached. */
    FREQUENCY_CAP,
    /** Nothing in the cart is still sold or in stock. */
    NO_ITEMS_AVAILABLE,
    /** A price-drop or back-in-stock alert whose item is not sold or out of stock again at send time. */
    ITEM_UNAVAILABLE,
    /** A price-drop alert whose item no longer costs less than when the cart was captured. */
    PRICE_NO_LONGER_LOWER,
    /** A browse message: a product of its session is in the shopper's cart now (cart recovery's) or was bought. */
    PRODUCT_ADDED_TO_CART,
    /** A browse message whose CR_BROWSE_SESSION is no longer PLANNED (erased with the shopper's data). */
    BROWSE_SESSION_GONE
}
