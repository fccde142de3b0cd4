package io.github.cartrecovery.sms;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.cartrecovery.phone.PhoneNumbers;
import io.github.cartrecovery.personaldata.PersonalDataMask;
import io.github.cartrecovery.channel.Recipient;
import io.github.cartrecovery.privacy.ErasedSuppressions;
import io.github.cartrecovery.rendering.SqlLists;
import io.github.cartrecovery.messages.PlannedMessages;
import io.github.cartrecovery.metrics.PluginMetrics;

/**
 * The SMS suppression list, table CR_SMS_OPT_OUT (bean {@code crSmsOptOuts}; every write to the table goes through
 * here, except the privacy erasure's). A number is opted out by the shopper (STOP by text, or "also stop text
 * messages" on the email unsubscribe page: reason {@link #STOP}), by staff ({@link #OPERATOR}) or by the provider
 * refusing it for good ({@link #REJECTED}: not a valid or reachable mobile number). Opting out is immediate and
 * idempotent: in one transaction the number is listed and every SMS to it not yet handed to the provider (PLANNED,
 * CLAIMED, PREPARED) is SKIPPED with outcome {@value io.github.cartrecovery.channel.Recipient#OPTED_OUT}. Email is
 * never touched (CR_SUPPRESSION is the email list); the opt-out outlives an erasure of the shopper's data as a keyed
 * hash ({@link ErasedSuppressions}). Numbers are E.164; logs show them masked.
 */
public class SmsOptOuts {

    public static final String STOP = "STOP";
    public static final String OPERATOR = "OPERATOR";
    public static final String REJECTED = "REJECTED";

