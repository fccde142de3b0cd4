package io.github.cartrecovery.keys;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The plugin's HMAC key ring, from {@code cartrecovery.links.signing-keys}: it signs links ({@code links.LinkTokens})
 * and derives the key of erased addresses' hashes ({@code privacy.EmailHashes}). The setting is a comma-separated
 * list of {@code id:secret}, newest first. The first key signs every new link; every listed key verifies, so a
 * rotation is "put the new key first, remove the old one once its links have expired". There is no
 * default key: an empty setting stops the application at startup with a message saying how to set it.
 */
public final class SigningKeys {

    public static final String PROPERTY = "cartrecovery.links.signing-keys";
    static final int MIN_SECRET_LENGTH = 32;
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,16}");

    private final String signingKeyId;
    private final Map<String, byte[]> secrets;

    private SigningKeys(String signingKeyId, Map<String, byte[]> secrets) {
        this.signingKeyId = signingKeyId;
        this.secrets = Collections.unmodifiableMap(secrets);
    }

    /** Parses the property value; throws IllegalStateException naming the property and the rule broken. */
    public static SigningKeys parse(String value) {
        if (value == null || value.trim().isEmpty() || value.trim().startsWith("${")) {
            throw new IllegalStateException(PROPERTY + " is not set. Cart Recovery signs every link in its emails "
                    + "(restore, unsubscribe, tracking) and has no default key. Set " + PROPERTY + "=<id>:<secret> in "
                    + "the store's runtime properties, with a random secret of at least " + MIN_SECRET_LENGTH
                    + " characters (e.g. the output of `openssl rand -base64 48`); to rotate, put the new key first: "
                    + PROPERTY + "=2026b:<new secret>,2026a:<old secret>.");
        }
        Map<String, byte[]> secrets = new LinkedHashMap<String, byte[]>();
        List<String> ids = new ArrayList<String>();
        for (String entry : value.split(",")) {
            String trimmed = entry.trim();
            int colon = trimmed.indexOf(':');
            if (colon < 0) {
                throw new IllegalStateException(PROPERTY + ": entry " + (ids.size() + 1) + " must be <id>:<secret>");
            }
            String id = trimmed.substring(0, colon).trim();
            String secret = trimmed.substring(colon + 1).trim();
            if (!KEY_ID.matcher(id).matches()) {
                throw new IllegalStateException(PROPERTY + ": key id \"" + id + "\" must be 1 to 16 characters "
                        + "of A-Z, a-z, 0-9, '_' or '-'");
            }
            if (secrets.containsKey(id)) {
                throw new IllegalStateException(PROPERTY + ": key id \"" + id + "\" is listed twice");
            }
            if (secret.length() < MIN_SECRET_LENGTH) {
                throw new IllegalStateException(PROPERTY + ": the secret of key \"" + id + "\" must be at least "
                        + MIN_SECRET_LENGTH + " characters");
            }
            secrets.put(id, secret.getBytes(StandardCharsets.UTF_8));
            ids.add(id);
        }
        return new SigningKeys(ids.get(0), secrets);
    }

    /** The newest key's id: it signs new links. */
    public String signingKeyId() {
        return signingKeyId;
    }

    /** The secret of a listed key, or null when that id is not (or no longer) listed. */
    public byte[] secret(String keyId) {
        return secrets.get(keyId);
    }

    /**
     * One key per listed key, newest first, derived for another purpose (HMAC-SHA256 of {@code purpose} under
     * the secret), so other features can have keys without ever holding the link secrets themselves.
     */
    public Map<String, byte[]> derivedKeys(String purpose) {
        Map<String, byte[]> derived = new LinkedHashMap<String, byte[]>();
        for (Map.Entry<String, byte[]> key : secrets.entrySet()) {
            try {
                javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
                mac.init(new javax.crypto.spec.SecretKeySpec(key.getValue(), "HmacSHA256"));
                derived.put(key.getKey(), mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8)));
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available", e);
            }
        }
        return derived;
    }
}
