package io.github.cartrecovery.delivery;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

import io.github.cartrecovery.schema.OrderEmailColumn;
import io.github.cartrecovery.rendering.SqlLists;
import io.github.cartrecovery.suppression.SuppressedAddress;

/**
 * Decides, right before a send and inside the claim transaction, whether a planned message must not go
 * out. Reads Broadleaf's own tables (BLC_ORDER, BLC_ORDER_ITEM), not only the plugin's captured status,
 * because capture is buffered: a purchase committed a moment before the send is seen here.
 * A whole batch is checked with four statements (per message, then per address), whatever its size.
 * Stateless; safe on every node.
 */
public class ExitRules {

    /** Per message: campaign, captured cart, Broadleaf's order and its item count. PK lookups. */
    static final String MESSAGE_FACTS = "SELECT m.ID, k.STATUS AS CAMPAIGN_STATUS, c.STATUS AS CART_STATUS, "
            + "c.MARKETING_CONSENT AS CONSENT, o.ORDER_ID AS BLC_ORDER_ID, o.ORDER_STATUS, "
            + "(SELECT COUNT(*) FROM BLC_ORDER_ITEM i WHERE i.ORDER_ID = m.ORDER_ID) AS ITEMS, "
            // a cart its restore link was copied into was bought (IX_CR_RESTORED_SOURCE)
            + "(SELECT COUNT(*) FROM CR_RESTORED_CART r JOIN BLC_ORDER b ON b.ORDER_ID = r.TARGET_ORDER_ID "
            + "WHERE r.SOURCE_ORDER_ID = m.ORDER_ID AND b.ORDER_STATUS = 'SUBMITTED') AS COPIES_BOUGHT "
            + "FROM CR_PLANNED_MESSAGE m LEFT JOIN CR_CAMPAIGN k ON k.ID = m.CAMPAIGN_ID "
            + "LEFT JOIN CR_CAPTURED_CART c ON c.ORDER_ID = m.ORDER_ID LEFT JOIN BLC_ORDER o ON o.ORDER_ID = m.ORDER_ID "
            + "WHERE m.ID IN (%s)";

    /**
     * Per address: the latest order it submitted, case-insensitively. PostgreSQL matches LOWER(EMAIL_ADDRESS)
     * with the plugin's expression index CR_IX_ORDER_EMAIL_LOWER (Liquibase 005); HSQLDB scans.
     */
    public static final String ORDERED_BY_LOWER = "SELECT LOWER(EMAIL_ADDRESS), MAX(SUBMIT_DATE) FROM BLC_ORDER "
            + "WHERE LOWER(EMAIL_ADDRESS) IN (%s) AND ORDER_STATUS = 'SUBMITTED' GROUP BY LOWER(EMAIL_ADDRESS)";

    /**
     * The same on MariaDB/MySQL when BLC_ORDER.EMAIL_ADDRESS has a case-insensitive collation (Broadleaf's
     * default): a plain comparison already ignores case and uses Broadleaf's ORDER_EMAIL_INDEX.
     */
    static final String ORDERED_BY_COLLATION = "SELECT LOWER(EMAIL_ADDRESS), MAX(SUBMIT_DATE) FROM BLC_ORDER "
            + "WHERE EMAIL_ADDRESS IN (%s) AND ORDER_STATUS = 'SUBMITTED' GROUP BY LOWER(EMAIL_ADDRESS)";

    /** Per address: suppressed (keys in {@link SuppressedAddress}'s form; UQ_CR_SUPPRESSION_EMAIL). */
    static final String SUPPRESSED = "SELECT EMAIL FROM CR_SUPPRESSION WHERE EMAIL IN (%s)";

    /**
     * Per address: messages sent within the frequency cap's window, and those about to be sent or being sent right
     * now (PREPARED by an earlier chunk, SENDING and not recorded yet). IX_CR_PLANNED_EMAIL_SENT.
     */
    static final String RECENTLY_SENT = "SELECT EMAIL, COUNT(*) FROM CR_PLANNED_MESSAGE WHERE EMAIL IN (%s) "
            + "AND (SENT_AT > ? OR STATUS IN ('PREPARED', 'SENDING')) GROUP BY EMAIL";

