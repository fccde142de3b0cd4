package io.github.cartrecovery.capture;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Allows each key (a session id, a client IP) at most {@code permits} requests per fixed window of
 * time, read from the injected clock. Memory is bounded: at most {@code maxKeys} keys are tracked, the
 * least recently used one is forgotten first (which can only let a forgotten key in early, never keep
 * a key out). Thread-safe; each call is a map lookup under one lock, no I/O. Kept per node: a cluster
 * of N nodes admits up to N times the limit, which is acceptable for abuse protection.
 */
public class RequestRateLimiter {

    private final int permits;
    private final long windowMillis;
    private final Clock clock;
    private final Map<String, Window> windows;

    public RequestRateLimiter(int permits, Duration window, final int maxKeys, Clock clock) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be at least 1, was " + permits);
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, was " + window);
        }
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be at least 1, was " + maxKeys);
        }
        this.permits = permits;
        this.windowMillis = window.toMillis();
        this.clock = clock;
        this.windows = new LinkedHashMap<String, Window>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
                return size() > maxKeys;
            }
        };
    }

    /** Convenience for XML wiring: the window in seconds. */
    public RequestRateLimiter(int permits, long windowSeconds, int maxKeys, Clock clock) {
        this(permits, Duration.ofSeconds(windowSeconds), maxKeys, clock);
    }

    /** Counts one request for {@code key}; false when the key has used up its window. */
    public synchronized boolean tryAcquire(String key) {
        long now = clock.millis();
        Window window = windows.get(key);
        if (window == null || now - window.startedAt >= windowMillis) {
            window = new Window(now);
            windows.put(key, window);
        }
        if (window.used >= permits) {
            return false;
        }
        window.used++;
        return true;
    }

    public synchronized int trackedKeys() {
        return windows.size();
    }

    public int getPermits() {
        return permits;
    }

    /** For a Retry-After header: the longest a refused key has to wait. */
    public long getWindowSeconds() {
        return Math.max(1, (windowMillis + 999) / 1000);
    }

    private static final class Window {
        final long startedAt;
        int used;

        Window(long startedAt) {
            this.startedAt = startedAt;
        }
    }
}
