package io.github.cartrecovery.capture;

/** An email address the plugin will not store, with the rule it broke (for a 400 response naming both). */
public class InvalidEmailAddressException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The rules of {@link EmailAddressValidator}, each with the message a shopper's client receives. */
    public enum Rule {
        REQUIRED("required", "email is required"),
        MAX_LENGTH("max_length", "email must be at most " + EmailAddressValidator.MAX_LENGTH + " characters"),
        NO_CONTROL_CHARACTERS("no_control_characters",
                "email must not contain control characters (CR, LF, NUL, tab...)"),
        NO_HEADER_SPECIALS("no_header_specials",
                "email must not contain spaces or any of \" ( ) , : ; < > [ \\ ]"),
        SYNTAX("syntax", "email must be an address like name@example.com");

        private final String code;
        private final String message;

        Rule(String code, String message) {
            this.code = code;
            this.message = message;
        }

        public String code() { return code; }
        public String message() { return message; }
    }

    private final Rule rule;

    public InvalidEmailAddressException(Rule rule) {
        super(rule.message());
        this.rule = rule;
    }

    public Rule getRule() {
        return rule;
    }
}
