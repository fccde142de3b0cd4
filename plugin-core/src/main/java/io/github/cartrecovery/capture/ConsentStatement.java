package io.github.cartrecovery.capture;

import java.time.Instant;

/**
 * Something a shopper said about being contacted about one cart, buffered by {@link CaptureBuffer} and written by
 * {@link CapturedCartStore} after the cart's observations: {@link ConsentObservation} (marketing email) or
 * {@link SmsConsentObservation} (texts, with the number). Statements of one kind for one cart coalesce: the latest
 * wins; the two kinds never touch each other.
 */
public interface ConsentStatement {

    long getOrderId();

    Instant getObservedAt();

    /** Applies the statement to the cart's record (within the store's transaction). */
    void applyTo(CapturedCart cart);
}
