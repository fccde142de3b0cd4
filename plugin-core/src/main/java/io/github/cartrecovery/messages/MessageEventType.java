package io.github.cartrecovery.messages;

/** CR_MESSAGE_EVENT.EVENT_TYPE (at most 24 characters). */
public enum MessageEventType {
    PLANNED,
    SKIPPED,
    RETRY_SCHEDULED,
    SENT,
    FAILED,
    UNCONFIRMED,
    /** The provider confirmed delivery (SMS status callback). */
    DELIVERED,
    /** The provider accepted the message and later could not deliver it. */
    UNDELIVERED,
    OPENED,
    CLICKED,
    /** A link scanner (mail security gateway) fetched a link: neither an open nor a click. */
    SCANNED,
    UNSUBSCRIBED,
    BOUNCED,
    /** A unique coupon was issued for the message. */
    COUPON_ISSUED,
    /** Attribution: the message earned the order (last click within the window). */
    RECOVERED,
    /** Attribution: the message was sent before the order but did not earn it. */
    INFLUENCED,
    /** Attribution: a browse email clicked before the order earned it (not cart recovery). */
    BROWSE_CONVERTED,
    /** Attribution: a browse email showing a product of the order was sent before it, not clicked. */
    BROWSE_INFLUENCED,
    /** Attribution: a post-purchase follow-up clicked before a later order earned it (not cart recovery). */
    REPEAT_CONVERTED,
    /** Attribution: a post-purchase follow-up was sent before a later order, not clicked. */
    REPEAT_INFLUENCED
}
