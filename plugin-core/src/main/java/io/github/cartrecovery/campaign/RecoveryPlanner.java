package io.github.cartrecovery.campaign;

import io.github.cartrecovery.messages.MessageEvents;
import io.github.cartrecovery.messages.PlannedMessages;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.cartrecovery.capture.CartStatusTransitions;
import io.github.cartrecovery.experiment.bandit.EngagementHours;
import io.github.cartrecovery.experiment.bandit.HighValueThresholds;
import io.github.cartrecovery.experiment.bandit.Segment;
import io.github.cartrecovery.metrics.PluginMetrics;

/**
 * Turns abandoned carts into planned messages: for each cart with STATUS 'ABANDONED' it chooses the
 * highest-priority matching campaign and writes one CR_PLANNED_MESSAGE row per step, due at the step's
 * delay (cumulative: step 1 from abandonment, each later step from the one before) moved out of quiet
 * hours in the shopper's time zone, and records a PLANNED event for each in CR_MESSAGE_EVENT. The cart
 * moves to IN_RECOVERY, or EXCLUDED when no campaign matches,
 * or HELD_OUT when the campaign's running experiment puts it in its holdout (an {@link ArmChooser} assigns and records
 * the arm first; a treated arm may leave steps out, or change their delay or channel),
 * the address had recovery messages planned for another cart within the cooldown, or it has no address.
 * Each cart's {@link Segment} (new or returning shopper, standard or high-value cart, the band of the shopper's local
 * hour) goes to the arm chooser (a BANDIT experiment learns per segment) and, without the hour band, onto its messages
 * (CR_PLANNED_MESSAGE.SEGMENT_KEY). With a {@link LearnedSendTime} a step may go out a few hours after its delay, at
 * the hour the shopper (or their segment) engaged most; quiet hours still win.
 *
 * <p>Guarantees: runs on every node at once without planning a cart twice (each cart is taken by a
 * conditional {@code UPDATE ... WHERE STATUS = 'ABANDONED'}, and UNIQUE(ORDER_ID, STEP_ID) backs it up);
 * each cart is planned in one transaction, so it ends fully planned or still ABANDONED.
 */
public class RecoveryPlanner {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final CampaignRepository campaigns;
    private final Clock clock;
    private final QuietHours quietHours;
    private final ShopperTimeZones timeZones;
    private final Duration cooldown;
    private final int batchSize;
    private final OrderHistory orderHistory = new OrderHistory();

    private volatile PluginMetrics metrics = PluginMetrics.inMemory();
    private volatile ArmChooser arms;
    private volatile HighValueThresholds highValue = HighValueThresholds.none();
    private volatile LearnedSendTime sendTimes;

