package io.github.cartrecovery.capture;

/**
 * What the shopper said about text messages (CR_CAPTURED_CART.SMS_CONSENT), separate from {@link MarketingConsent}
 * (email). Only GRANTED allows an SMS, and only the shopper's own tick in an SMS consent box (or a store's explicit
 * call of {@link PhoneCapture}) grants it: a phone number from Broadleaf never does, and no setting waives it.
 */
public enum SmsConsent {
    GRANTED,
    DENIED,
    UNKNOWN
}
