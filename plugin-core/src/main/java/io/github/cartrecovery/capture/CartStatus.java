package io.github.cartrecovery.capture;

/**
 * Where a captured cart is in its life. ACTIVE carts become ABANDONED (or IDLE, or EXCLUDED) when idle,
 * then IN_RECOVERY while messages go out (or HELD_OUT, in an experiment's holdout: no message at all), and end RECOVERED, PURCHASED or DELETED. Activity brings
 * IDLE, EMPTIED and ABANDONED carts back to ACTIVE.
 */
public enum CartStatus {
    /** Has been seen; the shopper may still be shopping. */
    ACTIVE,
    /** Idle past the configured time but not recoverable (no items or no usable email); ACTIVE again on activity. */
    IDLE,
    /** Idle past the configured time with items and a usable email; waiting for a campaign. */
    ABANDONED,
    /** Recovery messages are planned or being sent. */
    IN_RECOVERY,
    /**
     * In an experiment's holdout: taken by a campaign like an IN_RECOVERY cart, but no message is planned on any
     * channel; bought, deleted and attributed like every other cart, so its arm measures recovery without messages.
     */
    HELD_OUT,
    /** Bought after a recovery message was clicked. */
    RECOVERED,
    /** Submitted (checked out) without recovery. */
    PURCHASED,
    /** All items removed. */
    EMPTIED,
    /** Broadleaf deleted the cart (cancel, merge at login, purge). */
    DELETED,
    /** Never emailed: matched an exclusion rule. */
    EXCLUDED;

    /** True for the states that end a cart's life: nothing is ever sent from them. */
    public boolean isFinal() {
        return this == RECOVERED || this == PURCHASED || this == DELETED || this == EXCLUDED;
    }
}
