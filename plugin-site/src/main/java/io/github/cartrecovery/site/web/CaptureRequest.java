package io.github.cartrecovery.site.web;

/** What a shopper's browser sent to the capture endpoint, before validation of the address. */
public final class CaptureRequest {

    private final String email;
    private final Boolean consent;

    public CaptureRequest(String email, Boolean consent) {
        this.email = email;
        this.consent = consent;
    }

    public String email() { return email; }

    /** TRUE: consent given; FALSE: explicitly refused; null: not said. */
    public Boolean consent() { return consent; }
}
