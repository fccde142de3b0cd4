package io.github.cartrecovery.capture;

/**
 * How a refused address is kept in CR_CAPTURE_REJECTION and in logs: its first character, three stars, at most
 * the first 40 characters of what follows the last {@code @}, and its length ({@code j***@example.com (20 chars)}).
 * Enough for an operator to find the cart and see what was wrong with it (usually the length); not the address.
 */
public final class MaskedEmail {

    static final int MAX_DOMAIN = 40;

    private MaskedEmail() {
    }

    public static String of(String raw) {
        if (raw == null) {
            return null;
        }
        String length = " (" + raw.length() + " chars)";
        String address = CaptureInputRules.text(raw.trim(), Integer.MAX_VALUE);
        int at = address.lastIndexOf('@');
        if (address.isEmpty()) {
            return "***" + length;
        }
        String first = address.substring(0, Character.charCount(address.codePointAt(0)));
        if (at < 1) {
            return first + "***" + length;
        }
        String domain = CaptureInputRules.text(address.substring(at), MAX_DOMAIN + 1);
        return first + "***" + domain + (address.length() - at > MAX_DOMAIN + 1 ? "..." : "") + length;
    }
}
