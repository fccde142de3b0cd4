package io.github.cartrecovery.suppression;

/**
 * Why an address is suppressed (CR_SUPPRESSION.REASON). The plugin writes UNSUBSCRIBED and BOUNCED; staff adding an
 * address on the admin's Suppressed Address screen type the reason, MANUAL by convention, so a reader of the column
 * must accept other values too.
 */
public enum SuppressionReason {
    /** The shopper unsubscribed (one-click or the page): the only reason the shopper can take back. */
    UNSUBSCRIBED,
    /** The mail server refused the address for good (a permanent SMTP failure). */
    BOUNCED,
    /** Added by staff in the admin. */
    MANUAL
}
