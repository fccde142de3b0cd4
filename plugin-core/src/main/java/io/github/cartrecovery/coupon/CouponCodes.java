package io.github.cartrecovery.coupon;

import java.security.SecureRandom;

/**
 * Makes coupon codes a shopper can type and nobody can guess: the prefix, then 12 characters drawn with
 * {@link SecureRandom} from 31 letters and digits that cannot be confused (no 0/O, 1/I/L), in groups of
 * four: {@code CR-7KQ4-M2XP-9HTR} (about 59 bits). Uniqueness is the database's job (UQ_CR_COUPON_CODE).
 * Thread-safe.
 */
public class CouponCodes {

    static final String ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    static final int LENGTH = 12;

    private final SecureRandom random = new SecureRandom();
    private final String prefix;

    public CouponCodes(String prefix) {
        String p = prefix == null ? "" : prefix.trim();
        if (!p.matches("[A-Z0-9]{0,10}")) {
            throw new IllegalArgumentException("cartrecovery.coupons.code-prefix must be 0-10 upper-case letters or digits, was '"
                    + prefix + "'");
        }
        this.prefix = p;
    }

    public String next() {
        StringBuilder code = new StringBuilder(prefix.length() + LENGTH + 3).append(prefix);
        for (int i = 0; i < LENGTH; i++) {
            if (i % 4 == 0 && (i > 0 || !prefix.isEmpty())) {
                code.append('-');
            }
            code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }
}
