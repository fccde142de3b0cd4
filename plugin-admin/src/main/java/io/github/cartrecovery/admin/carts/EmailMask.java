package io.github.cartrecovery.admin.carts;

/**
 * How the admin shows a shopper's address on the cart screens: the first character of the local part,
 * three stars, and the domain ({@code jane.doe@example.com} -> {@code j***@example.com}). Enough to tell
 * carts apart and to recognise a customer who calls in, not enough to copy addresses out of the admin.
 * The cart screens never show the full address, whatever the viewer's permissions (the Suppression screen,
 * which must match exact addresses, is the only one that does).
 */
public final class EmailMask {

    private EmailMask() {
    }

    /** The masked address; {@code null} for no address, {@code "***"} for something that is not an address. */
    public static String mask(String email) {
        if (email == null || email.trim().isEmpty()) {
            return null;
        }
        String address = email.trim();
        int at = address.lastIndexOf('@');
        if (at < 1 || at == address.length() - 1) {
            return "***";
        }
        return address.substring(0, 1) + "***" + address.substring(at);
    }
}
