package io.github.cartrecovery.campaign;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.cartrecovery.messages.MessageEvents;
import io.github.cartrecovery.messages.PlannedMessages;
import io.github.cartrecovery.metrics.PluginMetrics;

/**
 * Plans the alert of one event of an abandoned cart (a price drop, a return to stock): records the event in
 * CR_TRIGGER_EVENT under its key, picks the highest-priority enabled campaign of the event's {@link TriggerType} whose
 * audience conditions match the cart, and writes one CR_PLANNED_MESSAGE row per step (TRIGGER_TYPE and
 * TRIGGER_EVENT_ID set; step 1 due at its delay from now, each later step from the one before, moved out of quiet hours),
 * with a PLANNED event each. From there delivery treats the messages like every other: consent, suppression, frequency
 * caps, exit rules at send time, exactly-once hand-over, attribution.
 *
 * <p>Guarantees: one event is planned at most once, on any number of nodes: the event row and its messages are written
 * in one transaction, and a second insert of the same key (UQ_CR_TRIGGER_EVENT_KEY) rolls that transaction back.
 * Experiments do not apply to trigger campaigns (no arm is chosen).
 */
public class TriggerPlanner {

    /** What became of an event. */
    public enum Outcome {
        /** Messages planned from a campaign. */
        PLANNED,
        /** Recorded; no enabled campaign of the trigger type matched the cart. */
        NO_CAMPAIGN,
        /** Recorded; the cart has no address. */
        NO_EMAIL,
        /** Already recorded (by another node, or an earlier run): nothing written. */
        ALREADY_KNOWN
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final CampaignRepository campaigns;
    private final Clock clock;
    private final QuietHours quietHours;
    private final ShopperTimeZones timeZones;
    private final OrderHistory orderHistory = new OrderHistory();
    private volatile PluginMetrics metrics = PluginMetrics.inMemory();

    public TriggerPlanner(DataSource dataSource, PlatformTransactionManager transactionManager, CampaignRepository campaigns,
                          Clock clock, QuietHours quietHours, ShopperTimeZones timeZones) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = new TransactionTemplate(transactionManager);
        this.campaigns = campaigns;
        this.clock = clock;
        this.quietHours = quietHours;
        this.timeZones = timeZones;
    }

    public void setMetrics(PluginMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * Records the event and plans its alert, in one transaction of its own (so a duplicate key on PostgreSQL spoils
     * nothing else). {@code enabled}: the enabled campaigns of the trigger type, highest priority first (read once per
     * run by the caller), or null to read them here.
     */
    public Outcome plan(final TriggerType trigger, final String eventKey, final long orderId, final long skuId,
                        final BigDecimal priceBefore, final BigDecimal priceNow, final List<Campaign> enabled) {
        try {
            return transactions.execute(new TransactionCallback<Outcome>() {
                @Override
                public Outcome doInTransaction(TransactionStatus status) {
                    return planInTransaction(trigger, eventKey, orderId, skuId, priceBefore, priceNow,
                            enabled != null ? enabled : campaigns.enabledByPriority(trigger));
                }
            });
        } catch (RuntimeException e) {
            // the key was inserted first elsewhere (Hibernate's transaction manager reports it as its own
            // ConstraintViolationException, Spring's JDBC as DuplicateKeyException): the whole transaction is undone
            if (e instanceof DuplicateKeyException || known(eventKey)) {
                return Outcome.ALREADY_KNOWN;
            }
            throw e;
        }
    }

    private boolean known(String eventKey) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM CR_TRIGGER_EVENT WHERE EVENT_KEY = ?", Integer.class, eventKey) > 0;
    }

    private Outcome planInTransaction(TriggerType trigger, String eventKey, long orderId, long skuId,
                                      BigDecimal priceBefore, BigDecimal priceNow, List<Campaign> enabled) {
        Instant now = clock.instant();
        List<Map<String, Object>> carts = jdbc.queryForList("SELECT CUSTOMER_ID, EMAIL, LOCALE_CODE, CURRENCY_CODE, "
                + "SITE_ID, ITEM_COUNT, TOTAL FROM CR_CAPTURED_CART WHERE ORDER_ID = ?", orderId);
        if (carts.isEmpty()) {
            return Outcome.ALREADY_KNOWN; // erased meanwhile: nothing to record about it
        }
        Map<String, Object> cart = carts.get(0);
        String currency = (String) cart.get("CURRENCY_CODE");
        jdbc.update("INSERT INTO CR_TRIGGER_EVENT (EVENT_KEY, TRIGGER_TYPE, ORDER_ID, SKU_ID, CURRENCY_CODE, PRICE_BEFORE, "
                + "PRICE_NOW, OUTCOME, DETECTED_AT) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", eventKey, trigger.name(), orderId,
                skuId, currency, priceBefore, priceNow, Outcome.NO_CAMPAIGN.name(), ts(now));
        long eventId = jdbc.queryForObject("SELECT ID FROM CR_TRIGGER_EVENT WHERE EVENT_KEY = ?", Long.class, eventKey);
        String rawEmail = (String) cart.get("EMAIL");
        if (rawEmail == null || rawEmail.trim().isEmpty()) {
            return outcome(eventId, Outcome.NO_EMAIL, null);
        }
        String email = rawEmail.trim().toLowerCase(Locale.ROOT);
        Long customerId = longOrNull(cart.get("CUSTOMER_ID"));
        Long siteId = longOrNull(cart.get("SITE_ID"));
        String locale = (String) cart.get("LOCALE_CODE");
        OrderHistory.Orders before = orderHistory.of(jdbc, orderId, customerId, email);
        AudienceFacts facts = new AudienceFacts((BigDecimal) cart.get("TOTAL"), currency,
                ((Number) cart.get("ITEM_COUNT")).intValue(), locale, isRegistered(customerId), before.getCount() > 0,
                siteId, before.getSpentByCurrency());
        Campaign chosen = null;
        for (Campaign campaign : enabled) {
            if (campaign.getTriggerType() == trigger && campaign.appliesTo(facts, now)) {
                chosen = campaign;
                break;
            }
        }
        if (chosen == null) {
            return outcome(eventId, Outcome.NO_CAMPAIGN, null);
        }
        ZoneId zone = timeZones.zoneFor(siteId, locale);
        Instant previous = now;
        for (CampaignStep step : chosen.getSteps()) {
            Instant due = quietHours.nextAllowed(previous.plus(Duration.ofMinutes(step.getDelayMinutes())), zone);
            PlannedMessages.planTriggered(jdbc, orderId, chosen.getId(), step.getId(), step.getStepNo(), email, locale,
                    step.getChannel(), trigger.name(), eventId, due, now);
            metrics.messagePlanned(step.getChannel());
            previous = due;
        }
        MessageEvents.recordPlanned(jdbc, orderId, chosen.getId(), now);
        return outcome(eventId, Outcome.PLANNED, chosen.getId());
    }

    private Outcome outcome(long eventId, Outcome outcome, Long campaignId) {
        jdbc.update("UPDATE CR_TRIGGER_EVENT SET OUTCOME = ?, CAMPAIGN_ID = ? WHERE ID = ?", outcome.name(), campaignId, eventId);
        return outcome;
    }

    private boolean isRegistered(Long customerId) {
        return OrderHistory.isRegistered(jdbc, customerId);
    }

    private static Long longOrNull(Object value) {
        return value == null ? null : ((Number) value).longValue();
    }

    private static Timestamp ts(Instant instant) {
        return new Timestamp(instant.toEpochMilli());
    }
}
