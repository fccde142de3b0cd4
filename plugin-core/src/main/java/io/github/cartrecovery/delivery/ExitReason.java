package io.github.cartrecovery.delivery;

/** Why a planned message was not sent (CR_PLANNED_MESSAGE.OUTCOME of SKIPPED rows). */
public enum ExitReason {
    CAMPAIGN_DISABLED,
    /** The captured cart is no longer IN_RECOVERY (purchased, emptied, deleted, excluded...). */
    CART_LEFT_RECOVERY,
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
    SUPPRESSED,
    FREQUENCY_CAP,
    /** Nothing in the cart is still sold or in stock. */
    NO_ITEMS_AVAILABLE
}
