package io.github.cartrecovery.operations;

import java.time.Instant;

/**
 * One entry of {@code /cart-recovery/health}. Implementations read little (a few indexed queries) because the
 * report is cached for seconds only, and may throw: {@link Health} turns a failure into a DOWN entry.
 */
public interface HealthCheck {

    /** The entry's name in the report: scheduler, mailServer, backlog, capture, database. */
    String name();

    CheckResult check(Instant now);
}
