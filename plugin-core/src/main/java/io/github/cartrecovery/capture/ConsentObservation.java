package io.github.cartrecovery.capture;

import java.time.Instant;

/** What a shopper said about marketing email for one cart, at one instant. The latest one wins. */
public final class ConsentObservation implements ConsentStatement {

    private final long orderId;
    private final MarketingConsent consent;
    private final Instant observedAt;

    public ConsentObservation(long orderId, MarketingConsent consent, Instant observedAt) {
        this.orderId = orderId;
        this.consent = consent;
        this.observedAt = observedAt;
    }

    @Override
    public long getOrderId() { return orderId; }
    public MarketingConsent getConsent() { return consent; }
    @Override
    public Instant getObservedAt() { return observedAt; }

    @Override
    public void applyTo(CapturedCart cart) {
        cart.recordConsent(consent);
    }
}
