package io.github.cartrecovery.site.restore;

/** What the restore landing did with a verified link. */
public enum RestoreOutcome {
    /** The cart's lines were copied into the visitor's own cart (created when there was none), no line duplicated. */
    COPIED,
    /** The cart was already this session's cart (its owner, on the device they left it on). */
    ALREADY_CURRENT,
    /** Broadleaf no longer had the cart: rebuilt into the visitor's cart from the captured snapshot, items still sold, today's prices. */
    REBUILT,
    /** The cart was bought: nothing to restore. */
    PURCHASED,
    /** No item of the cart is sold any more (or nothing was captured). */
    NOTHING_TO_RESTORE;

    /** True when the shopper should be sent to the cart page. */
    public boolean showsCart() {
        return this == COPIED || this == ALREADY_CURRENT || this == REBUILT;
    }
}
