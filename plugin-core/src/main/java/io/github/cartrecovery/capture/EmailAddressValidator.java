package io.github.cartrecovery.capture;

import java.util.Locale;

/**
 * Decides whether a shopper-typed email address may be stored on a cart and used as a recipient, and
 * returns it in the one form the plugin stores: trimmed, domain in lower case, local part untouched.
 * Syntax is checked by commons-validator's {@code EmailValidator} (no local or IP-literal domains);
 * this class adds what a mail header needs: a length limit (254, RFC 5321's path limit) and no
 * characters that could end a header or smuggle a second address (CR, LF, NUL and other control
 * characters, spaces, quotes, commas, angle brackets...). Stateless and thread-safe.
 */
public class EmailAddressValidator {

    public static final int MAX_LENGTH = 254;

    /** Characters that have a meaning in a mail header; a plain address needs none of them. */
    private static final String HEADER_SPECIALS = "\"(),:;<>[\\]";

    private final org.apache.commons.validator.routines.EmailValidator syntax =
            org.apache.commons.validator.routines.EmailValidator.getInstance(false, false);

    /**
     * @return the address as it is to be stored
     * @throws InvalidEmailAddressException naming the rule the address broke
     */
    public String normalise(String raw) {
        if (raw == null || raw.trim().isEmpty()) {
            throw new InvalidEmailAddressException(InvalidEmailAddressException.Rule.REQUIRED);
        }
        // Control characters are checked before trimming: a trailing CR/LF is an injection attempt, not padding.
        for (int i = 0; i < raw.length(); i++) {
            if (isControl(raw.charAt(i))) {
                throw new InvalidEmailAddressException(InvalidEmailAddressException.Rule.NO_CONTROL_CHARACTERS);
            }
        }
        String address = raw.trim();
        if (address.length() > MAX_LENGTH) {
            throw new InvalidEmailAddressException(InvalidEmailAddressException.Rule.MAX_LENGTH);
        }
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c) || HEADER_SPECIALS.indexOf(c) >= 0) {
                throw new InvalidEmailAddressException(InvalidEmailAddressException.Rule.NO_HEADER_SPECIALS);
            }
            // half of a surrogate pair is no character at all (commons-validator lets it through)
            if (Character.isHighSurrogate(c) && (i + 1 == address.length() || !Character.isLowSurrogate(address.charAt(i + 1)))
                    || Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(address.charAt(i - 1)))) {
                throw new InvalidEmailAddressException(InvalidEmailAddressException.Rule.SYNTAX);
            }
        }
        if (!syntax.isValid(address)) {
            throw new InvalidEmailAddressException(InvalidEmailAddressException.Rule.SYNTAX);
        }
        int at = address.lastIndexOf('@');
        return address.substring(0, at + 1) + address.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    private static boolean isControl(char c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
    }
}
