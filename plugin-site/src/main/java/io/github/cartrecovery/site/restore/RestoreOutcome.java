package io.github.cartrecovery.site.restore;

/** What the restore landing did with a verified link. */
public enum RestoreOutcome {
    /** The shopper's own anonymous cart is this session's cart again (nothing copied). */
    REATTACHED,
    /** The cart was already this session's cart. */
    ALREADY_CURRENT,
    /** Its items were merged into the session's (or the logged-in shopper's) cart, no line duplicated. */
    MERGED,
    /** Broadleaf no longer had the cart: rebuilt from the captured snapshot, items still sold, today's prices. */
    REBUILT,
    /** The cart was bought: nothing to restore. */
    PURCHASED,
    /** No item of the cart is sold any more (or nothing was captured). */
    NOTHING_TO_RESTORE;

    /** True when the shopper should be sent to the cart page. */
    public boolean showsCart() {
        return this == REATTACHED || this == ALREADY_CURRENT || this == MERGED || this == REBUILT;
    }
}
