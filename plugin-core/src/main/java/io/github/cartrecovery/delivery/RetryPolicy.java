package io.github.cartrecovery.delivery;

import java.time.Duration;
import java.time.Instant;

/**
 * When a message that was definitely not delivered is tried again: the first retry after
 * {@code cartrecovery.delivery.first-retry-minutes} (or {@code first-retry-seconds}), then doubling, capped at 12
 * hours, and never sooner than the channel asked (an HTTP Retry-After); FAILED once {@code max-attempts} is reached.
 */
final class RetryPolicy {

    private static final Duration LONGEST = Duration.ofHours(12);

    private volatile Duration firstRetry;
    private final int maxAttempts;

    RetryPolicy(Duration firstRetry, int maxAttempts) {
        this.firstRetry = firstRetry;
        this.maxAttempts = maxAttempts;
    }

    void setFirstRetry(Duration firstRetry) {
        this.firstRetry = firstRetry;
    }

    /** Whether attempt number {@code attempt} (1 for the first failure) was the last one. */
    boolean exhausted(int attempt) {
        return attempt >= maxAttempts;
    }

    /** first retry, then doubling: 5, 10, 20, 40 minutes... capped at 12 hours. */
    Duration backoff(int attempt) {
        Duration delay = firstRetry.multipliedBy(1L << Math.min(attempt - 1, 20));
        return delay.compareTo(LONGEST) > 0 ? LONGEST : delay;
    }

    /** When attempt {@code attempt}'s message is due again: the back-off, or the channel's wish if that is later. */
    Instant nextDue(Instant now, int attempt, Duration retryAfter) {
        Duration delay = backoff(attempt);
        if (retryAfter != null && retryAfter.compareTo(delay) > 0) {
            delay = retryAfter.compareTo(LONGEST) > 0 ? LONGEST : retryAfter;
        }
        return now.plus(delay);
    }
}
