package io.github.cartrecovery.delivery;

/**
 * The links a recovery email carries, each bound to one planned message. Bean id {@code crRecoveryLinks};
 * the plugin's implementation is {@link io.github.cartrecovery.links.SignedRecoveryLinks} (signed,
 * expiring tokens); a store may replace it by id.
 */
public interface RecoveryLinks {

    /** Brings the shopper back to the cart. */
    String restoreUrl(long plannedMessageId, long orderId);

    /** HTTPS one-click unsubscribe (RFC 8058 target of List-Unsubscribe-Post); GET shows a page. */
    String unsubscribeUrl(long plannedMessageId);

    /** mailto: unsubscribe for List-Unsubscribe. */
    String unsubscribeMailto(long plannedMessageId);

    /** A 1x1 image that records the message as opened; null when the open pixel is switched off. */
    String openPixelUrl(long plannedMessageId);

    /**
     * A link that records a click and redirects to {@code target}: a path on the store ("/mugs/enamel") or
     * an absolute URL on one of the store's hosts. Null when target is null or empty.
     */
    String clickUrl(long plannedMessageId, String target);
}
