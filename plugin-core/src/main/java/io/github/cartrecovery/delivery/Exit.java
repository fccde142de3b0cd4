package io.github.cartrecovery.delivery;

/**
 * Why one planned message must not be sent: the rule ({@link ExitReason}, CR_PLANNED_MESSAGE.OUTCOME) and, for the
 * rules that have one, which of their kind stopped it ("MIN_CART_TOTAL 50 EUR: cart total 42.5 EUR", "SMS: 2 messages
 * in 24 h"), for the SKIPPED event's detail. Details name no personal data. Immutable.
 */
public final class Exit {

    private final ExitReason reason;
    private final String detail;

    private Exit(ExitReason reason, String detail) {
        this.reason = reason;
        this.detail = detail;
    }

    public static Exit of(ExitReason reason) {
        return new Exit(reason, null);
    }

    public static Exit of(ExitReason reason, String detail) {
        return new Exit(reason, detail);
    }

    public ExitReason getReason() { return reason; }

    /** Which condition or cap stopped the message, or null when the reason says it all. */
    public String getDetail() { return detail; }

    /** What the SKIPPED event records: "CONDITION_NOT_MET: CHANNEL_CONSENT SMS: no SMS consent", or the reason alone. */
    public String eventDetail() {
        return detail == null ? reason.name() : reason.name() + ": " + detail;
    }

    @Override
    public String toString() {
        return eventDetail();
    }
}
