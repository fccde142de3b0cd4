package io.github.cartrecovery.links;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.github.cartrecovery.keys.SigningKeys;

/**
 * The restore link of a text message: {@code <base-url>/cart-recovery/s/<24 characters>}, about a third of a
 * {@link LinkTokens} restore link, so an SMS keeps its characters for words. The storefront treats it exactly like
 * the restore link of an email.
 * <p>
 * Token (18 bytes, base64url, no padding): {@code version(1) | plannedMessageId(6) | expiryEpochDay(2) | hmac(9)}.
 * The HMAC-SHA256 (cut to 72 bits: enough for a link that can only be guessed online, one request at a time) covers
 * the 9 bytes before it, under a key derived from each {@link SigningKeys} key for this purpose only, so it never
 * verifies as another kind of token. No key id: every listed key is tried, newest first, so rotating the signing
 * keys works as for every other link. The link expires at the end of the UTC day {@code validDays} after it was
 * made. Thread-safe.
 */
public final class ShortRestoreLinks {

    public static final String PATH = "/cart-recovery/s/";
    static final String DERIVED_PURPOSE = "cartrecovery-short-restore-link";
    private static final byte VERSION = 1;
    private static final int SIGNED_LENGTH = 1 + 6 + 2;
    private static final int MAC_LENGTH = 9;
    private static final int TOKEN_CHARS = 24;
    private static final long MAX_ID = (1L << 48) - 1;
    private static final long SECONDS_PER_DAY = 86400L;

    private final StoreUrls store;
    private final List<byte[]> keys;
    private final Clock clock;
    private final Duration validity;

    public ShortRestoreLinks(StoreUrls store, SigningKeys signingKeys, Clock clock, int validDays) {
        if (validDays < 1) {
            throw new IllegalStateException("cartrecovery.links.valid-days must be at least 1");
        }
        this.store = store;
        this.keys = Collections.unmodifiableList(new ArrayList<byte[]>(signingKeys.derivedKeys(DERIVED_PURPOSE).values()));
        this.clock = clock;
        this.validity = Duration.ofDays(validDays);
    }

    /** The absolute short restore URL of a planned message, valid from now for {@code validDays}. */
    public String url(long plannedMessageId) {
        return store.baseUrl() + PATH + token(plannedMessageId, clock.instant().plus(validity));
    }

    /** A token for the message, valid until the end of the UTC day of {@code expiresAt}. */
    public String token(long plannedMessageId, Instant expiresAt) {
        if (plannedMessageId < 0 || plannedMessageId > MAX_ID) {
            throw new IllegalArgumentException("a short link names a planned message id from 0 to " + MAX_ID
                    + ", not " + plannedMessageId);
        }
        long expiryDay = Math.floorDiv(expiresAt.getEpochSecond(), SECONDS_PER_DAY) + 1;
        ByteBuffer token = ByteBuffer.allocate(SIGNED_LENGTH + MAC_LENGTH);
        token.put(VERSION);
        token.putShort((short) (plannedMessageId >>> 32)).putInt((int) plannedMessageId);
        token.putShort((short) Math.min(expiryDay, 0xFFFF));
        byte[] bytes = token.array();
        System.arraycopy(mac(keys.get(0), bytes), 0, bytes, SIGNED_LENGTH, MAC_LENGTH);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The planned message id, or null when the token is not a valid, unexpired short link. Never throws. */
    public Long verify(String token, Instant now) {
        if (token == null || token.length() != TOKEN_CHARS) {
            return null;
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
        if (bytes.length != SIGNED_LENGTH + MAC_LENGTH || bytes[0] != VERSION
                || !Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(token)) {
            return null;
        }
        byte[] given = Arrays.copyOfRange(bytes, SIGNED_LENGTH, bytes.length);
        boolean signed = false;
        for (byte[] key : keys) {
            signed |= MessageDigest.isEqual(Arrays.copyOf(mac(key, bytes), MAC_LENGTH), given);
        }
        if (!signed) {
            return null;
        }
        ByteBuffer fields = ByteBuffer.wrap(bytes, 1, SIGNED_LENGTH - 1);
        long high = fields.getShort() & 0xFFFFL;
        long plannedMessageId = (high << 32) | (fields.getInt() & 0xFFFFFFFFL);
        long expiryDay = fields.getShort() & 0xFFFFL;
        if (now.getEpochSecond() >= expiryDay * SECONDS_PER_DAY || plannedMessageId <= 0) {
            return null;
        }
        return plannedMessageId;
    }

    private static byte[] mac(byte[] key, byte[] token) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(token, 0, SIGNED_LENGTH);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }
}
