package io.github.cartrecovery.phone;

/**
 * A phone number the plugin will not store, with the rule it broke (for a 400 response naming both). The message
 * never quotes the number.
 */
public class InvalidPhoneNumberException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The rules of {@link PhoneNumbers}, each with the message a shopper's client receives. */
    public enum Rule {
        REQUIRED("required", "phone is required"),
        REQUIRED_FOR_CONSENT("required", "phone is required when smsConsent is true"),
        MAX_LENGTH("max_length", "phone must be at most " + PhoneNumbers.MAX_LENGTH + " characters"),
        CHARACTERS("characters", "phone may contain only digits, spaces and + - . ( ) /, with + only at the start"),
        COUNTRY_CODE("country_code", "phone must start with + and a valid country code, like +1 201 555 0123"),
        TOO_SHORT("too_short", "phone has too few digits for a number of its country"),
        TOO_LONG("too_long", "phone has too many digits for a number of its country"),
        INVALID("invalid", "phone is not a number in use in its country (check the digits and the country code)"),
        NOT_MOBILE("mobile", "phone must be a mobile number that can receive text messages");

        private final String code;
        private final String message;

        Rule(String code, String message) {
            this.code = code;
            this.message = message;
        }

        /** The {@code rule} of the endpoint's error body. */
        public String code() { return code; }
        public String message() { return message; }
    }

    private final Rule rule;

    public InvalidPhoneNumberException(Rule rule) {
        super(rule.message());
        this.rule = rule;
    }

    public Rule getRule() {
        return rule;
    }
}
