package io.github.cartrecovery.privacy;

import io.github.cartrecovery.messages.MessageEvents;
import io.github.cartrecovery.messages.PlannedMessages;

import java.io.UnsupportedEncodingException;
import java.net.URLEncoder;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.cartrecovery.rendering.SqlLists;
import io.github.cartrecovery.suppression.Suppressions;
import io.github.cartrecovery.metrics.PluginMetrics;

/**
 * Erases one address from every plugin table, in one transaction (all or nothing), without changing report totals.
 * <ol>
 * <li>A suppression of the address is replaced by its keyed hash ({@link ErasedSuppressions}): it stays
 * suppressed, but the address is gone. So is an SMS opt-out (CR_SMS_OPT_OUT) of a phone number captured with the
 * address's carts: the number is never texted again, but it is no longer stored.</li>
 * <li>Messages to it not yet handed to the mail server (PLANNED, CLAIMED, PREPARED) become SKIPPED with outcome
 * ERASED, exactly as an unsubscribe stops them: delivery takes a row to SENDING only if it is still PREPARED and its
 * own, so it then sends nothing. A SENDING row is left in its state (exactly-once bookkeeping); only its address
 * goes, and it is counted as in flight.</li>
 * <li>The item snapshots of its carts are deleted; open and click details of its messages are cleared.</li>
 * <li>In every CR_ table, the rows about the address ({@link ShopperRows}) lose every identifying column
 * ({@link PluginTables.Column#identifies()}): NULL, or a fixed placeholder where the column may not be NULL.</li>
 * <li>Its carts' SMS consent goes with their phone number (PHONE is identifying): SMS_CONSENT back to UNKNOWN,
 * SMS_CONSENT_AT to NULL.</li>
 * <li>Last, every text column of every CR_ table is searched for the address (also URL-encoded), in any casing,
 * and each occurrence is replaced: error texts, event details, exclusion reasons. The same for the phone numbers its
 * carts held (E.164, also URL-encoded: an SMS provider's error may quote one), except in CR_SMS_OPT_OUT: a number
 * that said STOP stays there, as a suppressed address stays suppressed.</li>
 * </ol>
 * Rows are anonymised, not deleted, where reports read them (carts, messages, events, attributions keep their
 * statuses, amounts, currencies and REPORTED marks), so CR_REPORT_DAILY and a later rollup count the same.
 * Idempotent: a second erasure of the same address finds nothing to change.
 */
class PersonalDataErasure {

    /** What a NOT NULL email column holds after erasure: a reserved domain (RFC 2606) nothing is ever sent to. */
    static final String ERASED_EMAIL = "erased@erased.invalid";
    static final String ERASED_TEXT = "[erased]";
    static final String OUTCOME = "ERASED";
    /** The SMS suppression list (1.2/022): never swept, its numbers must stay stopped. */
    static final String SMS_OPT_OUT = "CR_SMS_OPT_OUT";

    private final JdbcTemplate jdbc;
    private final Suppressions suppressions;
    private final TransactionTemplate transactions;
    private final ErasedSuppressions erasedSuppressions;
    private final Clock clock;
    private volatile PluginMetrics metrics = PluginMetrics.inMemory();

    PersonalDataErasure(DataSource dataSource, PlatformTransactionManager transactionManager,
                        ErasedSuppressions erasedSuppressions, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.suppressions = new Suppressions(jdbc);
        this.transactions = new TransactionTemplate(transactionManager);
        this.erasedSuppressions = erasedSuppressions;
        this.clock = clock;
    }

    void setMetrics(PluginMetrics metrics) {
        this.metrics = metrics;
    }

    ErasureSummary erase(final String normalisedEmail) {
        // metadata first, on a connection of its own (not through the transaction's JPA connection)
        final Map<String, List<PluginTables.Column>> tables = PluginTables.read(jdbc);
        return transactions.execute(new TransactionCallback<ErasureSummary>() {
            @Override
            public ErasureSummary doInTransaction(TransactionStatus status) {
                return eraseNow(normalisedEmail, tables);
            }
        });
    }

