package io.github.cartrecovery.site.web;

/** What a shopper's browser sent to the capture endpoint, before validation of the address. */
final class CaptureRequest {

    private final String email;
    private final Boolean consent;

    CaptureRequest(String email, Boolean consent) {
        this.email = email;
        this.consent = consent;
    }

    String email() { return email; }

    /** TRUE: consent given; FALSE: explicitly refused; null: not said. */
    Boolean consent() { return consent; }
}
