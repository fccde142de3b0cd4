package io.github.cartrecovery.site.web;

/**
 * What a shopper's browser sent to the capture endpoint, before validation: an email part (address and marketing
 * consent) and a phone part (number and SMS consent), each optional, each validated and taken on its own.
 */
public final class CaptureRequest {

    private final String email;
    private final Boolean consent;
    private final String phone;
    private final Boolean smsConsent;

    public CaptureRequest(String email, Boolean consent) {
        this(email, consent, null, null);
    }

    public CaptureRequest(String email, Boolean consent, String phone, Boolean smsConsent) {
        this.email = email;
        this.consent = consent;
        this.phone = phone;
        this.smsConsent = smsConsent;
    }

    public String email() { return email; }

    /** TRUE: consent given; FALSE: explicitly refused; null: not said. */
    public Boolean consent() { return consent; }

    /** The phone number as typed, or null. */
    public String phone() { return phone; }

    /** Consent to texts, separate from {@link #consent()}: TRUE given, FALSE refused or withdrawn, null not said. */
    public Boolean smsConsent() { return smsConsent; }

    /** True when the request says anything about email (an address or a marketing consent). */
    public boolean hasEmailPart() {
        return (email != null && !email.trim().isEmpty()) || consent != null;
    }

    /** True when the request says anything about texts (a number or an SMS consent). */
    public boolean hasPhonePart() {
        return (phone != null && !phone.trim().isEmpty()) || smsConsent != null;
    }
}
