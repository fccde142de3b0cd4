package io.github.cartrecovery.operations;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.cartrecovery.scheduling.ClusteredScheduler;
import io.github.cartrecovery.scheduling.ScheduledWork;

/**
 * The alert job ({@code raise-alerts}, every {@code cartrecovery.alerts.interval-seconds} on the cluster): evaluates
 * health and {@link DeliveryQuality}, keeps {@link Incidents} in step with the problems found, and sends each pending
 * notice once:
 * <ul>
 * <li>a problem opens an incident (one per key for the cluster, whichever node sees it); the mail server only once
 *     it has been failing for {@code cartrecovery.alerts.mail-failing-minutes};</li>
 * <li>an incident whose problem has been gone for {@code cartrecovery.alerts.resolve-after-minutes} is resolved (a
 *     flapping problem stays one incident);</li>
 * <li>at most {@code cartrecovery.alerts.max-per-hour} notices leave the cluster per hour; the others are
 *     SUPPRESSED (the admin lists them), and an incident whose opening was not announced ends silently too.</li>
 * </ul>
 * Safe on several nodes at once: every write is conditional ({@link Incidents}). Returns the notices sent.
 */
public class AlertWork implements ScheduledWork {

    private static final Log LOG = LogFactory.getLog(AlertWork.class);

    private final Health health;
    private final DeliveryQuality quality;
    private final Incidents incidents;
    private final AlertNotifier notifier;
    private final Clock clock;
    private final ClusteredScheduler scheduler;
    private final String configuredNodeId;
    private final Duration mailFailing;
    private final Duration resolveAfter;
    private final int maxPerHour;

    public AlertWork(Health health, DeliveryQuality quality, Incidents incidents, AlertNotifier notifier, Clock clock,
                     ClusteredScheduler scheduler, String configuredNodeId, int mailFailingMinutes,
                     int resolveAfterMinutes, int maxPerHour) {
        if (mailFailingMinutes < 0 || resolveAfterMinutes < 0 || maxPerHour < 0) {
            throw new IllegalArgumentException("cartrecovery.alerts.mail-failing-minutes, resolve-after-minutes and max-per-hour"
                    + " must be at least 0 (were " + mailFailingMinutes + ", " + resolveAfterMinutes + ", " + maxPerHour + ")");
        }
        this.health = health;
        this.quality = quality;
        this.incidents = incidents;
        this.notifier = notifier;
        this.clock = clock;
        this.scheduler = scheduler;
        this.configuredNodeId = configuredNodeId;
        this.mailFailing = Duration.ofMinutes(mailFailingMinutes);
        this.resolveAfter = Duration.ofMinutes(resolveAfterMinutes);
        this.maxPerHour = maxPerHour;
    }

    @Override
    public int run() {
        HealthReport report = health.evaluate();
        Instant now = clock.instant();
        List<Problem> active = alerting(report.problems(), now);
        active.addAll(quality.measure(now).getProblems());
        String node = node();
        for (Problem problem : unique(active)) {
            if (incidents.seen(problem, node, now)) {
                LOG.warn("Cart Recovery incident opened: " + problem);
            }
        }
        int resolved = incidents.clear(Incidents.keys(active), now, resolveAfter);
        if (resolved > 0) {
            LOG.info("Cart Recovery: " + resolved + " incidents resolved");
        }
        return sendPending(now);
    }

    /** The health problems that are incidents now: all, except a mail server failing for less than the alert's delay. */
    private List<Problem> alerting(List<Problem> problems, Instant now) {
        List<Problem> alerting = new ArrayList<Problem>();
        for (Problem problem : problems) {
            boolean mailTooRecent = problem.getKey().equals(MailServerCheck.PROBLEM) && problem.getSince() != null
                    && problem.getSince().plus(mailFailing).isAfter(now);
            if (!mailTooRecent) {
                alerting.add(problem);
            }
        }
        return alerting;
    }

    private int sendPending(Instant now) {
        int sent = 0;
        for (Incidents.Incident incident : incidents.withPendingNotice()) {
            if (incident.getOpenNotice() == Incidents.Notice.PENDING) {
                sent += send(incident, true, now);
            }
            if (incident.getCloseNotice() == Incidents.Notice.PENDING) {
                sent += send(incident, false, now);
            }
        }
        return sent;
    }

    private int send(Incidents.Incident incident, boolean opening, Instant now) {
        if (!notifier.isConfigured()) {
            incidents.take(incident.getId(), opening, Incidents.Notice.SKIPPED, now);
            return 0;
        }
        if (incidents.noticesSince(now.minus(Duration.ofHours(1))) >= maxPerHour) {
            if (incidents.take(incident.getId(), opening, Incidents.Notice.SUPPRESSED, now)) {
                LOG.warn("Cart Recovery alert not sent (" + maxPerHour + " sent in the last hour, cartrecovery.alerts.max-per-hour): "
                        + incident);
            }
            return 0;
        }
        if (!incidents.take(incident.getId(), opening, Incidents.Notice.SENDING, now)) {
            return 0; // another node took it
        }
        AlertNotifier.Outcome outcome = notifier.notify(incident, opening);
        incidents.sent(incident.getId(), opening, outcome.isDelivered(), outcome.getFailures());
        if (!outcome.isDelivered()) {
            LOG.error("Cart Recovery could not send the alert for " + incident + ": " + outcome.getFailures());
            return 0;
        }
        if (outcome.getFailures() != null) {
            LOG.warn("Cart Recovery sent the alert for " + incident + ", but not everywhere: " + outcome.getFailures());
        }
        return 1;
    }

    private static List<Problem> unique(List<Problem> problems) {
        Map<String, Problem> byKey = new LinkedHashMap<String, Problem>();
        for (Problem problem : problems) {
            if (!byKey.containsKey(problem.getKey())) {
                byKey.put(problem.getKey(), problem);
            }
        }
        return new ArrayList<Problem>(byKey.values());
    }

    private String node() {
        if (scheduler != null && scheduler.isRunning()) {
            try {
                return scheduler.nodeId();
            } catch (IllegalStateException stoppedMeanwhile) {
                // fall through
            }
        }
        return configuredNodeId == null || configuredNodeId.trim().isEmpty() ? "AUTO" : configuredNodeId.trim();
    }
}
