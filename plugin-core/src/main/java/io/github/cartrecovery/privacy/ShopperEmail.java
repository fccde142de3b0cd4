package io.github.cartrecovery.privacy;

import java.util.Locale;

/**
 * The one form of an address that privacy requests match on: trimmed and lower-cased, so a request for
 * {@code Jane.Doe@Example.com} finds rows written as {@code jane.doe@example.com} and every other casing.
 */
public final class ShopperEmail {

    /** The longest address any CR_ table holds (RFC 5321 path limit). Longer input cannot match anything. */
    static final int MAX_LENGTH = 320;

    private ShopperEmail() {
    }

    /** The normalised address; throws IllegalArgumentException naming the field and the rule broken. */
    public static String normalise(String raw) {
        String email = raw == null ? "" : raw.trim().toLowerCase(Locale.ROOT);
        if (email.isEmpty()) {
            throw new IllegalArgumentException("email: required (the address whose data to export or erase)");
        }
        if (email.indexOf('@') < 1 || email.indexOf('@') == email.length() - 1) {
            throw new IllegalArgumentException("email: must be an address of the form name@domain");
        }
        if (email.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("email: must be at most " + MAX_LENGTH + " characters");
        }
        return email;
    }
}
