package io.github.cartrecovery.suppression;

import java.sql.Timestamp;
import java.time.Instant;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The one writer of CR_SUPPRESSION, the addresses never emailed again: the unsubscribe, delivery's bounces and the
 * erasure of personal data all go through here. (The admin's Suppressed Address screen is the one exception: Broadleaf
 * writes it through the {@code delivery.Suppression} entity, whose callbacks normalise the address the same way.)
 * Every address is stored and looked up in {@link SuppressedAddress}'s form; UQ_CR_SUPPRESSION_EMAIL keeps one row per
 * address. Runs in the caller's transaction, through the caller's JdbcTemplate; stateless, safe on every node.
 */
public final class Suppressions {

    /** CR_SUPPRESSION.SOURCE is VARCHAR(255). */
    static final int SOURCE_LENGTH = 255;

    private final JdbcTemplate jdbc;

    public Suppressions(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Suppresses the address unless it already is (for any reason: the first reason stays). True when this call
     * added it. Two nodes adding the same address at once: one of them gets a DuplicateKeyException (the unique key),
     * and may simply run again.
     *
     * @param source how it came about ("one-click (message 42)", the SMTP reply), cut to the column's 255 characters
     */
    public boolean suppress(String email, SuppressionReason reason, String source, Instant at) {
        String address = SuppressedAddress.of(email);
        if (isSuppressed(address)) {
            return false;
        }
        jdbc.update("INSERT INTO CR_SUPPRESSION (EMAIL, REASON, SOURCE, CREATED_AT) VALUES (?, ?, ?, ?)",
                address, reason.name(), cut(source), new Timestamp(at.toEpochMilli()));
        return true;
    }

    /**
     * Takes back the address's suppression if it was suppressed for this reason (a resubscribe lifts UNSUBSCRIBED,
     * never a bounce or a suppression added by staff). True when one was lifted.
     */
    public boolean lift(String email, SuppressionReason reason) {
        return jdbc.update("DELETE FROM CR_SUPPRESSION WHERE EMAIL = ? AND REASON = ?", SuppressedAddress.of(email),
                reason.name()) > 0;
    }

    /**
     * Erasure of personal data: deletes the address's suppression whatever its reason, also rows written before
     * addresses were normalised (the caller keeps a keyed hash so it stays suppressed). The number of rows deleted.
     */
    public int erase(String email) {
        return jdbc.update("DELETE FROM CR_SUPPRESSION WHERE LOWER(TRIM(EMAIL)) = ?", SuppressedAddress.of(email));
    }

    /** True when the address is suppressed, for any reason. */
    public boolean isSuppressed(String email) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM CR_SUPPRESSION WHERE EMAIL = ?", Integer.class,
                SuppressedAddress.of(email)) > 0;
    }

    /** True when the address is suppressed for this reason. */
    public boolean isSuppressedFor(String email, SuppressionReason reason) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM CR_SUPPRESSION WHERE EMAIL = ? AND REASON = ?", Integer.class,
                SuppressedAddress.of(email), reason.name()) > 0;
    }

    private static String cut(String source) {
        return source == null || source.length() <= SOURCE_LENGTH ? source : source.substring(0, SOURCE_LENGTH);
    }
}
