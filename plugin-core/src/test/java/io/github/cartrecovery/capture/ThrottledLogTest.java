package io.github.cartrecovery.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.time.Duration;
import java.time.Instant;

import org.apache.commons.logging.Log;
import org.junit.jupiter.api.Test;

import io.github.cartrecovery.testing.TestClock;

class ThrottledLogTest {

    private final Log log = mock(Log.class);
    private final TestClock clock = new TestClock(Instant.parse("2026-01-05T10:00:00Z"));
    private final ThrottledLog throttled = new ThrottledLog(log, clock, Duration.ofMinutes(1));
    private final RuntimeException failure = new IllegalStateException("value too long");

    @Test
    void logsARepeatedCauseOncePerInterval() {
        for (int attempt = 0; attempt < 600; attempt++) {
            throttled.warn("refused/22001", "could not write", failure);
            clock.advance(Duration.ofMillis(100));
        }

        verify(log, times(1)).warn(anyString(), any(Throwable.class));
    }

    @Test
    void logsAgainAfterTheIntervalWithTheNumberOfRepeatsSuppressed() {
        assertThat(throttled.warn("refused/22001", "could not write", failure)).isTrue();
        assertThat(throttled.warn("refused/22001", "could not write", failure)).isFalse();
        assertThat(throttled.warn("refused/22001", "could not write", failure)).isFalse();

        clock.advance(Duration.ofSeconds(60));
        assertThat(throttled.warn("refused/22001", "could not write", failure)).isTrue();

        verify(log).warn(contains("2 more times since 2026-01-05T10:00:00Z"), any(Throwable.class));
    }

    @Test
    void logsEachCauseOnItsOwn() {
        throttled.warn("refused/22001", "too long", failure);
        throttled.warn("unavailable/08006", "database down", failure);
        throttled.warn("refused/22001", "too long", failure);
        throttled.warn("unavailable/08006", "database down", failure);

        verify(log, times(2)).warn(anyString(), any(Throwable.class));
    }

    @Test
    void remembersABoundedNumberOfCauses() {
        for (int cause = 0; cause < ThrottledLog.MAX_CAUSES + 10; cause++) {
            throttled.warn("cause-" + cause, "message", failure);
        }
        // the first cause was forgotten, so it is logged again; the most recent one is still throttled
        assertThat(throttled.warn("cause-0", "message", failure)).isTrue();
        assertThat(throttled.warn("cause-" + (ThrottledLog.MAX_CAUSES + 9), "message", failure)).isFalse();
    }
}
