package io.github.cartrecovery.delivery;

/**
 * The links a recovery email carries. The seam for issue 5: signed restore and unsubscribe tokens
 * replace {@link BaseUrlRecoveryLinks} (plain ids) by a signing implementation with the same bean id.
 */
public interface RecoveryLinks {

    /** Brings the shopper back to the cart. */
    String restoreUrl(long plannedMessageId, long orderId);

    /** HTTPS one-click unsubscribe (RFC 8058 target of List-Unsubscribe-Post). */
    String unsubscribeUrl(long plannedMessageId);

    /** mailto: unsubscribe for List-Unsubscribe. */
    String unsubscribeMailto(long plannedMessageId);
}
