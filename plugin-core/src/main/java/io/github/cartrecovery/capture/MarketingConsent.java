package io.github.cartrecovery.capture;

/** What the shopper said about marketing email. UNKNOWN is the default where the store does not ask. */
public enum MarketingConsent {
    GRANTED,
    DENIED,
    UNKNOWN
}
