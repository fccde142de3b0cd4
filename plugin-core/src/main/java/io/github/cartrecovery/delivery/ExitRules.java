package io.github.cartrecovery.delivery;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
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
 * <p>
 * In this order, the first that applies stops a message: the campaign, the cart and the shopper's purchases (every
 * channel); a withdrawn marketing consent, on the channels the email suppression list applies to
 * ({@code cartrecovery.suppression.email-applies-to}, EMAIL always; SMS consent and opt-outs are the SMS channel's);
 * the step's send-time conditions ({@link ExitReason#CONDITION_NOT_MET}: the sequence goes on with the next step, at
 * the time already planned); CR_SUPPRESSION, on the same channels as consent; last the frequency caps, the message's
 * channel's ({@link ExitReason#CHANNEL_FREQUENCY_CAP}) and all channels' together ({@link ExitReason#FREQUENCY_CAP}).
 * <p>
 * A whole chunk is checked with a fixed number of statements, whatever its size: the messages' facts, the addresses'
 * orders, suppressions and recent messages, the steps' conditions (plus, only when such conditions are among them,
 * the previous steps' opens and clicks and the shoppers' order history). Stateless apart from its settings; safe on
 * every node.
 */
public class ExitRules {

    /** The channel whose name the suppression list is keyed by. */
    static final String EMAIL = "EMAIL";

    /**
     * Per message: channel, campaign, captured cart, Broadleaf's order and its item count, the shopper's customer row.
     * PK lookups. Only whether there is a phone number is read, not the number.
     */
    static final String MESSAGE_FACTS = "SELECT m.ID, m.CHANNEL, k.STATUS AS CAMPAIGN_STATUS, "
            + "c.STATUS AS CART_STATUS, c.MARKETING_CONSENT AS CONSENT, c.SMS_CONSENT, "
            + "CASE WHEN c.PHONE IS NULL OR c.PHONE = '' THEN 0 ELSE 1 END AS HAS_PHONE, c.TOTAL, c.CURRENCY_CODE, "
            + "c.CUSTOMER_ID, u.IS_REGISTERED, o.ORDER_ID AS BLC_ORDER_ID, o.ORDER_STATUS, "
            + "(SELECT COUNT(*) FROM BLC_ORDER_ITEM i WHERE i.ORDER_ID = m.ORDER_ID) AS ITEMS, "
            // a cart its restore link was copied into was bought (IX_CR_RESTORED_SOURCE)
            + "(SELECT COUNT(*) FROM CR_RESTORED_CART r JOIN BLC_ORDER b ON b.ORDER_ID = r.TARGET_ORDER_ID "
            + "WHERE r.SOURCE_ORDER_ID = m.ORDER_ID AND b.ORDER_STATUS = 'SUBMITTED') AS COPIES_BOUGHT, "
            // browse messages: the session, whether a product of it is in the shopper's cart or orders now (Broadleaf's
            // ORDER_CUSTOMER_INDEX, then the order's items), whether the address ever denied marketing (IX_CR_CART_EMAIL)
            + "m.TRIGGER_TYPE, s.STATUS AS BROWSE_STATUS, "
            + "(SELECT COUNT(*) FROM BLC_ORDER so JOIN BLC_ORDER_ITEM si ON si.ORDER_ID = so.ORDER_ID "
            + "JOIN BLC_DISCRETE_ORDER_ITEM sd ON sd.ORDER_ITEM_ID = si.ORDER_ITEM_ID "
            + "JOIN CR_BROWSE_PRODUCT sp ON sp.SESSION_ID = s.ID AND sp.PRODUCT_ID = sd.PRODUCT_ID "
            + "WHERE so.CUSTOMER_ID = s.CUSTOMER_ID AND so.ORDER_STATUS IN ('IN_PROCESS', 'SUBMITTED')) AS BROWSED_IN_CART, "
            + "(SELECT COUNT(*) FROM CR_CAPTURED_CART sc WHERE sc.EMAIL = s.EMAIL AND sc.MARKETING_CONSENT = 'DENIED') AS BROWSE_DENIED "
            + "FROM CR_PLANNED_MESSAGE m LEFT JOIN CR_CAMPAIGN k ON k.ID = m.CAMPAIGN_ID "
            + "LEFT JOIN CR_CAPTURED_CART c ON c.ORDER_ID = m.ORDER_ID LEFT JOIN BLC_ORDER o ON o.ORDER_ID = m.ORDER_ID "
            + "LEFT JOIN BLC_CUSTOMER u ON u.CUSTOMER_ID = c.CUSTOMER_ID "
            + "LEFT JOIN CR_BROWSE_SESSION s ON s.ID = m.BROWSE_SESSION_ID "
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

    private final FrequencyCap allChannelsCap;
    private volatile List<FrequencyCap> channelCaps = Collections.<FrequencyCap>emptyList();
    private volatile boolean capsPerTrigger;
    private volatile FrequencyCaps caps;
    private final StepConditionCheck conditions = new StepConditionCheck();
    /** Channels CR_SUPPRESSION and a withdrawn marketing consent stop; EMAIL always. */
    private volatile Set<String> emailBound = Collections.singleton(EMAIL);
    /** Chosen on first use (BLC_ORDER may not exist yet when the context starts). */
    private volatile String orderedQuery;
    /** Addresses suppressed before their data was erased (kept as keyed hashes); none when not set. */
    private io.github.cartrecovery.privacy.ErasedSuppressions erasedSuppressions;

    /**
     * @param frequencyCapMessages     the most messages of all channels together to one address in the window (0 = no cap)
     * @param frequencyCapWindowHours  that window
     */
    public ExitRules(int frequencyCapMessages, int frequencyCapWindowHours) {
        this.allChannelsCap = new FrequencyCap(null, frequencyCapMessages, frequencyCapWindowHours);
        this.caps = new FrequencyCaps(allChannelsCap, Collections.<FrequencyCap>emptyList());
    }

    /** Also stop mail to addresses that were suppressed when their data was erased (privacy). */
    public void setErasedSuppressions(io.github.cartrecovery.privacy.ErasedSuppressions erasedSuppressions) {
        this.erasedSuppressions = erasedSuppressions;
    }

    /** Caps per channel ({@code cartrecovery.delivery.frequency-cap.<channel>.messages / window-hours}); 0 messages = none. */
    public void setChannelFrequencyCaps(List<FrequencyCap> channelCaps) {
        this.channelCaps = new ArrayList<FrequencyCap>(channelCaps);
        this.caps = new FrequencyCaps(allChannelsCap, channelCaps, capsPerTrigger);
    }

    /**
     * cartrecovery.delivery.frequency-cap.per-trigger: true gives each trigger (abandoned cart, price drop, back in
     * stock...) its own caps; false (the default) counts a shopper's messages of every trigger together.
     */
    public void setFrequencyCapPerTrigger(boolean perTrigger) {
        this.capsPerTrigger = perTrigger;
        this.caps = new FrequencyCaps(allChannelsCap, channelCaps, perTrigger);
    }

    /**
     * The channels besides EMAIL that CR_SUPPRESSION (and a withdrawn marketing consent) stop, comma-separated
     * ({@code cartrecovery.suppression.email-applies-to}).
     */
    public void setEmailSuppressionChannels(String channels) {
        Set<String> names = new LinkedHashSet<String>();
        names.add(EMAIL);
        if (channels != null) {
            for (String name : channels.split(",")) {
                if (!name.trim().isEmpty()) {
                    names.add(name.trim().toUpperCase(Locale.ROOT));
                }
            }
        }
        this.emailBound = Collections.unmodifiableSet(names);
    }

    /** cartrecovery.exclusion.require-marketing-consent: a step's CHANNEL_CONSENT EMAIL then needs GRANTED. */
    public void setMarketingConsentRequired(boolean required) {
        conditions.setMarketingConsentRequired(required);
    }

    /** The first rule that stops this message, or null when it may be sent. */
    public ExitReason check(JdbcTemplate jdbc, PlannedMessageRow message, Instant now) {
        return check(jdbc, Collections.singletonList(message), now).get(message.getId());
    }

    /**
     * For each message that must not be sent, the first rule that stops it (messages that may go are not in the
     * map). Messages of one batch to the same address count towards the frequency caps in list order, as if each had
     * been sent before the next was checked.
     */
    public Map<Long, ExitReason> check(JdbcTemplate jdbc, List<PlannedMessageRow> messages, Instant now) {
        Map<Long, ExitReason> reasons = new LinkedHashMap<Long, ExitReason>();
        for (Map.Entry<Long, Exit> exit : exits(jdbc, messages, now).entrySet()) {
            reasons.put(exit.getKey(), exit.getValue().getReason());
        }
        return reasons;
    }

    /**
     * {@link #check(JdbcTemplate, List, Instant)} with each exit's detail (which step condition, which cap), for the
     * SKIPPED event ({@link Exit#eventDetail()}).
     */
    public Map<Long, Exit> exits(JdbcTemplate jdbc, List<PlannedMessageRow> messages, Instant now) {
        Map<Long, Exit> exits = new LinkedHashMap<Long, Exit>();
        if (messages.isEmpty()) {
            return exits;
        }
        Map<Long, MessageFacts> facts = messageFacts(jdbc, messages);
        Set<String> emails = new LinkedHashSet<String>();
        for (PlannedMessageRow message : messages) {
            emails.add(message.getEmail());
        }
        Map<String, Timestamp> lastOrdered = lastOrdered(jdbc, orderedQuery(jdbc), emails);
        List<PlannedMessageRow> candidates = new ArrayList<PlannedMessageRow>();
        for (PlannedMessageRow message : messages) {
            ExitReason exit = cartExit(message, facts.get(message.getId()), lastOrdered.get(message.getEmail()));
            if (exit != null) {
                exits.put(message.getId(), Exit.of(exit));
            } else {
                candidates.add(message);
            }
        }
        Map<Long, String> unmet = conditions.unmet(jdbc, candidates, facts);
        Set<String> suppressible = new LinkedHashSet<String>();
        Set<String> capped = new LinkedHashSet<String>();
        for (PlannedMessageRow message : candidates) {
            if (!unmet.containsKey(message.getId()) && !consentWithdrawn(facts.get(message.getId()))) {
                capped.add(message.getEmail());
                if (emailBound.contains(facts.get(message.getId()).channel)) {
                    suppressible.add(message.getEmail());
                }
            }
        }
        Set<String> suppressed = suppressed(jdbc, suppressible);
        if (erasedSuppressions != null && !suppressible.isEmpty()) {
            suppressed.addAll(erasedSuppressions.suppressedAmong(jdbc, suppressible));
        }
        FrequencyCaps current = caps;
        FrequencyCaps.Counts recent = current.count(jdbc, capped, now);
        for (PlannedMessageRow message : candidates) {
            MessageFacts about = facts.get(message.getId());
            Exit exit;
            if (consentWithdrawn(about)) {
                exit = Exit.of(ExitReason.CONSENT_WITHDRAWN);
            } else if (unmet.containsKey(message.getId())) {
                exit = Exit.of(ExitReason.CONDITION_NOT_MET, unmet.get(message.getId()));
            } else if (emailBound.contains(about.channel) && suppressed.contains(SuppressedAddress.of(message.getEmail()))) {
                exit = Exit.of(ExitReason.SUPPRESSED);
            } else {
                exit = recent.check(message.getEmail(), message.getTriggerType(), about.channel); // counts it when it may go
            }
            if (exit != null) {
                exits.put(message.getId(), exit);
            }
        }
        // in the order of the messages
        Map<Long, Exit> ordered = new LinkedHashMap<Long, Exit>();
        for (PlannedMessageRow message : messages) {
            if (exits.containsKey(message.getId())) {
                ordered.put(message.getId(), exits.get(message.getId()));
            }
        }
        return ordered;
    }

    private static String triggerOf(MessageFacts facts) {
        return facts.triggerType == null ? PlannedMessageRow.ABANDONED_CART : facts.triggerType;
    }

    /** Marketing consent DENIED stops the channels the email suppression list applies to; SMS has its own consent. */
    private boolean consentWithdrawn(MessageFacts facts) {
        return emailBound.contains(facts.channel) && "DENIED".equals(facts.marketingConsent);
    }

    /** What stops the message whatever its channel and step: the campaign, the cart, the shopper's purchases. */
    private static ExitReason cartExit(PlannedMessageRow message, MessageFacts facts, Timestamp lastOrdered) {
        if (facts == null || !"ENABLED".equals(facts.campaignStatus)) {
            return ExitReason.CAMPAIGN_DISABLED;
        }
        if (PlannedMessageRow.BROWSE.equals(facts.triggerType)) {
            return browseExit(message, facts, lastOrdered);
        }
        if (PlannedMessageRow.POST_PURCHASE.equals(facts.triggerType)) {
            return postPurchaseExit(facts);
        }
        if (!"IN_RECOVERY".equals(facts.cartStatus)) {
            return ExitReason.CART_LEFT_RECOVERY;
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
        return null;
    }

    /**
     * A browse message stops once a product of its session is in the shopper's cart (the cart then belongs to cart
     * recovery) or the address ordered since the session's first view; also when its session is gone (erased).
     */
    private static ExitReason browseExit(PlannedMessageRow message, MessageFacts facts, Timestamp lastOrdered) {
        if (!"PLANNED".equals(facts.browseStatus)) {
            return ExitReason.BROWSE_SESSION_GONE;
        }
        if (facts.browsedInCart > 0) {
            return ExitReason.PRODUCT_ADDED_TO_CART;
        }
        if (lastOrdered != null && !lastOrdered.toInstant().isBefore(message.getAbandonedAt())) {
            return ExitReason.ORDERED_SINCE;
        }
        return null;
    }

    /** A post-purchase message follows a bought order: it stops when the order is gone or no longer SUBMITTED. */
    private static ExitReason postPurchaseExit(MessageFacts facts) {
        if (!facts.orderExists) {
            return ExitReason.CART_DELETED;
        }
        if (!"SUBMITTED".equals(facts.orderStatus)) {
            return ExitReason.CART_CLOSED;
        }
        return null;
    }

    private static Map<Long, MessageFacts> messageFacts(JdbcTemplate jdbc, List<PlannedMessageRow> messages) {
        final Map<Long, MessageFacts> facts = new HashMap<Long, MessageFacts>();
        List<Long> ids = new ArrayList<Long>();
        for (PlannedMessageRow message : messages) {
            ids.add(message.getId());
        }
        final List<Long> padded = SqlLists.padded(ids);
        jdbc.query(String.format(MESSAGE_FACTS, SqlLists.placeholders(padded.size())), new RowCallbackHandler() {
            @Override
            public void processRow(ResultSet rs) throws SQLException {
                MessageFacts row = new MessageFacts();
                row.channel = rs.getString("CHANNEL");
                row.campaignStatus = rs.getString("CAMPAIGN_STATUS");
                row.cartStatus = rs.getString("CART_STATUS");
                row.marketingConsent = rs.getString("CONSENT");
                row.smsConsent = rs.getString("SMS_CONSENT");
                row.hasPhone = rs.getInt("HAS_PHONE") == 1;
                row.total = rs.getBigDecimal("TOTAL");
                row.currency = rs.getString("CURRENCY_CODE");
                long customer = rs.getLong("CUSTOMER_ID");
                row.customerId = rs.wasNull() ? null : customer;
                row.registered = rs.getBoolean("IS_REGISTERED");
                rs.getLong("BLC_ORDER_ID");
                row.orderExists = !rs.wasNull();
                row.orderStatus = rs.getString("ORDER_STATUS");
                row.items = rs.getLong("ITEMS");
                row.copiesBought = rs.getLong("COPIES_BOUGHT");
                row.triggerType = rs.getString("TRIGGER_TYPE");
                row.browseStatus = rs.getString("BROWSE_STATUS");
                row.browsedInCart = rs.getLong("BROWSED_IN_CART");
                if (PlannedMessageRow.BROWSE.equals(row.triggerType) && rs.getLong("BROWSE_DENIED") > 0) {
                    row.marketingConsent = "DENIED";
                }
                facts.put(rs.getLong("ID"), row);
            }
        }, padded.toArray());
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
        List<String> padded = SqlLists.padded(emails);
        jdbc.query(String.format(query, SqlLists.placeholders(padded.size())), new RowCallbackHandler() {
            @Override
            public void processRow(ResultSet rs) throws SQLException {
                last.put(rs.getString(1), rs.getTimestamp(2));
            }
        }, padded.toArray());
        return last;
    }

    /** The suppression keys among these addresses (looked up and returned in {@link SuppressedAddress}'s form). */
    private static Set<String> suppressed(JdbcTemplate jdbc, Set<String> emails) {
        Set<String> suppressed = new HashSet<String>();
        if (emails.isEmpty()) {
            return suppressed;
        }
        Set<String> keys = new LinkedHashSet<String>();
        for (String email : emails) {
            keys.add(SuppressedAddress.of(email));
        }
        List<String> padded = SqlLists.padded(keys);
        for (String found : jdbc.queryForList(String.format(SUPPRESSED, SqlLists.placeholders(padded.size())),
                String.class, padded.toArray())) {
            suppressed.add(SuppressedAddress.of(found)); // a case-insensitive collation (MariaDB) may match another form
        }
        return suppressed;
    }
}
