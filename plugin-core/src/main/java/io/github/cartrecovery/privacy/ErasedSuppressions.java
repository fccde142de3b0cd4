package io.github.cartrecovery.privacy;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Addresses that were suppressed when their data was erased (table CR_ERASED_SUPPRESSION): only a keyed hash of
 * each is kept ({@link EmailHashes}), and delivery's suppression check asks here too, so an erased address that
 * had unsubscribed or bounced still never gets mail. Phone numbers that had opted out of SMS are kept the same way
 * (the hash of {@code "sms:" + number}, reason {@code SMS_<reason>}; no email hash can equal one), so a STOP outlives
 * the erasure of the shopper who sent it. Stateless apart from the keys; safe on every node.
 */
public class ErasedSuppressions {

    private final EmailHashes hashes;

    public ErasedSuppressions(EmailHashes hashes) {
        this.hashes = hashes;
    }

    /** Remembers a normalised address as suppressed (idempotent: a second erasure adds nothing). */
    void remember(JdbcTemplate jdbc, String normalisedEmail, String reason, Timestamp suppressedAt, Timestamp now) {
        if (isSuppressed(jdbc, normalisedEmail)) {
            return;
        }
        jdbc.update("INSERT INTO CR_ERASED_SUPPRESSION (EMAIL_HASH, KEY_ID, REASON, SUPPRESSED_AT, ERASED_AT) "
                + "VALUES (?, ?, ?, ?, ?)", hashes.current(normalisedEmail), hashes.currentKeyId(), reason, suppressedAt, now);
    }

    /** Remembers an E.164 number as opted out of SMS (idempotent). */
    void rememberPhone(JdbcTemplate jdbc, String phone, String reason, Timestamp optedOutAt, Timestamp now) {
        if (!phonesOptedOutAmong(jdbc, java.util.Collections.singleton(phone)).isEmpty()) {
            return;
        }
        String stored = "SMS_" + reason;
        jdbc.update("INSERT INTO CR_ERASED_SUPPRESSION (EMAIL_HASH, KEY_ID, REASON, SUPPRESSED_AT, ERASED_AT) "
                + "VALUES (?, ?, ?, ?, ?)", hashes.current(phoneKey(phone)), hashes.currentKeyId(),
                stored.length() > 32 ? stored.substring(0, 32) : stored, optedOutAt, now);
    }

    /** The given E.164 numbers whose SMS opt-out outlived an erasure. One statement for the whole set. */
    public Set<String> phonesOptedOutAmong(JdbcTemplate jdbc, Collection<String> phones) {
        Map<String, String> byHash = new HashMap<String, String>();
        for (String phone : phones) {
            if (phone != null && !phone.trim().isEmpty()) {
                for (String hash : hashes.all(phoneKey(phone))) {
                    byHash.put(hash, phone);
                }
            }
        }
        return found(jdbc, byHash);
    }

    /** Forgets an erased opt-out of this number (the shopper texted START). Returns the rows removed. */
    public int forgetPhone(JdbcTemplate jdbc, String phone) {
        List<String> hashesOfPhone = hashes.all(phoneKey(phone));
        return jdbc.update("DELETE FROM CR_ERASED_SUPPRESSION WHERE REASON LIKE 'SMS!_%' ESCAPE '!' AND EMAIL_HASH IN ("
                + io.github.cartrecovery.rendering.SqlLists.placeholders(hashesOfPhone.size()) + ")", hashesOfPhone.toArray());
    }

    private static String phoneKey(String phone) {
        return "sms:" + phone.trim();
    }

    /** True when this address (any casing) was suppressed before its data was erased. */
    public boolean isSuppressed(JdbcTemplate jdbc, String email) {
        return !suppressedAmong(jdbc, java.util.Collections.singleton(email)).isEmpty();
    }

    /** The given addresses (as given) whose hash is kept here. One statement for the whole set. */
    public Set<String> suppressedAmong(JdbcTemplate jdbc, Collection<String> emails) {
        Map<String, String> byHash = new HashMap<String, String>();
        for (String email : emails) {
            if (email == null || email.trim().isEmpty()) {
                continue;
            }
            String normalised = email.trim().toLowerCase(java.util.Locale.ROOT);
            for (String hash : hashes.all(normalised)) {
                byHash.put(hash, email);
            }
        }
        return found(jdbc, byHash);
    }

    private static Set<String> found(JdbcTemplate jdbc, Map<String, String> byHash) {
        Set<String> suppressed = new HashSet<String>();
        if (byHash.isEmpty()) {
            return suppressed;
        }
        List<String> keys = new ArrayList<String>(byHash.keySet());
        for (String found : jdbc.queryForList("SELECT EMAIL_HASH FROM CR_ERASED_SUPPRESSION WHERE EMAIL_HASH IN ("
                + io.github.cartrecovery.rendering.SqlLists.placeholders(keys.size()) + ")", String.class, keys.toArray())) {
            suppressed.add(byHash.get(found));
        }
        return suppressed;
    }
}
