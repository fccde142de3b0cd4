package io.github.cartrecovery.postpurchase;

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

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.cartrecovery.campaign.AudienceFacts;
import io.github.cartrecovery.campaign.Campaign;
import io.github.cartrecovery.campaign.CampaignRepository;
import io.github.cartrecovery.campaign.CampaignStep;
import io.github.cartrecovery.campaign.QuietHours;
import io.github.cartrecovery.campaign.ShopperTimeZones;
import io.github.cartrecovery.campaign.TriggerType;
import io.github.cartrecovery.messages.MessageEvents;
import io.github.cartrecovery.messages.PlannedMessages;
import io.github.cartrecovery.metrics.PluginMetrics;
import io.github.cartrecovery.personaldata.PersonalDataMask;
import io.github.cartrecovery.suppression.SuppressedAddress;

/**
 * Plans one follow-up per bought order: once an order has been bought for {@code cartrecovery.post-purchase.delay-hours}
 * (the captured cart PURCHASED, or RECOVERED; only RECOVERED with {@code cartrecovery.post-purchase.only-recovered}),
 * the highest-priority enabled POST_PURCHASE campaign that applies gets one CR_PLANNED_MESSAGE per step for the order
 * (TRIGGER_TYPE POST_PURCHASE, ORDER_ID the bought order), the first due then plus its delay, out of quiet hours.
 * Not for an order without an address, a suppressed address or one whose marketing consent is DENIED (suppression and
 * consent are checked again at send time), nor when no campaign applies. While no POST_PURCHASE campaign is enabled,
 * orders are left undecided, so enabling one reaches the orders bought within the look-back.
 * <p>
 * Guarantees: each order is decided once on all nodes together: the decision is the primary key of CR_POST_PURCHASE,
 * inserted first in the order's transaction (a second node's insert fails, it finds the order decided and moves on;
 * after any other failure the order stays undecided for the next run, logged), backed by
 * UQ_CR_PLANNED_ORDER_STEP. Its cost follows the orders bought within the look-back (IX_CR_CART_STATUS_CHANGED).
 */
public class PostPurchasePlanner {

    private static final Log LOG = LogFactory.getLog(PostPurchasePlanner.class);

    static final String DUE = "SELECT c.ORDER_ID FROM CR_CAPTURED_CART c WHERE c.STATUS IN (%s) "
            + "AND c.STATUS_CHANGED_AT > ? AND c.STATUS_CHANGED_AT <= ? "
            + "AND NOT EXISTS (SELECT 1 FROM CR_POST_PURCHASE p WHERE p.ORDER_ID = c.ORDER_ID) "
            + "ORDER BY c.STATUS_CHANGED_AT, c.ORDER_ID";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final CampaignRepository campaigns;
    private final Clock clock;
    private final QuietHours quietHours;
    private final ShopperTimeZones timeZones;
    private final Duration delay;
    private final boolean onlyRecovered;
    private final Duration lookBack;
    private final int batchSize;
    private volatile PluginMetrics metrics = PluginMetrics.inMemory();

    public PostPurchasePlanner(DataSource dataSource, PlatformTransactionManager transactionManager,
                               CampaignRepository campaigns, Clock clock, QuietHours quietHours,
                               ShopperTimeZones timeZones, int delayHours, boolean onlyRecovered, int lookBackDays,
                               int batchSize) {
        if (delayHours < 0) {
            throw new IllegalArgumentException("cartrecovery.post-purchase.delay-hours must not be negative, was " + delayHours);
        }
        if (lookBackDays < 1) {
            throw new IllegalArgumentException("cartrecovery.post-purchase.look-back-days must be at least 1, was " + lookBackDays);
        }
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = new TransactionTemplate(transactionManager);
        this.campaigns = campaigns;
        this.clock = clock;
        this.quietHours = quietHours;
        this.timeZones = timeZones;
        this.delay = Duration.ofHours(delayHours);
        this.onlyRecovered = onlyRecovered;
        this.lookBack = Duration.ofDays(lookBackDays);
        this.batchSize = batchSize;
    }

    /** Where the plugin counts what happens (bean crMetrics); in memory only until set. */
    public void setMetrics(PluginMetrics metrics) {
        this.metrics = metrics;
    }

