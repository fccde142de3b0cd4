package io.github.cartrecovery.browse;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

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
import io.github.cartrecovery.suppression.SuppressedAddress;

/**
 * Turns browse sessions idle past {@code cartrecovery.browse.idle-minutes} into planned messages of the
 * highest-priority enabled BROWSE campaign that applies (one CR_PLANNED_MESSAGE per step, referring to the session by
 * BROWSE_SESSION_ID, no order), due at the step's delay from the last view, moved out of quiet hours. A session is
 * EXCLUDED instead, with the reason, when: browse emails are switched off; the shopper has a cart with items active
 * since the first view (that cart belongs to cart recovery) or bought since; the address denied marketing; the address is suppressed; marketing
 * consent is required ({@code cartrecovery.browse.require-marketing-consent}) and neither a captured cart of the
 * address granted it nor a registered customer kept Broadleaf's email opt-in (BLC_CUSTOMER.RECEIVE_EMAIL); the
 * address had a browse email planned within {@code cartrecovery.browse.period-hours}; or no campaign applies.
 * <p>
 * Guarantees: runs on every node at once without planning a session twice (each is taken by a conditional
 * {@code UPDATE ... WHERE STATUS = 'BROWSING' AND LAST_VIEW_AT <= ?}, backed by UQ_CR_PLANNED_BROWSE_STEP); each
 * session is decided in one transaction. A view arriving after the take opens a new session.
 */
public class BrowsePlanner {

    /** Captured carts of the address with items, touched since the session's first view (IX_CR_CART_EMAIL). */
    static final String CART_SINCE = "SELECT COUNT(*) FROM CR_CAPTURED_CART WHERE EMAIL = ? "
            + "AND ITEM_COUNT > 0 AND LAST_ACTIVITY >= ?";
    /** Broadleaf's own carts of the customer with items, changed since the first view (ORDER_CUSTOMER_INDEX). */
    static final String CUSTOMER_CART_SINCE = "SELECT COUNT(*) FROM BLC_ORDER o WHERE o.CUSTOMER_ID = ? "
            + "AND o.ORDER_STATUS = 'IN_PROCESS' AND o.NAME IS NULL "
            + "AND EXISTS (SELECT 1 FROM BLC_ORDER_ITEM i WHERE i.ORDER_ID = o.ORDER_ID) "
            + "AND (o.DATE_UPDATED >= ? OR o.DATE_CREATED >= ?)";
    /** Broadleaf's own orders of the customer submitted since the first view (capture is buffered; this is not). */
    static final String ORDERED_SINCE = "SELECT COUNT(*) FROM BLC_ORDER WHERE CUSTOMER_ID = ? AND ORDER_STATUS = 'SUBMITTED' "
            + "AND SUBMIT_DATE >= ?";
    /** A browse email of this address within the period (IX_CR_BROWSE_EMAIL). */
    static final String BROWSE_EMAIL_WITHIN = "SELECT COUNT(*) FROM CR_BROWSE_SESSION WHERE EMAIL = ? AND STATUS = 'PLANNED' "
            + "AND ID <> ? AND STATUS_CHANGED_AT > ?";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final BrowseSessions sessions;
    private final CampaignRepository campaigns;
    private final Clock clock;
    private final QuietHours quietHours;
    private final ShopperTimeZones timeZones;
    private final boolean enabled;
    private final Duration idle;
    private final Duration period;
    private final boolean consentRequired;
    private final int batchSize;
    private volatile PluginMetrics metrics = PluginMetrics.inMemory();

    public BrowsePlanner(DataSource dataSource, PlatformTransactionManager transactionManager, BrowseSessions sessions,
                         CampaignRepository campaigns, Clock clock, QuietHours quietHours, ShopperTimeZones timeZones,
                         boolean enabled, int idleMinutes, int periodHours, boolean consentRequired, int batchSize) {
        if (idleMinutes < 1) {
            throw new IllegalArgumentException("cartrecovery.browse.idle-minutes must be at least 1, was " + idleMinutes);
        }
        if (periodHours < 0) {
            throw new IllegalArgumentException("cartrecovery.browse.period-hours must not be negative, was " + periodHours);
        }
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = new TransactionTemplate(transactionManager);
        this.sessions = sessions;
        this.campaigns = campaigns;
        this.clock = clock;
        this.quietHours = quietHours;
        this.timeZones = timeZones;
        this.enabled = enabled;
        this.idle = Duration.ofMinutes(idleMinutes);
        this.period = Duration.ofHours(periodHours);
        this.consentRequired = consentRequired;
        this.batchSize = batchSize;
    }

    /** Where the plugin counts what happens (bean crMetrics); in memory only until set. */
    public void setMetrics(PluginMetrics metrics) {
        this.metrics = metrics;
    }

    /** Decides every idle session (up to the batch size); returns how many got messages planned. */
    public int planDue() {
        final Instant now = clock.instant();
        final Instant idleBefore = now.minus(idle);
        JdbcTemplate batch = new JdbcTemplate(jdbc.getDataSource());
        batch.setMaxRows(batchSize);
        List<Long> due = batch.queryForList("SELECT ID FROM CR_BROWSE_SESSION WHERE STATUS = 'BROWSING' "
                + "AND LAST_VIEW_AT <= ? ORDER BY LAST_VIEW_AT", Long.class, ts(idleBefore));
        if (due.isEmpty()) {
            return 0;
        }
        final List<Campaign> enabledCampaigns = campaigns.enabledByPriority(TriggerType.BROWSE);
        int planned = 0;
        for (final Long sessionId : due) {
            Boolean done = transactions.execute(new TransactionCallback<Boolean>() {
                @Override
                public Boolean doInTransaction(TransactionStatus status) {
                    return plan(sessionId, enabledCampaigns, idleBefore, now);
                }
            });
            if (Boolean.TRUE.equals(done)) {
                planned++;
            }
        }
        return planned;
    }

