package io.github.cartrecovery.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.github.cartrecovery.testing.TestClock;

class RequestRateLimiterTest {

    private final TestClock clock = new TestClock(Instant.parse("2026-01-05T10:00:00Z"));

    @Test
    void allowsThePermittedNumberThenRefusesTheNext() {
        RequestRateLimiter limiter = new RequestRateLimiter(3, Duration.ofMinutes(1), 100, clock);

        assertThat(limiter.tryAcquire("session-a")).isTrue();
        assertThat(limiter.tryAcquire("session-a")).isTrue();
        assertThat(limiter.tryAcquire("session-a")).isTrue();
        assertThat(limiter.tryAcquire("session-a")).isFalse();
    }

    @Test
    void countsEachKeySeparately() {
        RequestRateLimiter limiter = new RequestRateLimiter(1, Duration.ofMinutes(1), 100, clock);

        assertThat(limiter.tryAcquire("10.0.0.1")).isTrue();
        assertThat(limiter.tryAcquire("10.0.0.2")).isTrue();
        assertThat(limiter.tryAcquire("10.0.0.1")).isFalse();
    }

    @Test
    void allowsAgainOnceTheWindowHasPassed() {
        RequestRateLimiter limiter = new RequestRateLimiter(1, Duration.ofMinutes(1), 100, clock);
        limiter.tryAcquire("session-a");

        clock.advance(Duration.ofSeconds(59));
        assertThat(limiter.tryAcquire("session-a")).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(limiter.tryAcquire("session-a")).isTrue();
    }

    @Test
    void keepsMemoryBoundedByForgettingTheLeastRecentlySeenKey() {
        RequestRateLimiter limiter = new RequestRateLimiter(1, Duration.ofMinutes(1), 2, clock);
        limiter.tryAcquire("a");
        limiter.tryAcquire("b");
        limiter.tryAcquire("a");
        limiter.tryAcquire("c");

        assertThat(limiter.trackedKeys()).isEqualTo(2);
        assertThat(limiter.tryAcquire("a")).as("a was seen recently and is still limited").isFalse();
        assertThat(limiter.tryAcquire("b")).as("b was forgotten, so it starts afresh").isTrue();
    }

    @Test
    void holdsNoMoreThanMaxKeysUnderAFloodOfNewKeys() {
        RequestRateLimiter limiter = new RequestRateLimiter(5, Duration.ofMinutes(1), 1000, clock);
        for (int i = 0; i < 100_000; i++) {
            limiter.tryAcquire("ip-" + i);
        }
        assertThat(limiter.trackedKeys()).isEqualTo(1000);
    }

    @Test
    void refusesNonsenseSettingsNamingThem() {
        assertThatThrownBy(() -> new RequestRateLimiter(0, Duration.ofMinutes(1), 10, clock))
                .hasMessage("permits must be at least 1, was 0");
        assertThatThrownBy(() -> new RequestRateLimiter(1, Duration.ZERO, 10, clock))
                .hasMessage("window must be positive, was PT0S");
        assertThatThrownBy(() -> new RequestRateLimiter(1, Duration.ofMinutes(1), 0, clock))
                .hasMessage("maxKeys must be at least 1, was 0");
    }

    @Test
    void reportsTheWindowForRetryAfter() {
        assertThat(new RequestRateLimiter(1, 90L, 10, clock).getWindowSeconds()).isEqualTo(90);
    }
}
