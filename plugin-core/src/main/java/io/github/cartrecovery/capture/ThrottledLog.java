package io.github.cartrecovery.capture;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.cartrecovery.personaldata.PersonalDataMask;

/**
 * Logs a repeated problem once per cause per interval instead of once per attempt: a background writer that
 * retries every second would otherwise fill the log with the same stack trace (issue 15 saw ten a second).
 * The first occurrence of a cause is logged at once, with its stack trace; later ones within the interval are
 * only counted, and the first one after the interval is logged with that count. Thread-safe; remembers at most
 * {@link #MAX_CAUSES} causes (the least recently logged is forgotten first, so memory stays bounded whatever
 * the causes are made of). Addresses in the message and the failure are masked ({@link PersonalDataMask}).
 */
public class ThrottledLog {

    static final int MAX_CAUSES = 256;

    private final Log log;
    private final Clock clock;
    private final Duration interval;
    private final Map<String, Window> windows = new LinkedHashMap<String, Window>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
            return size() > MAX_CAUSES;
        }
    };

    /** @param category the logger's name; {@code intervalSeconds}: at most one line per cause per this many seconds */
    public ThrottledLog(String category, Clock clock, long intervalSeconds) {
        this(LogFactory.getLog(category), clock, Duration.ofSeconds(intervalSeconds));
    }

    public ThrottledLog(Log log, Clock clock, Duration interval) {
        this.log = log;
        this.clock = clock;
        this.interval = interval;
    }

    /** @return true when this call was logged, false when it was only counted */
    public boolean warn(String cause, String message, Throwable failure) {
        String suppressedNote;
        synchronized (windows) {
            Instant now = clock.instant();
            Window window = windows.get(cause);
            if (window != null && now.isBefore(window.loggedAt.plus(interval))) {
                window.suppressed++;
                return false;
            }
            suppressedNote = window == null || window.suppressed == 0 ? ""
                    : " (" + window.suppressed + " more times since " + window.loggedAt + ")";
            windows.put(cause, new Window(now));
        }
        // no full address reaches the log, whether in the message or in the failure (a database's error may quote the row)
        log.warn(PersonalDataMask.text(message + suppressedNote), failure == null ? null : PersonalDataMask.failure(failure));
        return true;
    }

    private static final class Window {
        private final Instant loggedAt;
        private long suppressed;

        private Window(Instant loggedAt) {
            this.loggedAt = loggedAt;
        }
    }
}