    private ErasureSummary eraseNow(String email, Map<String, List<PluginTables.Column>> tables) {
        Timestamp now = new Timestamp(clock.millis());
        Map<String, Integer> rows = new LinkedHashMap<String, Integer>();
        boolean suppressed = keepSuppression(email, now, rows);
        ShopperRows shopper = ShopperRows.find(jdbc, email);
        keepSmsOptOuts(shopper, now, rows);
        int stopped = 0;
        int inFlight = 0;
        for (List<Long> chunk : ShopperRows.chunks(shopper.messageIds)) {
            stopped += stopPending(chunk, now, rows);
            inFlight += jdbc.queryForObject("SELECT COUNT(*) FROM CR_PLANNED_MESSAGE WHERE STATUS = 'SENDING' AND ID IN ("
                    + SqlLists.placeholders(chunk.size()) + ")", Integer.class, chunk.toArray());
            add(rows, "CR_MESSAGE_EVENT", MessageEvents.eraseTrackingDetails(jdbc, chunk));
        }
        Set<String> phones = new LinkedHashSet<String>();
        for (List<Long> chunk : ShopperRows.chunks(shopper.orderIds)) {
            add(rows, "CR_CAPTURED_CART_ITEM", jdbc.update("DELETE FROM CR_CAPTURED_CART_ITEM WHERE ORDER_ID IN ("
                    + SqlLists.placeholders(chunk.size()) + ")", chunk.toArray()));
            phones.addAll(jdbc.queryForList("SELECT DISTINCT PHONE FROM CR_CAPTURED_CART WHERE PHONE IS NOT NULL AND ORDER_ID IN ("
                    + SqlLists.placeholders(chunk.size()) + ")", String.class, chunk.toArray()));
            add(rows, "CR_CAPTURED_CART", jdbc.update("UPDATE CR_CAPTURED_CART SET SMS_CONSENT = 'UNKNOWN', SMS_CONSENT_AT = NULL "
                    + "WHERE (SMS_CONSENT <> 'UNKNOWN' OR SMS_CONSENT_AT IS NOT NULL) AND ORDER_ID IN ("
                    + SqlLists.placeholders(chunk.size()) + ")", chunk.toArray()));
        }
        for (Map.Entry<String, List<PluginTables.Column>> table : tables.entrySet()) {
            anonymise(table.getKey(), table.getValue(), shopper, rows);
        }
        for (Map.Entry<String, List<PluginTables.Column>> table : tables.entrySet()) {
            for (String form : forms(email)) {
                sweep(table.getKey(), table.getValue(), form, occurrence(form), false, rows);
            }
            if (table.getKey().equals(SMS_OPT_OUT)) {
                continue;
            }
            for (String phone : phones) {
                for (String form : forms(phone)) {
                    sweep(table.getKey(), table.getValue(), form, phoneOccurrence(form), true, rows);
                }
            }
        }
        return new ErasureSummary(email, rows, stopped, inFlight,
                suppressed || erasedSuppressions.isSuppressed(jdbc, email));
    }

    /** Moves a suppression of the address to its keyed hash. True when the address was suppressed. */
    private boolean keepSuppression(String email, Timestamp now, Map<String, Integer> rows) {
        List<Map<String, Object>> found = jdbc.queryForList(
                "SELECT REASON, CREATED_AT FROM CR_SUPPRESSION WHERE LOWER(TRIM(EMAIL)) = ? ORDER BY CREATED_AT", email);
        if (found.isEmpty()) {
            return false;
        }
        Object createdAt = found.get(0).get("CREATED_AT");
        erasedSuppressions.remember(jdbc, email, (String) found.get(0).get("REASON"),
                createdAt instanceof java.util.Date ? new Timestamp(((java.util.Date) createdAt).getTime()) : null, now);
        add(rows, "CR_ERASED_SUPPRESSION", 1);
        add(rows, "CR_SUPPRESSION", suppressions.erase(email));
        return true;
    }

    /**
     * Moves the SMS opt-outs of the shopper's numbers to keyed hashes. CR_SMS_OPT_OUT belongs to the sms package; it is
     * written here directly (as CR_SUPPRESSION is above) so the erasure stays one transaction without privacy depending on
     * the channels.
     */
    private void keepSmsOptOuts(ShopperRows shopper, Timestamp now, Map<String, Integer> rows) {
        for (String phone : shopper.phones) {
            List<Map<String, Object>> found = jdbc.queryForList("SELECT REASON, CREATED_AT FROM CR_SMS_OPT_OUT WHERE PHONE = ?", phone);
            if (found.isEmpty()) {
                continue;
            }
            Object createdAt = found.get(0).get("CREATED_AT");
            erasedSuppressions.rememberPhone(jdbc, phone, (String) found.get(0).get("REASON"),
                    createdAt instanceof java.util.Date ? new Timestamp(((java.util.Date) createdAt).getTime()) : null, now);
            add(rows, "CR_ERASED_SUPPRESSION", 1);
            add(rows, "CR_SMS_OPT_OUT", jdbc.update("DELETE FROM CR_SMS_OPT_OUT WHERE PHONE = ?", phone));
        }
    }

    /** Stops what was not handed to SMTP yet, as an unsubscribe does (one SKIPPED event per stopped message). */
    private int stopPending(List<Long> messageIds, Timestamp now, Map<String, Integer> rows) {
        List<Long> pending = jdbc.queryForList("SELECT ID FROM CR_PLANNED_MESSAGE WHERE STATUS IN ('PLANNED', 'CLAIMED', 'PREPARED') "
                + "AND ID IN (" + SqlLists.placeholders(messageIds.size()) + ")", Long.class, messageIds.toArray());
        int stopped = PlannedMessages.stopPending(jdbc, pending, OUTCOME, now.toInstant(), metrics);
        add(rows, "CR_PLANNED_MESSAGE", stopped);
        add(rows, "CR_MESSAGE_EVENT", stopped);
        return stopped;
    }

