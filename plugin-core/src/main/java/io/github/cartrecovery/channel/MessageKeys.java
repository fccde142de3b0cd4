package io.github.cartrecovery.channel;

import java.security.SecureRandom;

/** The default message key: {@code cr.<planned message id>.<32 random hex digits>}. */
public final class MessageKeys {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private MessageKeys() {
    }

    public static String random(long plannedMessageId) {
        return "cr." + plannedMessageId + "." + randomHex();
    }

    /** 128 bits from a SecureRandom, as 32 lower-case hex digits. */
    public static String randomHex() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        StringBuilder hex = new StringBuilder(32);
        for (byte b : bytes) {
            hex.append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
        }
        return hex.toString();
    }
}