    /** Decides the orders bought long enough ago (up to the batch size); returns how many got a message planned. */
    public int planDue() {
        final List<Campaign> enabled = campaigns.enabledByPriority(TriggerType.POST_PURCHASE);
        if (enabled.isEmpty()) {
            return 0;
        }
        final Instant now = clock.instant();
        Instant boughtBy = now.minus(delay);
        JdbcTemplate batch = new JdbcTemplate(jdbc.getDataSource());
        batch.setMaxRows(batchSize);
        List<Long> due = batch.queryForList(String.format(DUE, onlyRecovered ? "'RECOVERED'" : "'PURCHASED', 'RECOVERED'"),
                Long.class, ts(boughtBy.minus(lookBack)), ts(boughtBy));
        int planned = 0;
        for (final Long orderId : due) {
            Boolean done;
            try {
                done = transactions.execute(new TransactionCallback<Boolean>() {
                    @Override
                    public Boolean doInTransaction(TransactionStatus status) {
                        return plan(orderId, enabled, now);
                    }
                });
            } catch (RuntimeException e) {
                // PK_CR_POST_PURCHASE refused the decision: another node decided this order first (reported as Spring's
                // DataIntegrityViolationException or, through the JPA transaction manager, Hibernate's own exception)
                if (!decided(orderId)) {
                    // nothing was written (one transaction): the order is tried again next run, the others go on
                    LOG.warn("Cart Recovery could not plan the post-purchase follow-up of order " + orderId
                            + "; will retry: " + PersonalDataMask.failure(e));
                }
                continue;
            }
            if (Boolean.TRUE.equals(done)) {
                planned++;
            }
        }
        return planned;
    }

    private boolean plan(long orderId, List<Campaign> enabled, Instant now) {
        jdbc.update("INSERT INTO CR_POST_PURCHASE (ORDER_ID, OUTCOME, DECIDED_AT) VALUES (?, 'PLANNED', ?)", orderId, ts(now));
        Map<String, Object> order = jdbc.queryForMap("SELECT c.EMAIL, c.MARKETING_CONSENT, c.LOCALE_CODE, c.CURRENCY_CODE, "
                + "c.SITE_ID, c.ITEM_COUNT, c.TOTAL, c.STATUS_CHANGED_AT, u.IS_REGISTERED FROM CR_CAPTURED_CART c "
                + "LEFT JOIN BLC_CUSTOMER u ON u.CUSTOMER_ID = c.CUSTOMER_ID WHERE c.ORDER_ID = ?", orderId);
        String email = order.get("EMAIL") == null ? "" : ((String) order.get("EMAIL")).trim().toLowerCase(Locale.ROOT);
        if (email.isEmpty()) {
            return exclude(orderId, "no email address");
        }
        if ("DENIED".equals(order.get("MARKETING_CONSENT"))) {
            return exclude(orderId, "marketing consent denied");
        }
        if (jdbc.queryForObject("SELECT COUNT(*) FROM CR_SUPPRESSION WHERE EMAIL = ?", Integer.class,
                SuppressedAddress.of(email)) > 0) {
            return exclude(orderId, "suppressed");
        }
        String localeCode = (String) order.get("LOCALE_CODE");
        Long siteId = order.get("SITE_ID") == null ? null : ((Number) order.get("SITE_ID")).longValue();
        AudienceFacts facts = new AudienceFacts((BigDecimal) order.get("TOTAL"), (String) order.get("CURRENCY_CODE"),
                ((Number) order.get("ITEM_COUNT")).intValue(), localeCode, Boolean.TRUE.equals(order.get("IS_REGISTERED")),
                true);
        Campaign chosen = null;
        for (Campaign campaign : enabled) {
            if (campaign.appliesTo(facts, now)) {
                chosen = campaign;
                break;
            }
        }
        if (chosen == null) {
            return exclude(orderId, "no matching campaign");
        }
        ZoneId zone = timeZones.zoneFor(siteId, localeCode);
        Instant bought = ((Timestamp) order.get("STATUS_CHANGED_AT")).toInstant();
        Instant previous = bought.plus(delay).isAfter(now) ? bought.plus(delay) : now;
        for (CampaignStep step : chosen.getSteps()) {
            Instant due = quietHours.nextAllowed(previous.plus(Duration.ofMinutes(step.getDelayMinutes())), zone);
            PlannedMessages.planTriggered(jdbc, TriggerType.POST_PURCHASE.name(), orderId, null, chosen.getId(),
                    step.getId(), step.getStepNo(), email, localeCode, step.getChannel(), due, now);
            metrics.messagePlanned(step.getChannel());
            previous = due;
        }
        MessageEvents.recordPlanned(jdbc, orderId, chosen.getId(), now);
        return true;
    }

    private boolean decided(long orderId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM CR_POST_PURCHASE WHERE ORDER_ID = ?", Integer.class, orderId) > 0;
    }

    private boolean exclude(long orderId, String reason) {
        jdbc.update("UPDATE CR_POST_PURCHASE SET OUTCOME = 'EXCLUDED', REASON = ? WHERE ORDER_ID = ?", reason, orderId);
        return false;
    }

    private static Timestamp ts(Instant instant) {
        return new Timestamp(instant.toEpochMilli());
    }
}
