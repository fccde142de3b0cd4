package io.github.cartrecovery.operations;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

import io.github.cartrecovery.capture.CaptureBuffer;
import io.github.cartrecovery.capture.CaptureReconciliation;

/**
 * Health entry {@code capture}: this node's capture buffer (carts waiting to be written; DOWN at
 * {@code cartrecovery.health.capture.buffer-percent} of {@code cartrecovery.capture.buffer.max-carts}, where changes
 * start being dropped), the rows capture could not store (CR_CAPTURE_REJECTION rows seen in the last hour; DOWN above
 * {@code cartrecovery.health.capture.rejections-per-hour}) and the reconciliation lag: how long until an order created
 * now is reconciled, from the orders ahead of the reconciliation cursor, its chunk size and interval (DOWN above
 * {@code cartrecovery.health.capture.reconciliation-lag-minutes}).
 */
public class CaptureCheck implements HealthCheck {

    static final String BUFFER = "capture-buffer";
    static final String REJECTIONS = "capture-rejections";
    static final String RECONCILIATION = "reconciliation-lag";

    private final JdbcTemplate jdbc;
    private final CaptureBuffer buffer;
    private final CaptureReconciliation reconciliation;
    private final int bufferCapacity;
    private final int bufferPercent;
    private final int rejectionsPerHour;
    private final int reconciliationChunk;
    private final int reconciliationIntervalSeconds;
    private final long reconciliationLagMinutes;

    public CaptureCheck(DataSource dataSource, CaptureBuffer buffer, CaptureReconciliation reconciliation,
                        int bufferCapacity, int bufferPercent, int rejectionsPerHour,
                        int reconciliationChunk, int reconciliationIntervalSeconds, long reconciliationLagMinutes) {
        if (bufferPercent < 1 || bufferPercent > 100 || rejectionsPerHour < 0 || reconciliationLagMinutes < 1) {
            throw new IllegalArgumentException("cartrecovery.health.capture.buffer-percent must be 1-100 (was " + bufferPercent
                    + "), rejections-per-hour at least 0 (was " + rejectionsPerHour + "), reconciliation-lag-minutes at least 1 (was "
                    + reconciliationLagMinutes + ")");
        }
        this.jdbc = new JdbcTemplate(dataSource);
        this.buffer = buffer;
        this.reconciliation = reconciliation;
        this.bufferCapacity = Math.max(1, bufferCapacity);
        this.bufferPercent = bufferPercent;
        this.rejectionsPerHour = rejectionsPerHour;
        this.reconciliationChunk = Math.max(1, reconciliationChunk);
        this.reconciliationIntervalSeconds = Math.max(1, reconciliationIntervalSeconds);
        this.reconciliationLagMinutes = reconciliationLagMinutes;
    }

    @Override
    public String name() {
        return "capture";
    }

    @Override
    public CheckResult check(Instant now) {
        List<Problem> problems = new ArrayList<Problem>();
        Map<String, Object> details = new LinkedHashMap<String, Object>();

        int pending = buffer.pendingCount();
        details.put("bufferedCarts", pending);
        details.put("bufferCapacity", bufferCapacity);
        details.put("droppedSinceStart", buffer.droppedCount());
        if (pending * 100L >= (long) bufferCapacity * bufferPercent) {
            problems.add(new Problem(BUFFER, "this node's capture buffer holds " + pending + " carts of " + bufferCapacity
                    + ": the database is not keeping up, and at the bound cart changes are dropped", null));
        }

        Integer rejected = jdbc.queryForObject("SELECT COUNT(*) FROM CR_CAPTURE_REJECTION WHERE LAST_OCCURRED_AT >= ?",
                Integer.class, Timestamp.from(now.minus(Duration.ofHours(1))));
        int rejectedLastHour = rejected == null ? 0 : rejected;
        details.put("rejectedLastHour", rejectedLastHour);
        details.put("rejectedPerHourLimit", rejectionsPerHour);
        if (rejectedLastHour > rejectionsPerHour) {
            problems.add(new Problem(REJECTIONS, rejectedLastHour + " capture rows were rejected in the last hour (limit "
                    + rejectionsPerHour + "); see Cart Recovery > Capture Rejections", null));
        }

        long ahead = reconciliation.ordersAhead();
        long runs = (ahead + reconciliationChunk - 1) / reconciliationChunk;
        long lagMinutes = runs * reconciliationIntervalSeconds / 60;
        details.put("reconciliationOrdersAhead", ahead);
        details.put("reconciliationLagMinutes", lagMinutes);
        details.put("reconciliationLagMinutesLimit", reconciliationLagMinutes);
        if (lagMinutes > reconciliationLagMinutes) {
            problems.add(new Problem(RECONCILIATION, "reconciliation is about " + lagMinutes + " minutes behind (" + ahead
                    + " orders ahead; limit " + reconciliationLagMinutes + " minutes): raise cartrecovery.reconciliation.chunk-size", null));
        }
        String summary = pending + " carts buffered, " + rejectedLastHour + " rows rejected in the last hour, reconciliation "
                + lagMinutes + " min behind";
        return CheckResult.of(name(), summary, details, problems);
    }
}
