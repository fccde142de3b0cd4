package io.github.cartrecovery.capture;

/**
 * One value of an observed cart the plugin did not store, and why: the cart is still captured without it
 * (e.g. an address Broadleaf accepted but no mail server would: the cart is kept, it just gets no email).
 * The value itself is kept only masked.
 */
public final class FieldRejection {

    private final String field;
    private final String reason;
    private final String maskedValue;

    public FieldRejection(String field, String reason, String maskedValue) {
        this.field = field;
        this.reason = reason;
        this.maskedValue = maskedValue;
    }

    public String getField() { return field; }
    public String getReason() { return reason; }
    public String getMaskedValue() { return maskedValue; }

    @Override
    public String toString() {
        return field + ": " + reason;
    }
}
