package io.github.cartrecovery.privacy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.github.cartrecovery.keys.SigningKeys;

/**
 * Keyed hashes (HMAC-SHA256, hex) of normalised addresses, for what must outlive an erasure (the suppression of an
 * erased address) without keeping the address. Without the key a hash cannot be tested against guessed addresses.
 * The key is {@code cartrecovery.privacy.hash-key} when set, else one derived from each link signing key. New
 * hashes are made with the first key; every key is tried when matching, so rotating the signing keys keeps older
 * hashes matching as long as their key is still listed (set {@code hash-key} once to stop depending on them).
 */
public final class EmailHashes {

    public static final String PROPERTY = "cartrecovery.privacy.hash-key";
    static final String CONFIGURED_KEY_ID = "privacy";
    static final String DERIVED_PURPOSE = "cartrecovery-erased-suppression";
    static final int MIN_KEY_LENGTH = 32;

    private final Map<String, byte[]> keys;

    EmailHashes(Map<String, byte[]> keys) {
        if (keys.isEmpty()) {
            throw new IllegalStateException(PROPERTY + ": no key to hash addresses with");
        }
        this.keys = Collections.unmodifiableMap(new LinkedHashMap<String, byte[]>(keys));
    }

    /** The configured key (if set) first, then one derived from each signing key (ids "links-&lt;id&gt;"). */
    public static EmailHashes of(String configuredKey, SigningKeys signingKeys) {
        Map<String, byte[]> keys = new LinkedHashMap<String, byte[]>();
        String key = configuredKey == null ? "" : configuredKey.trim();
        if (!key.isEmpty() && !key.startsWith("${")) {
            if (key.length() < MIN_KEY_LENGTH) {
                throw new IllegalStateException(PROPERTY + ": must be at least " + MIN_KEY_LENGTH
                        + " characters (e.g. the output of `openssl rand -base64 48`), or empty to derive it from "
                        + SigningKeys.PROPERTY);
            }
            keys.put(CONFIGURED_KEY_ID, key.getBytes(StandardCharsets.UTF_8));
        }
        for (Map.Entry<String, byte[]> derived : signingKeys.derivedKeys(DERIVED_PURPOSE).entrySet()) {
            keys.put("links-" + derived.getKey(), derived.getValue());
        }
        return new EmailHashes(keys);
    }

    /** The id of the key new hashes are made with. */
    public String currentKeyId() {
        return keys.keySet().iterator().next();
    }

    /** The hash of a normalised address under the current key. */
    public String current(String normalisedEmail) {
        return hash(keys.get(currentKeyId()), normalisedEmail);
    }

    /** The hashes of a normalised address under every key, current first. */
    public List<String> all(String normalisedEmail) {
        List<String> hashes = new ArrayList<String>(keys.size());
        for (byte[] key : keys.values()) {
            hashes.add(hash(key, normalisedEmail));
        }
        return hashes;
    }

    private static String hash(byte[] key, String normalisedEmail) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal(normalisedEmail.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder(digest.length * 2);
            for (byte b : digest) {
                hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
            }
            return hex.toString();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
