package io.github.cartrecovery.links;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.github.cartrecovery.keys.SigningKeys;

/**
 * Signs and verifies the tokens in recovery email links. A token binds one planned message, one
 * {@link LinkPurpose}, an expiry and (for click links) the target URL, signed with HMAC-SHA256 under
 * one of the {@link SigningKeys}.
 * <p>
 * Layout (then base64url without padding, so it fits a URL path segment as is):
 * {@code version(1) | purpose(1) | keyIdLength(1) | keyId | plannedMessageId(8) | expiresAtEpochSeconds(8) | hmac(32)},
 * the HMAC covering every byte before it plus, for CLICK, the target's UTF-8 bytes. Verification is
 * strict (canonical encoding, exact length, known key, constant-time comparison, then expiry) and answers
 * only "valid for this message" or "not valid", so callers can treat tampered, expired and unknown tokens
 * alike. Thread-safe.
 */
public final class LinkTokens {

    private static final byte VERSION = 1;
    private static final int MAC_LENGTH = 32;
    private static final int MAX_TOKEN_CHARS = 128;
    private static final String HMAC = "HmacSHA256";

    private final SigningKeys keys;

    public LinkTokens(SigningKeys keys) {
        this.keys = keys;
    }

    /** A token for this message and purpose, valid until {@code expiresAt}; {@code target} only for CLICK. */
    public String issue(LinkPurpose purpose, long plannedMessageId, Instant expiresAt, String target) {
        String keyId = keys.signingKeyId();
        byte[] id = keyId.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer body = ByteBuffer.allocate(3 + id.length + 16);
        body.put(VERSION).put(purpose.code()).put((byte) id.length).put(id)
                .putLong(plannedMessageId).putLong(expiresAt.getEpochSecond());
        byte[] signed = body.array();
        byte[] mac = mac(keys.secret(keyId), signed, purpose, target);
        byte[] token = Arrays.copyOf(signed, signed.length + MAC_LENGTH);
        System.arraycopy(mac, 0, token, signed.length, MAC_LENGTH);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token);
    }

    /**
     * The planned message id this token was issued for, or null when it is not a valid, unexpired token
     * for this purpose (and target). Never throws for any input.
     */
    public Long verify(String token, LinkPurpose purpose, String target, Instant now) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
            return null;
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
        if (!Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(token)) {
            return null; // padding or non-canonical trailing bits: not a token we issued
        }
        if (bytes.length < 3 + 1 + 16 + MAC_LENGTH || bytes[0] != VERSION || bytes[1] != purpose.code()) {
            return null;
        }
        int idLength = bytes[2];
        if (idLength < 1 || idLength > 16 || bytes.length != 3 + idLength + 16 + MAC_LENGTH) {
            return null;
        }
        String keyId = new String(bytes, 3, idLength, StandardCharsets.US_ASCII);
        byte[] secret = keys.secret(keyId);
        if (secret == null) {
            return null; // signed with a key that has been removed (or never existed)
        }
        int signedLength = bytes.length - MAC_LENGTH;
        byte[] signed = Arrays.copyOf(bytes, signedLength);
        byte[] expected = mac(secret, signed, purpose, target);
        byte[] given = Arrays.copyOfRange(bytes, signedLength, bytes.length);
        if (!MessageDigest.isEqual(expected, given)) {
            return null;
        }
        ByteBuffer fields = ByteBuffer.wrap(bytes, 3 + idLength, 16);
        long plannedMessageId = fields.getLong();
        long expiresAt = fields.getLong();
        if (now.getEpochSecond() >= expiresAt || plannedMessageId <= 0) {
            return null;
        }
        return plannedMessageId;
    }

    /**
     * One HMAC engine per thread, keyed again for each token: {@code Mac.getInstance} searches the security providers
     * and the first {@code init} instantiates the provider's engine, about a third of a token's cost, and a recovery
     * email signs several links. A JDK class only, so a thread of a redeployed web application keeps no plugin class.
     */
    private static final ThreadLocal<Mac> MACS = new ThreadLocal<Mac>();

    private static byte[] mac(byte[] secret, byte[] signed, LinkPurpose purpose, String target) {
        try {
            Mac mac = MACS.get();
            if (mac == null) {
                mac = Mac.getInstance(HMAC);
                MACS.set(mac);
            }
            mac.init(new SecretKeySpec(secret, HMAC)); // also resets it, should a failed use have left data in it
            mac.update(signed);
            if (purpose == LinkPurpose.CLICK) {
                mac.update((target == null ? "" : target).getBytes(StandardCharsets.UTF_8));
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