    private static final Log LOG = LogFactory.getLog(SmsOptOuts.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final ErasedSuppressions erased;
    private final Clock clock;

    private volatile PluginMetrics metrics = PluginMetrics.inMemory();

    public SmsOptOuts(DataSource dataSource, PlatformTransactionManager transactionManager, ErasedSuppressions erased,
                      Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = new TransactionTemplate(transactionManager);
        this.erased = erased;
        this.clock = clock;
    }

    /** Where the plugin counts what happens (bean crMetrics); in memory only until set. */
    public void setMetrics(PluginMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * Opts the number out; {@code source} says how (at most 255 characters kept). Returns how many pending messages were
     * stopped, or -1 when the number was already opted out (its pending texts, if any, are stopped all the same).
     *
     * @throws IllegalArgumentException the number is not E.164 or the reason is not one of the three
     */
    public int optOut(final String phone, final String reason, final String source) {
        requireE164(phone);
        if (!STOP.equals(reason) && !OPERATOR.equals(reason) && !REJECTED.equals(reason)) {
            throw new IllegalArgumentException("reason must be STOP, OPERATOR or REJECTED, not '" + reason + "'");
        }
        try {
            return optOutOnce(phone, reason, source);
        } catch (DuplicateKeyException concurrent) {
            return optOutOnce(phone, reason, source); // listed at the same moment elsewhere: now a repeat
        }
    }

    private int optOutOnce(final String phone, final String reason, final String source) {
        return transactions.execute(new TransactionCallback<Integer>() {
            @Override
            public Integer doInTransaction(TransactionStatus status) {
                Timestamp now = new Timestamp(clock.millis());
                boolean listed = isListed(phone);
                if (!listed) {
                    String kept = source == null ? null : source.length() > 255 ? source.substring(0, 255) : source;
                    jdbc.update("INSERT INTO CR_SMS_OPT_OUT (PHONE, REASON, SOURCE, CREATED_AT) VALUES (?, ?, ?, ?)",
                            phone, reason, kept, now);
                }
                int stopped = stopPending(phone, now);
                if (!listed) {
                    LOG.info("SMS opt-out of " + PersonalDataMask.phone(phone) + " (" + reason + "), " + stopped
                            + " pending text(s) stopped");
                }
                return listed ? -1 : stopped;
            }
        });
    }

    /**
     * Takes a shopper's own opt-out back (they texted START): STOP and REJECTED entries go (a START proves the number
     * reachable), an operator's stays. Returns true when the number may be texted again.
     */
    public boolean optIn(final String phone) {
        requireE164(phone);
        return transactions.execute(new TransactionCallback<Boolean>() {
            @Override
            public Boolean doInTransaction(TransactionStatus status) {
                int removed = jdbc.update("DELETE FROM CR_SMS_OPT_OUT WHERE PHONE = ? AND REASON IN (?, ?)", phone, STOP, REJECTED)
                        + erased.forgetPhone(jdbc, phone);
                if (removed > 0) {
                    LOG.info("SMS opt-in of " + PersonalDataMask.phone(phone));
                }
                return optedOutAmong(jdbc, java.util.Collections.singleton(phone)).isEmpty();
            }
        });
    }

    public boolean isOptedOut(String phone) {
        return !optedOutAmong(jdbc, java.util.Collections.singleton(phone)).isEmpty();
    }

    /**
     * The given numbers that must not be texted: listed here, or kept as a hash after an erasure. In the caller's
     * transaction; one statement per 500 numbers plus one for the hashes.
     */
    public Set<String> optedOutAmong(JdbcTemplate jdbc, Collection<String> phones) {
        Set<String> distinct = new LinkedHashSet<String>();
        for (String phone : phones) {
            if (phone != null) {
                distinct.add(phone);
            }
        }
        Set<String> optedOut = new HashSet<String>();
        List<String> chunk = new ArrayList<String>();
        for (String phone : distinct) {
            chunk.add(phone);
            if (chunk.size() == 500) {
                optedOut.addAll(listed(jdbc, chunk));
                chunk.clear();
            }
        }
        if (!chunk.isEmpty()) {
            optedOut.addAll(listed(jdbc, chunk));
        }
        if (!distinct.isEmpty()) {
            optedOut.addAll(erased.phonesOptedOutAmong(jdbc, distinct));
        }
        return optedOut;
    }

    /** The number captured with the cart of a planned message (E.164), or null. */
    public String phoneOfMessage(long plannedMessageId) {
        List<String> phones = jdbc.queryForList("SELECT c.PHONE FROM CR_PLANNED_MESSAGE m JOIN CR_CAPTURED_CART c "
                + "ON c.ORDER_ID = m.ORDER_ID WHERE m.ID = ?", String.class, plannedMessageId);
        return phones.isEmpty() || !PhoneNumbers.isE164(phones.get(0)) ? null : phones.get(0);
    }

    private static List<String> listed(JdbcTemplate jdbc, List<String> phones) {
        return jdbc.queryForList("SELECT PHONE FROM CR_SMS_OPT_OUT WHERE PHONE IN (" + SqlLists.placeholders(phones.size())
                + ")", String.class, phones.toArray());
    }

    private boolean isListed(String phone) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM CR_SMS_OPT_OUT WHERE PHONE = ?", Integer.class, phone) > 0;
    }

    /** Skips the texts to this number that were not handed to the provider yet (as an email unsubscribe does). */
    private int stopPending(String phone, Timestamp now) {
        List<Long> pending = jdbc.queryForList("SELECT m.ID FROM CR_PLANNED_MESSAGE m JOIN CR_CAPTURED_CART c "
                + "ON c.ORDER_ID = m.ORDER_ID WHERE c.PHONE = ? AND m.CHANNEL = ? "
                + "AND m.STATUS IN ('PLANNED', 'CLAIMED', 'PREPARED')", Long.class, phone, SmsChannel.NAME);
        return PlannedMessages.stopPending(jdbc, pending, Recipient.OPTED_OUT, now.toInstant(), metrics);
    }

    private static void requireE164(String phone) {
        if (!PhoneNumbers.isE164(phone)) {
            throw new IllegalArgumentException("phone: must be an E.164 number like +4915112345678, not '"
                    + PersonalDataMask.phone(phone) + "'");
        }
    }
}