    private final int frequencyCapMessages;
    private final Duration frequencyCapWindow;
    /** Chosen on first use (BLC_ORDER may not exist yet when the context starts). */
    private volatile String orderedQuery;
    /** Addresses suppressed before their data was erased (kept as keyed hashes); none when not set. */
    private io.github.cartrecovery.privacy.ErasedSuppressions erasedSuppressions;

    public ExitRules(int frequencyCapMessages, int frequencyCapWindowHours) {
        this.frequencyCapMessages = frequencyCapMessages;
        this.frequencyCapWindow = Duration.ofHours(frequencyCapWindowHours);
    }

    /** Also stop mail to addresses that were suppressed when their data was erased (privacy). */
    public void setErasedSuppressions(io.github.cartrecovery.privacy.ErasedSuppressions erasedSuppressions) {
        this.erasedSuppressions = erasedSuppressions;
    }

    /** The first rule that stops this message, or null when it may be sent. */
    public ExitReason check(JdbcTemplate jdbc, PlannedMessageRow message, Instant now) {
        return check(jdbc, Collections.singletonList(message), now).get(message.getId());
    }

    /**
     * For each message that must not be sent, the first rule that stops it (messages that may go are not in
     * the map). Messages of one batch to the same address count towards the frequency cap in list order, as
     * if each had been sent before the next was checked.
     */
    public Map<Long, ExitReason> check(JdbcTemplate jdbc, List<PlannedMessageRow> messages, Instant now) {
        return check(jdbc, messages, now, true);
    }

    /**
     * The same for messages of one channel; {@code emailSuppressions} false leaves out the SUPPRESSED rule (the email
     * suppression list), for a channel with its own opt-out list ({@code Channel.stoppedByEmailSuppressions()}).
     */
    public Map<Long, ExitReason> check(JdbcTemplate jdbc, List<PlannedMessageRow> messages, Instant now,
                                       boolean emailSuppressions) {
        Map<Long, ExitReason> exits = new LinkedHashMap<Long, ExitReason>();
        if (messages.isEmpty()) {
            return exits;
        }
        Map<Long, Facts> facts = messageFacts(jdbc, messages);
        Set<String> emails = new LinkedHashSet<String>();
        for (PlannedMessageRow message : messages) {
            emails.add(message.getEmail());
        }
        Map<String, Timestamp> lastOrdered = lastOrdered(jdbc, orderedQuery(jdbc), emails);
        Set<String> suppressed = emailSuppressions ? suppressed(jdbc, emails) : new HashSet<String>();
        if (emailSuppressions && erasedSuppressions != null) {
            suppressed.addAll(erasedSuppressions.suppressedAmong(jdbc, emails));
        }
        Map<String, Integer> recentlySent = frequencyCapMessages > 0
                ? recentlySent(jdbc, emails, now.minus(frequencyCapWindow)) : new HashMap<String, Integer>();
        for (PlannedMessageRow message : messages) {
            ExitReason exit = firstExit(message, facts.get(message.getId()), lastOrdered.get(message.getEmail()),
                    suppressed.contains(SuppressedAddress.of(message.getEmail())), recentlySent);
            if (exit != null) {
                exits.put(message.getId(), exit);
            }
        }
        return exits;
    }

    private ExitReason firstExit(PlannedMessageRow message, Facts facts, Timestamp lastOrdered, boolean suppressed,
                                 Map<String, Integer> recentlySent) {
        if (facts == null || !"ENABLED".equals(facts.campaignStatus)) {
            return ExitReason.CAMPAIGN_DISABLED;
        }
        if (!"IN_RECOVERY".equals(facts.cartStatus)) {
            return ExitReason.CART_LEFT_RECOVERY;
        }
        if ("DENIED".equals(facts.consent)) {
            return ExitReason.CONSENT_WITHDRAWN;
        }
        if (!facts.orderExists) {
            return ExitReason.CART_DELETED;
        }
        if ("SUBMITTED".equals(facts.orderStatus)) {
            return ExitReason.CART_SUBMITTED;
        }
        if (facts.copiesBought > 0) {
            return ExitReason.RESTORED_COPY_BOUGHT;
        }
        if (facts.orderStatus != null && !"IN_PROCESS".equals(facts.orderStatus)) {
            return ExitReason.CART_CLOSED;
        }
        if (facts.items == 0) {
            return ExitReason.CART_EMPTIED;
        }
        if (lastOrdered != null && !lastOrdered.toInstant().isBefore(message.getAbandonedAt())) {
            return ExitReason.ORDERED_SINCE;
        }
        if (suppressed) {
            return ExitReason.SUPPRESSED;
        }
        if (frequencyCapMessages > 0) {
            Integer sent = recentlySent.get(message.getEmail());
            int count = sent == null ? 0 : sent;
            if (count >= frequencyCapMessages) {
                return ExitReason.FREQUENCY_CAP;
            }
            recentlySent.put(message.getEmail(), count + 1); // this one goes: it counts for the next of the batch
        }
        return null;
    }

