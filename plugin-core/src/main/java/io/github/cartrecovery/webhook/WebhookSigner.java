package io.github.cartrecovery.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook bodies the way docs/webhooks.md tells receivers to check them:
 * {@code X-CartRecovery-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>}, the secret's
 * UTF-8 bytes as the key and the body's exact bytes. The secrets come from {@code cartrecovery.webhook.secret}: one,
 * or two comma-separated while rotating; every secret signs (one {@code v1} each, in the order configured), so a
 * receiver that knows either verifies. Also verifies, for receivers written in Java (the demo's receiver is one).
 * Thread-safe and immutable.
 */
public final class WebhookSigner {

    public static final String HEADER = "X-CartRecovery-Signature";
    /** The tolerance docs/webhooks.md recommends for the timestamp: a replayed request older than this fails. */
    public static final long DEFAULT_TOLERANCE_SECONDS = 300;
    /** Shortest secret accepted: 32 characters, e.g. {@code openssl rand -hex 32} gives 64. */
    public static final int MIN_SECRET_LENGTH = 32;

    private static final String ALGORITHM = "HmacSHA256";
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final List<String> secrets;

    /**
     * @param secrets the value of {@code cartrecovery.webhook.secret}: empty (no signing possible), one secret, or two
     *        comma-separated
     * @throws IllegalStateException a secret is too short, or more than two are given
     */
    public WebhookSigner(String secrets) {
        List<String> parsed = new ArrayList<String>();
        if (secrets != null) {
            for (String secret : secrets.split(",")) {
                if (!secret.trim().isEmpty()) {
                    parsed.add(secret.trim());
                }
            }
        }
        if (parsed.size() > 2) {
            throw new IllegalStateException("cartrecovery.webhook.secret holds " + parsed.size() + " secrets; give one, "
                    + "or two comma-separated while rotating (new first)");
        }
        for (int i = 0; i < parsed.size(); i++) {
            if (parsed.get(i).length() < MIN_SECRET_LENGTH) {
                throw new IllegalStateException("cartrecovery.webhook.secret: secret " + (i + 1) + " has "
                        + parsed.get(i).length() + " characters; use at least " + MIN_SECRET_LENGTH
                        + " random ones (e.g. `openssl rand -hex 32`)");
            }
        }
        this.secrets = Collections.unmodifiableList(parsed);
    }

    /** False when {@code cartrecovery.webhook.secret} is empty. */
    public boolean hasSecrets() {
        return !secrets.isEmpty();
    }

    /** The value of the signature header for this body sent at {@code unixSeconds}. */
    public String header(long unixSeconds, byte[] body) {
        if (secrets.isEmpty()) {
            throw new IllegalStateException("cartrecovery.webhook.secret is not set: webhooks cannot be signed");
        }
        StringBuilder header = new StringBuilder("t=").append(unixSeconds);
        for (String secret : secrets) {
            header.append(",v1=").append(hex(hmac(secret, unixSeconds, body)));
        }
        return header.toString();
    }

    /**
     * Whether {@code header} carries a {@code v1} signature of {@code body} by one of this signer's secrets, with a
     * timestamp at most {@code toleranceSeconds} away from {@code nowUnixSeconds}. Constant-time comparison.
     */
    public boolean verify(String header, byte[] body, long nowUnixSeconds, long toleranceSeconds) {
        if (header == null || body == null || secrets.isEmpty()) {
            return false;
        }
        Long timestamp = null;
        List<String> signatures = new ArrayList<String>();
        for (String part : header.split(",")) {
            int equals = part.indexOf('=');
            if (equals < 0) {
                continue;
            }
            String key = part.substring(0, equals).trim();
            String value = part.substring(equals + 1).trim();
            if ("t".equals(key)) {
                try {
                    timestamp = Long.valueOf(value);
                } catch (NumberFormatException e) {
                    return false;
                }
            } else if ("v1".equals(key)) {
                signatures.add(value);
            }
        }
        if (timestamp == null || Math.abs(nowUnixSeconds - timestamp) > toleranceSeconds) {
            return false;
        }
        boolean valid = false;
        for (String secret : secrets) {
            byte[] expected = hex(hmac(secret, timestamp, body)).getBytes(StandardCharsets.US_ASCII);
            for (String signature : signatures) {
                valid |= MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
            }
        }
        return valid;
    }

    /** HMAC-SHA256 of {@code <unixSeconds>.<body>} keyed with the secret's UTF-8 bytes. */
    static byte[] hmac(String secret, long unixSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
            mac.update((unixSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xF];
            out[2 * i + 1] = HEX[bytes[i] & 0xF];
        }
        return new String(out);
    }
}