    public RecoveryPlanner(DataSource dataSource, PlatformTransactionManager transactionManager,
                           CampaignRepository campaigns, Clock clock, QuietHours quietHours,
                           ShopperTimeZones timeZones, int cooldownHours, int batchSize) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.transactions = new TransactionTemplate(transactionManager);
        this.campaigns = campaigns;
        this.clock = clock;
        this.quietHours = quietHours;
        this.timeZones = timeZones;
        this.cooldown = Duration.ofHours(cooldownHours);
        this.batchSize = batchSize;
    }

    /** Where the plugin counts what happens (bean crMetrics); in memory only until set. */
    public void setMetrics(PluginMetrics metrics) {
        this.metrics = metrics;
    }

    /** The experiments' arm assignment (bean crArmAssignments); without it every cart is planned as its campaign says. */
    public void setArms(ArmChooser arms) {
        this.arms = arms;
    }

    /** From which cart total a cart is high value, per currency (cartrecovery.experiments.high-value-thresholds). */
    public void setHighValueThresholds(HighValueThresholds thresholds) {
        this.highValue = thresholds;
    }

    /** The learned send time (bean crLearnedSendTime); null (the default) or disabled plans every step at its delay. */
    public void setSendTimes(LearnedSendTime learned) {
        this.sendTimes = learned;
    }

    /** Plans every abandoned cart (up to the batch size); returns how many carts got messages planned. */
    public int planDue() {
        JdbcTemplate batch = new JdbcTemplate(jdbc.getDataSource());
        batch.setMaxRows(batchSize);
        List<Long> due = batch.queryForList(
                "SELECT ORDER_ID FROM CR_CAPTURED_CART WHERE STATUS = 'ABANDONED' ORDER BY ABANDONED_AT", Long.class);
        if (due.isEmpty()) {
            return 0;
        }
        final List<Campaign> enabled = campaigns.enabledByPriority();
        int planned = 0;
        for (final Long orderId : due) {
            Boolean done = transactions.execute(new TransactionCallback<Boolean>() {
                @Override
                public Boolean doInTransaction(TransactionStatus status) {
                    return plan(orderId, enabled);
                }
            });
            if (Boolean.TRUE.equals(done)) {
                planned++;
            }
        }
        return planned;
    }

    private boolean plan(long orderId, List<Campaign> enabled) {
        Instant now = clock.instant();
        boolean taken = new CartStatusTransitions(jdbc).startRecovery(orderId, now);
        if (!taken) {
            return false; // another node planned it
        }
        AbandonedCart cart = jdbc.queryForObject("SELECT ORDER_ID, CUSTOMER_ID, EMAIL, LOCALE_CODE, CURRENCY_CODE, "
                + "SITE_ID, ITEM_COUNT, TOTAL, ABANDONED_AT FROM CR_CAPTURED_CART WHERE ORDER_ID = ?",
                new AbandonedCartMapper(now), orderId);
        if (cart.email == null || cart.email.trim().isEmpty()) {
            return exclude(orderId, "no email address", now);
        }
        String email = cart.email.trim().toLowerCase(Locale.ROOT);
        // another cart's sequence, not an alert of another trigger (those count towards the frequency caps instead)
        int recent = jdbc.queryForObject("SELECT COUNT(*) FROM CR_PLANNED_MESSAGE WHERE EMAIL = ? AND ORDER_ID <> ? "
                + "AND CREATED_AT > ? AND TRIGGER_TYPE = 'ABANDONED_CART'", Integer.class, email, orderId, ts(now.minus(cooldown)));
        if (recent > 0) {
            return exclude(orderId, "cooldown: recovery messages were planned for this address within "
                    + cooldown.toHours() + " h", now);
        }
        OrderHistory.Orders before = orderHistory.of(jdbc, orderId, cart.customerId, email);
        AudienceFacts facts = new AudienceFacts(cart.total, cart.currencyCode, cart.itemCount, cart.localeCode,
                isRegistered(cart.customerId), before.getCount() > 0, cart.siteId, before.getSpentByCurrency());
        Campaign chosen = null;
        for (Campaign campaign : enabled) {
            if (campaign.appliesTo(facts, now)) {
                chosen = campaign;
                break;
            }
        }
        if (chosen == null) {
            return exclude(orderId, "no matching campaign", now);
        }
        ZoneId zone = timeZones.zoneFor(cart.siteId, cart.localeCode);
        Segment segment = Segment.of(facts.isReturning(), cart.total, cart.currencyCode, highValue,
                now.atZone(zone).getHour());
        // recorded before any message, so later exclusions (unsubscribe, purchase, erasure) cannot bias the arms
        CartArm arm = arms == null ? CartArm.CAMPAIGN : arms.choose(jdbc, chosen, orderId, email, segment, now);
        if (arm.isHeldOut()) {
            new CartStatusTransitions(jdbc).holdOut(orderId, now);
            return false;
        }
        LearnedSendTime learned = sendTimes != null && sendTimes.isEnabled() ? sendTimes : null;
        EngagementHours shopperHours = learned == null ? null : learned.shopper(jdbc, email, zone);
        EngagementHours segmentHours = learned == null ? null
                : learned.segment(jdbc, segment.withoutHourBand().key(), now);
        Instant previous = cart.abandonedAt;
        for (CampaignStep step : chosen.getSteps()) {
            if (!arm.plans(step)) {
                continue; // the arm leaves the step out: the next step's delay counts from the one before it
            }
            String channel = arm.channel(step);
            Instant due = learned == null
                    ? quietHours.nextAllowed(previous.plus(Duration.ofMinutes(arm.delayMinutes(step))), zone)
                    : learned.choose(previous, zone, arm.delayMinutes(step), shopperHours, segmentHours, quietHours)
                            .getSendAt();
            PlannedMessages.plan(jdbc, orderId, chosen.getId(), step.getId(), step.getStepNo(), email, cart.localeCode,
                    channel, arm.getArmId(), due, now);
            metrics.messagePlanned(channel);
            previous = due;
        }
        jdbc.update("UPDATE CR_PLANNED_MESSAGE SET SEGMENT_KEY = ? WHERE ORDER_ID = ?", segment.withoutHourBand().key(),
                orderId);
        // the event log starts here: one PLANNED event per message, in the planning transaction
        MessageEvents.recordPlanned(jdbc, orderId, chosen.getId(), now);
        return true;
    }

    private boolean exclude(long orderId, String reason, Instant now) {
        new CartStatusTransitions(jdbc).exclude(orderId, reason, now);
        return false;
    }

    private boolean isRegistered(Long customerId) {
        return OrderHistory.isRegistered(jdbc, customerId);
    }

    private static Timestamp ts(Instant instant) {
        return new Timestamp(instant.toEpochMilli());
    }

    private static final class AbandonedCart {
        Long customerId;
        String email;
        String localeCode;
        String currencyCode;
        Long siteId;
        int itemCount;
        BigDecimal total;
        Instant abandonedAt;
    }

    private static final class AbandonedCartMapper implements RowMapper<AbandonedCart> {
        private final Instant now;

        AbandonedCartMapper(Instant now) {
            this.now = now;
        }

        @Override
        public AbandonedCart mapRow(ResultSet rs, int rowNum) throws SQLException {
            AbandonedCart cart = new AbandonedCart();
            cart.customerId = (Long) nullableLong(rs, "CUSTOMER_ID");
            cart.email = rs.getString("EMAIL");
            cart.localeCode = rs.getString("LOCALE_CODE");
            cart.currencyCode = rs.getString("CURRENCY_CODE");
            cart.siteId = nullableLong(rs, "SITE_ID");
            cart.itemCount = rs.getInt("ITEM_COUNT");
            cart.total = rs.getBigDecimal("TOTAL");
            Timestamp abandoned = rs.getTimestamp("ABANDONED_AT");
            cart.abandonedAt = abandoned == null ? now : abandoned.toInstant();
            return cart;
        }

        private static Long nullableLong(ResultSet rs, String column) throws SQLException {
            long value = rs.getLong(column);
            return rs.wasNull() ? null : value;
        }
    }
}
