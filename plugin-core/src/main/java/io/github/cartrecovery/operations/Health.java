package io.github.cartrecovery.operations;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.cartrecovery.database.SqlFailures;
import io.github.cartrecovery.personaldata.PersonalDataMask;

/**
 * Runs the health checks ({@code crHealth}) and keeps the report for {@code cartrecovery.health.cache-seconds}, so a
 * load balancer or monitor polling {@code /cart-recovery/health} every second costs the database one evaluation per
 * period, not one per request. A check that throws is DOWN with the reason; the others still run.
 */
public class Health {

    private static final Log LOG = LogFactory.getLog(Health.class);

    private final List<HealthCheck> checks;
    private final Clock clock;
    private final Duration cacheFor;
    private HealthReport cached;

    public Health(List<HealthCheck> checks, Clock clock, int cacheSeconds) {
        if (cacheSeconds < 0) {
            throw new IllegalArgumentException("cartrecovery.health.cache-seconds must be at least 0, was " + cacheSeconds);
        }
        this.checks = new ArrayList<HealthCheck>(checks);
        this.clock = clock;
        this.cacheFor = Duration.ofSeconds(cacheSeconds);
    }

    /** The report, evaluated at most once per cache period (concurrent callers wait for one evaluation). */
    public synchronized HealthReport report() {
        Instant now = clock.instant();
        if (cached == null || !now.isBefore(cached.getCheckedAt().plus(cacheFor)) || now.isBefore(cached.getCheckedAt())) {
            cached = evaluate(now);
        }
        return cached;
    }

    /** A fresh report, bypassing the cache (the alert job, the admin's "check now"). */
    public HealthReport evaluate() {
        HealthReport report = evaluate(clock.instant());
        synchronized (this) {
            cached = report;
        }
        return report;
    }

    private HealthReport evaluate(Instant now) {
        List<CheckResult> results = new ArrayList<CheckResult>();
        for (HealthCheck check : checks) {
            try {
                results.add(check.check(now));
            } catch (RuntimeException e) {
                String reason = PersonalDataMask.text(SqlFailures.reason(e));
                LOG.warn("Cart Recovery health check " + check.name() + " failed: " + reason);
                results.add(CheckResult.failed(check.name(), reason));
            }
        }
        return new HealthReport(now, results);
    }
}