    private static Map<Long, Facts> messageFacts(JdbcTemplate jdbc, List<PlannedMessageRow> messages) {
        final Map<Long, Facts> facts = new HashMap<Long, Facts>();
        List<Long> ids = new ArrayList<Long>();
        for (PlannedMessageRow message : messages) {
            ids.add(message.getId());
        }
        jdbc.query(String.format(MESSAGE_FACTS, SqlLists.placeholders(ids.size())), new RowCallbackHandler() {
            @Override
            public void processRow(ResultSet rs) throws SQLException {
                Facts row = new Facts();
                row.campaignStatus = rs.getString("CAMPAIGN_STATUS");
                row.cartStatus = rs.getString("CART_STATUS");
                row.consent = rs.getString("CONSENT");
                rs.getLong("BLC_ORDER_ID");
                row.orderExists = !rs.wasNull();
                row.orderStatus = rs.getString("ORDER_STATUS");
                row.items = rs.getLong("ITEMS");
                row.copiesBought = rs.getLong("COPIES_BOUGHT");
                facts.put(rs.getLong("ID"), row);
            }
        }, ids.toArray());
        return facts;
    }

    /** The form of the "ordered since" query this database can answer through an index. */
    String orderedQuery(JdbcTemplate jdbc) {
        String query = orderedQuery;
        if (query == null) {
            query = OrderEmailColumn.ignoresCase(jdbc) ? ORDERED_BY_COLLATION : ORDERED_BY_LOWER;
            orderedQuery = query;
        }
        return query;
    }

    private static Map<String, Timestamp> lastOrdered(JdbcTemplate jdbc, String query, Set<String> emails) {
        final Map<String, Timestamp> last = new HashMap<String, Timestamp>();
        jdbc.query(String.format(query, SqlLists.placeholders(emails.size())), new RowCallbackHandler() {
            @Override
            public void processRow(ResultSet rs) throws SQLException {
                last.put(rs.getString(1), rs.getTimestamp(2));
            }
        }, emails.toArray());
        return last;
    }

    /** The suppression keys among these addresses (looked up and returned in {@link SuppressedAddress}'s form). */
    private static Set<String> suppressed(JdbcTemplate jdbc, Set<String> emails) {
        Set<String> keys = new LinkedHashSet<String>();
        for (String email : emails) {
            keys.add(SuppressedAddress.of(email));
        }
        Set<String> suppressed = new HashSet<String>();
        for (String found : jdbc.queryForList(String.format(SUPPRESSED, SqlLists.placeholders(keys.size())),
                String.class, keys.toArray())) {
            suppressed.add(SuppressedAddress.of(found)); // a case-insensitive collation (MariaDB) may match another form
        }
        return suppressed;
    }

    private static Map<String, Integer> recentlySent(JdbcTemplate jdbc, Set<String> emails, Instant since) {
        final Map<String, Integer> counts = new HashMap<String, Integer>();
        jdbc.query(String.format(RECENTLY_SENT, SqlLists.placeholders(emails.size())), new RowCallbackHandler() {
            @Override
            public void processRow(ResultSet rs) throws SQLException {
                counts.put(rs.getString(1), rs.getInt(2));
            }
        }, SqlLists.args(emails, new Timestamp(since.toEpochMilli())));
        return counts;
    }

    /** What {@link #MESSAGE_FACTS} read for one message. */
    private static final class Facts {
        String campaignStatus;
        String cartStatus;
        String consent;
        boolean orderExists;
        String orderStatus;
        long items;
        long copiesBought;
    }
}
