package io.github.cartrecovery.capture;

import java.net.IDN;
import java.util.Locale;

/**
 * Decides whether a shopper-typed email address may be stored on a cart and used as a recipient, and
 * returns it in the one form the plugin stores: trimmed, domain in lower case, local part untouched.
 * The syntax is RFC 5321's mailbox without the rarely used forms: a dot-atom local part (up to 64
 * characters; letters of any script allowed, RFC 6531) and a domain name of at least two labels whose
 * top-level label is alphabetic (no local names, no IP literals). A mail header also needs a length
 * limit (254, RFC 5321's path limit) and no characters that could end a header or smuggle a second
 * address (CR, LF, NUL and other control characters, spaces, quotes, commas, angle brackets...).
 * The check is the plugin's own, so it runs on whatever commons-validator the host has (Broadleaf 3.1
 * brings 1.3.1, which has no {@code routines.EmailValidator}). Stateless and thread-safe.
 */
public class EmailAddressValidator {

    public static final int MAX_LENGTH = 254;

    /** Characters that have a meaning in a mail header; a plain address needs none of them. */
    private static final String HEADER_SPECIALS = "\"(),:;<>[\\]";

    private static final int MAX_LOCAL_PART = 64;
    private static final int MAX_DOMAIN = 253;
    private static final int MAX_LABEL = 63;

    /** RFC 5322 atext besides letters and digits. */
    private static final String ATEXT_SYMBOLS = "!#$%&'*+-/=?^_`{|}~";

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
        if (!isMailbox(address)) {
            throw new InvalidEmailAddressException(InvalidEmailAddressException.Rule.SYNTAX);
        }
        int at = address.lastIndexOf('@');
        return address.substring(0, at + 1) + address.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    private static boolean isMailbox(String address) {
        int at = address.indexOf('@');
        if (at <= 0 || at != address.lastIndexOf('@') || at == address.length() - 1) {
            return false;
        }
        return isDotAtom(address.substring(0, at)) && isDomainName(address.substring(at + 1));
    }

    private static boolean isDotAtom(String local) {
        if (local.length() > MAX_LOCAL_PART || local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            return false;
        }
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            boolean atext = c > 127 || Character.isLetterOrDigit(c) || ATEXT_SYMBOLS.indexOf(c) >= 0;
            if (!atext && c != '.') {
                return false;
            }
        }
        return true;
    }

    private static boolean isDomainName(String domain) {
        String ascii;
        try {
            ascii = IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES);
        } catch (IllegalArgumentException notAName) {
            return false;
        }
        if (ascii.isEmpty() || ascii.length() > MAX_DOMAIN || ascii.endsWith(".")) {
            return false;
        }
        String[] labels = ascii.split("\\.", -1);
        if (labels.length < 2) {
            return false;
        }
        for (String label : labels) {
            if (label.isEmpty() || label.length() > MAX_LABEL || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-')) {
                    return false;
                }
            }
        }
        String topLevel = labels[labels.length - 1];
        return topLevel.length() >= 2 && (topLevel.regionMatches(true, 0, "xn--", 0, 4) || isAlphabetic(topLevel));
    }

    private static boolean isAlphabetic(String label) {
        for (int i = 0; i < label.length(); i++) {
            if (!Character.isLetter(label.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isControl(char c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
    }
}
