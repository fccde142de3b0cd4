package io.github.cartrecovery.capture;

import java.time.Instant;
import java.util.Date;

/**
 * What a shopper said about text messages for one cart, at one instant, with the number it is about: typed into the
 * capture endpoint's phone field next to its SMS consent box (or given by a store through {@link PhoneCapture}).
 * The latest statement for a cart wins. The phone is E.164 (already normalised) or null for a statement about the
 * number the cart already has (a withdrawal: {@link SmsConsent#DENIED}).
 */
public final class SmsConsentObservation implements ConsentStatement {

    private final long orderId;
    private final String phone;
    private final SmsConsent consent;
    private final Instant observedAt;

    public SmsConsentObservation(long orderId, String phone, SmsConsent consent, Instant observedAt) {
        this.orderId = orderId;
        this.phone = phone;
        this.consent = consent;
        this.observedAt = observedAt;
    }

    @Override
    public long getOrderId() { return orderId; }
    /** E.164, or null: the statement is about the number the cart already has. */
    public String getPhone() { return phone; }
    public SmsConsent getConsent() { return consent; }
    @Override
    public Instant getObservedAt() { return observedAt; }

    @Override
    public void applyTo(CapturedCart cart) {
        cart.recordSmsConsent(phone, consent, Date.from(observedAt));
    }
}
