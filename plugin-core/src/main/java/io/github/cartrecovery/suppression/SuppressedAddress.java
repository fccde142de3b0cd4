package io.github.cartrecovery.suppression;

import java.util.Locale;

/**
 * The one form an address takes in CR_SUPPRESSION, and the form every lookup of it uses: trimmed and
 * lower-cased (whole address, {@link Locale#ROOT}, so the server's locale never changes it). Every writer
 * ({@link Suppressions}, the admin screen through {@code delivery.Suppression}'s callbacks) and every
 * reader (exit rules, the unsubscribe page) calls {@link #of}, so {@code Jane.Doe@Example.com} and
 * {@code jane.doe@example.com} are one suppression on every database, whatever its collation.
 * Lower-casing the local part is stricter than RFC 5321 allows a server to be, on purpose: a suppression
 * must never miss, and no real mailbox differs from another only by case.
 */
public final class SuppressedAddress {

    private SuppressedAddress() {
    }

    /** The suppression key of this address; null stays null. */
    public static String of(String email) {
        return email == null ? null : email.trim().toLowerCase(Locale.ROOT);
    }
}
