package io.github.cartrecovery.channel;

import java.time.Duration;

/**
 * What a channel learnt when it handed one message over. The engine records it: ACCEPTED becomes SENT; RETRY goes
 * back to PLANNED with back-off (at least {@link #getRetryAfter()} when given), FAILED after the last attempt;
 * REJECTED becomes FAILED (and, when {@link #isSuppressRecipient()}, later messages of the batch to that recipient
 * are skipped and the channel is expected to have recorded its own suppression); UNKNOWN becomes UNCONFIRMED and is
 * never retried (it may have been delivered). Immutable.
 */
public final class SendOutcome {

    public enum Kind { ACCEPTED, RETRY, REJECTED, UNKNOWN }

    private final Kind kind;
    private final String detail;
    private final String providerReference;
    private final Duration retryAfter;
    private final boolean suppressRecipient;

    private SendOutcome(Kind kind, String detail, String providerReference, Duration retryAfter, boolean suppressRecipient) {
        this.kind = kind;
        this.detail = detail;
        this.providerReference = providerReference;
        this.retryAfter = retryAfter;
        this.suppressRecipient = suppressRecipient;
    }

    /** Handed over; {@code providerReference}: the provider's id for it (a Twilio message SID), or null. */
    public static SendOutcome accepted(String providerReference) {
        return new SendOutcome(Kind.ACCEPTED, null, providerReference, null, false);
    }

    /** Definitely not delivered, worth trying again later; {@code retryAfter} may be null. */
    public static SendOutcome retry(String detail, Duration retryAfter) {
        return new SendOutcome(Kind.RETRY, detail, null, retryAfter, false);
    }

    /** Definitely not delivered and never will be; {@code suppressRecipient}: the address itself is bad. */
    public static SendOutcome rejected(String detail, boolean suppressRecipient) {
        return new SendOutcome(Kind.REJECTED, detail, null, null, suppressRecipient);
    }

    /** May or may not have been delivered (a timeout after the request was sent): never retried. */
    public static SendOutcome unknown(String detail) {
        return new SendOutcome(Kind.UNKNOWN, detail, null, null, false);
    }

    public Kind getKind() { return kind; }
    public String getDetail() { return detail; }
    public String getProviderReference() { return providerReference; }
    public Duration getRetryAfter() { return retryAfter; }
    public boolean isSuppressRecipient() { return suppressRecipient; }

    @Override
    public String toString() {
        return kind + (detail == null ? "" : ": " + detail);
    }
}