    private void anonymise(String table, List<PluginTables.Column> columns, ShopperRows shopper, Map<String, Integer> rows) {
        List<String> assignments = new ArrayList<String>();
        List<Object> values = new ArrayList<Object>();
        List<String> anyIdentifying = new ArrayList<String>();
        for (PluginTables.Column column : columns) {
            if (!column.identifies()) {
                continue;
            }
            if (column.nullable) {
                assignments.add(column.name + " = NULL");
                anyIdentifying.add(column.name + " IS NOT NULL");
            } else if (column.text) {
                String placeholder = fit(column.isEmail() ? ERASED_EMAIL : ERASED_TEXT, column.size);
                assignments.add(column.name + " = ?");
                values.add(placeholder);
                anyIdentifying.add(column.name + " <> ?");
            }
            // a NOT NULL identifying number (none today) cannot be blanked: the sweep and the row links stay the guard
        }
        if (assignments.isEmpty()) {
            return;
        }
        for (ShopperRows.Condition condition : shopper.conditions(columns)) {
            List<Object> args = new ArrayList<Object>(values);
            args.addAll(condition.args);
            // only rows that still hold something, so the counts say what changed and a repeat changes nothing
            for (PluginTables.Column column : columns) {
                if (column.identifies() && !column.nullable && column.text) {
                    args.add(fit(column.isEmail() ? ERASED_EMAIL : ERASED_TEXT, column.size));
                }
            }
            add(rows, table, jdbc.update("UPDATE " + table + " SET " + join(assignments, ", ") + " WHERE (" + condition.sql
                    + ") AND (" + join(anyIdentifying, " OR ") + ")", args.toArray()));
        }
    }

    /**
     * Replaces one form of an address or number wherever it is still written, in every text column of the table. A
     * number is not swept out of phone columns: the shopper's own rows lost it already, and "[erased]" in another
     * cart's PHONE would be no number at all (that cart belongs to another address; its own erasure blanks it).
     */
    private void sweep(String table, List<PluginTables.Column> columns, String form, Pattern pattern, boolean phone,
                       Map<String, Integer> rows) {
        for (PluginTables.Column column : columns) {
            if (!column.text || column.size > 100000) {
                continue; // large objects cannot be compared with = on every database; the plugin has none
            }
            if (phone && column.isPhone()) {
                continue;
            }
            List<String> values = jdbc.queryForList("SELECT DISTINCT " + column.name + " FROM " + table + " WHERE LOWER("
                    + column.name + ") LIKE ? ESCAPE '!'", String.class, "%" + likeLiteral(form) + "%");
            for (String value : values) {
                String replaced = fit(pattern.matcher(value).replaceAll(Matcher.quoteReplacement(ERASED_TEXT)), column.size);
                if (!replaced.equals(value)) {
                    add(rows, table, jdbc.update("UPDATE " + table + " SET " + column.name + " = ? WHERE " + column.name + " = ?",
                            replaced, value));
                }
            }
        }
    }

    /** A phone number (E.164 or URL-encoded) as a whole: not inside a longer run of digits. */
    static Pattern phoneOccurrence(String form) {
        return Pattern.compile("(?<![0-9])" + Pattern.quote(form) + "(?![0-9])", Pattern.CASE_INSENSITIVE);
    }

    /**
     * The address as a whole, in any casing: not preceded by a character an address's local part may have, nor followed
     * by one its domain may continue with, so erasing {@code ane@example.com} leaves {@code jane@example.com} and
     * {@code ane@example.com.au} alone. '=' is not counted as part of an address here (it is legal in a local part, but
     * far more often the end of a query parameter: {@code email=jane%40example.com}).
     */
    static Pattern occurrence(String form) {
        return Pattern.compile("(?<![\\p{L}\\p{N}!#$%&'*+/?^_`{|}~.-])" + Pattern.quote(form) + "(?![\\p{L}\\p{N}_-]|\\.[\\p{L}\\p{N}])",
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    /** The address (or phone number) as written, and URL-encoded (links and error texts may carry it so). */
    static Set<String> forms(String email) {
        Set<String> forms = new LinkedHashSet<String>();
        forms.add(email);
        try {
            forms.add(URLEncoder.encode(email, "UTF-8").toLowerCase(java.util.Locale.ROOT));
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
        return forms;
    }

    static String likeLiteral(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    private static String fit(String value, int size) {
        return size > 0 && value.length() > size ? value.substring(0, size) : value;
    }

    private static String join(List<String> parts, String separator) {
        StringBuilder joined = new StringBuilder();
        for (String part : parts) {
            if (joined.length() > 0) {
                joined.append(separator);
            }
            joined.append(part);
        }
        return joined.toString();
    }

    private static void add(Map<String, Integer> rows, String table, int count) {
        if (count > 0) {
            Integer before = rows.get(table);
            rows.put(table, (before == null ? 0 : before) + count);
        }
    }
}