    private boolean plan(long sessionId, List<Campaign> enabledCampaigns, Instant idleBefore, Instant now) {
        if (!sessions.take(sessionId, idleBefore, now)) {
            return false; // another node took it, or the shopper is browsing again
        }
        Map<String, Object> session = jdbc.queryForMap("SELECT s.EMAIL, s.CUSTOMER_ID, s.LOCALE_CODE, s.CURRENCY_CODE, "
                + "s.FIRST_VIEW_AT, s.LAST_VIEW_AT, u.IS_REGISTERED, "
                + "(SELECT COUNT(*) FROM CR_BROWSE_PRODUCT p WHERE p.SESSION_ID = s.ID) AS PRODUCTS "
                + "FROM CR_BROWSE_SESSION s LEFT JOIN BLC_CUSTOMER u ON u.CUSTOMER_ID = s.CUSTOMER_ID WHERE s.ID = ?", sessionId);
        String email = (String) session.get("EMAIL");
        Long customerId = session.get("CUSTOMER_ID") == null ? null : ((Number) session.get("CUSTOMER_ID")).longValue();
        String localeCode = (String) session.get("LOCALE_CODE");
        Instant firstView = ((Timestamp) session.get("FIRST_VIEW_AT")).toInstant();
        Instant lastView = ((Timestamp) session.get("LAST_VIEW_AT")).toInstant();
        String reason = exclusion(sessionId, email, customerId, firstView, now);
        Campaign chosen = null;
        if (reason == null) {
            AudienceFacts facts = new AudienceFacts(null, (String) session.get("CURRENCY_CODE"),
                    ((Number) session.get("PRODUCTS")).intValue(), localeCode, Boolean.TRUE.equals(session.get("IS_REGISTERED")),
                    false);
            for (Campaign campaign : enabledCampaigns) {
                if (campaign.appliesTo(facts, now)) {
                    chosen = campaign;
                    break;
                }
            }
            reason = chosen == null ? "no matching campaign" : null;
        }
        if (reason != null) {
            sessions.exclude(sessionId, reason, now);
            return false;
        }
        ZoneId zone = timeZones.zoneFor(null, localeCode);
        Instant previous = lastView;
        for (CampaignStep step : chosen.getSteps()) {
            Instant due = quietHours.nextAllowed(previous.plus(Duration.ofMinutes(step.getDelayMinutes())), zone);
            PlannedMessages.planTriggered(jdbc, TriggerType.BROWSE.name(), null, sessionId, chosen.getId(), step.getId(),
                    step.getStepNo(), email, localeCode, step.getChannel(), due, now);
            metrics.messagePlanned(step.getChannel());
            previous = due;
        }
        MessageEvents.recordPlannedForBrowse(jdbc, sessionId, chosen.getId(), now);
        return true;
    }

    /** Why this session gets no browse email, or null. */
    private String exclusion(long sessionId, String email, Long customerId, Instant firstView, Instant now) {
        if (!enabled) {
            return "browse emails are switched off (cartrecovery.browse.enabled)";
        }
        if (count(CART_SINCE, email, ts(firstView)) > 0
                || (customerId != null && count(CUSTOMER_CART_SINCE, customerId, ts(firstView), ts(firstView)) > 0)) {
            return "added to a cart: cart recovery's";
        }
        if (customerId != null && count(ORDERED_SINCE, customerId, ts(firstView)) > 0) {
            return "ordered since the first view";
        }
        if (count("SELECT COUNT(*) FROM CR_SUPPRESSION WHERE EMAIL = ?", SuppressedAddress.of(email)) > 0) {
            return "suppressed";
        }
        if (count("SELECT COUNT(*) FROM CR_CAPTURED_CART WHERE EMAIL = ? AND MARKETING_CONSENT = 'DENIED'", email) > 0) {
            return "marketing consent denied";
        }
        if (consentRequired && count("SELECT COUNT(*) FROM CR_CAPTURED_CART WHERE EMAIL = ? "
                + "AND MARKETING_CONSENT = 'GRANTED'", email) == 0
                // Broadleaf sets RECEIVE_EMAIL for every new customer: only a registered customer's flag says anything
                && (customerId == null || count("SELECT COUNT(*) FROM BLC_CUSTOMER WHERE CUSTOMER_ID = ? "
                + "AND IS_REGISTERED = ? AND RECEIVE_EMAIL = ?", customerId, Boolean.TRUE, Boolean.TRUE) == 0)) {
            return "no marketing consent (cartrecovery.browse.require-marketing-consent)";
        }
        if (count(BROWSE_EMAIL_WITHIN, email, sessionId, ts(now.minus(period))) > 0) {
            return "a browse email was planned for this address within " + period.toHours() + " h";
        }
        return null;
    }

    private int count(String sql, Object... args) {
        Integer count = jdbc.queryForObject(sql, Integer.class, args);
        return count == null ? 0 : count;
    }

    private static Timestamp ts(Instant instant) {
        return new Timestamp(instant.toEpochMilli());
    }
}
