package io.github.cartrecovery.campaign;

import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;

import io.github.cartrecovery.experiment.bandit.EngagementHours;
import io.github.cartrecovery.experiment.bandit.SendTimeChoice;
import io.github.cartrecovery.experiment.bandit.SendTimeLearner;

/**
 * The planner's learned send time ({@code cartrecovery.send-time.learned.*}): a step may go out up to
 * {@code max-shift-hours} whole hours after its delay (as the campaign or the cart's experiment arm has it), at the
 * local hour the shopper opened or clicked earlier messages most, or their segment's while they have too few
 * ({@link SendTimeLearner}). Quiet hours still win: every candidate is moved out of them before it is scored.
 *
 * <p>What it reads: the shopper's last {@value #SHOPPER_EVENTS} opens and clicks (their messages by address, then
 * each message's events), in the current cart's time zone; and, per segment (CR_PLANNED_MESSAGE.SEGMENT_KEY, which the
 * planner writes), the opens and clicks of the last {@value #SEGMENT_DAYS} days, each in its own shopper's zone, kept
 * for {@code refresh-minutes}. Thread-safe.
 */
public class LearnedSendTime {

    static final int SHOPPER_EVENTS = 200;
    static final int SEGMENT_DAYS = 90;
    static final int SEGMENT_EVENTS = 20000;

    private final boolean enabled;
    private final SendTimeLearner learner;
    private final int maxShiftHours;
    private final Duration refresh;
    private final ShopperTimeZones timeZones;
    private final Map<String, Cached> segments = new HashMap<String, Cached>();

    /** @param enabled false: the planner plans every step at its delay (cartrecovery.send-time.learned.enabled) */
    public LearnedSendTime(boolean enabled, int minimumShopperEngagements, int maxShiftHours, int refreshMinutes,
                           ShopperTimeZones timeZones) {
        if (maxShiftHours < 1 || maxShiftHours > 23) {
            throw new IllegalArgumentException("cartrecovery.send-time.learned.max-shift-hours: 1 to 23 (was "
                    + maxShiftHours + ")");
        }
        if (refreshMinutes < 0) {
            throw new IllegalArgumentException("cartrecovery.send-time.learned.refresh-minutes: 0 or more (was "
                    + refreshMinutes + ")");
        }
        this.enabled = enabled;
        this.learner = new SendTimeLearner(minimumShopperEngagements);
        this.maxShiftHours = maxShiftHours;
        this.refresh = Duration.ofMinutes(refreshMinutes);
        this.timeZones = timeZones;
    }

    public boolean isEnabled() {
        return enabled;
    }

    /** The shopper's opens and clicks by local hour in {@code zone}. */
    public EngagementHours shopper(JdbcTemplate jdbc, String normalisedEmail, ZoneId zone) {
        JdbcTemplate limited = new JdbcTemplate(jdbc.getDataSource());
        limited.setMaxRows(SHOPPER_EVENTS);
        List<Timestamp> times = limited.queryForList("SELECT e.OCCURRED_AT FROM CR_PLANNED_MESSAGE m "
                + "JOIN CR_MESSAGE_EVENT e ON e.PLANNED_MESSAGE_ID = m.ID WHERE m.EMAIL = ? "
                + "AND e.EVENT_TYPE IN ('OPENED', 'CLICKED') ORDER BY e.OCCURRED_AT DESC", Timestamp.class, normalisedEmail);
        List<Integer> hours = new ArrayList<Integer>();
        for (Timestamp time : times) {
            hours.add(time.toInstant().atZone(zone).getHour());
        }
        return EngagementHours.of(hours);
    }

    /** A segment's opens and clicks of the last {@value #SEGMENT_DAYS} days by local hour (each in its shopper's zone). */
    public synchronized EngagementHours segment(JdbcTemplate jdbc, String segmentKey, Instant now) {
        Cached cached = segments.get(segmentKey);
        if (cached != null && now.isBefore(cached.readAt.plus(refresh)) && !now.isBefore(cached.readAt)) {
            return cached.hours;
        }
        JdbcTemplate limited = new JdbcTemplate(jdbc.getDataSource());
        limited.setMaxRows(SEGMENT_EVENTS);
        final long[] counts = new long[24];
        // from the events by type and time (IX_CR_EVENT_TYPE_OCCURRED) to their messages by primary key
        limited.query("SELECT e.OCCURRED_AT, m.LOCALE_CODE, c.SITE_ID FROM CR_MESSAGE_EVENT e "
                + "JOIN CR_PLANNED_MESSAGE m ON m.ID = e.PLANNED_MESSAGE_ID "
                + "LEFT JOIN CR_CAPTURED_CART c ON c.ORDER_ID = m.ORDER_ID "
                + "WHERE e.EVENT_TYPE IN ('OPENED', 'CLICKED') AND e.OCCURRED_AT >= ? AND m.SEGMENT_KEY = ?",
                (ResultSet rs) -> {
                    long site = rs.getLong(3);
                    ZoneId zone = timeZones.zoneFor(rs.wasNull() ? null : site, rs.getString(2));
                    counts[rs.getTimestamp(1).toInstant().atZone(zone).getHour()]++;
                }, new Timestamp(now.minus(Duration.ofDays(SEGMENT_DAYS)).toEpochMilli()), segmentKey);
        EngagementHours hours = EngagementHours.ofCounts(counts);
        segments.put(segmentKey, new Cached(now, hours));
        return hours;
    }

    /**
     * When a step goes out: {@code delayMinutes} after {@code from}, or up to the maximum shift later at a better
     * hour; never in quiet hours.
     */
    public SendTimeChoice choose(Instant from, ZoneId zone, int delayMinutes, EngagementHours shopper,
                                 EngagementHours segment, QuietHours quietHours) {
        List<Integer> later = new ArrayList<Integer>();
        for (int hours = 1; hours <= maxShiftHours; hours++) {
            later.add(delayMinutes + hours * 60);
        }
        return learner.choose(from, zone, delayMinutes, later, shopper, segment, quietHours::nextAllowed);
    }

    private static final class Cached {
        final Instant readAt;
        final EngagementHours hours;

        Cached(Instant readAt, EngagementHours hours) {
            this.readAt = readAt;
            this.hours = hours;
        }
    }
}
