package io.github.cartrecovery.campaign;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * No message is delivered inside a quiet window in the shopper's time zone: from {@code start}
 * (inclusive) to {@code end} (exclusive); a window may wrap midnight (21:00-08:00). Several windows are
 * written comma-separated ("21:00-08:00, 12:30-13:30") and must not overlap. Equal start and end means
 * no quiet hours. Immutable.
 */
public final class QuietHours {

    private final List<Window> windows;

    public QuietHours(LocalTime start, LocalTime end) {
        this(Collections.singletonList(new Window(start, end)));
    }

    private QuietHours(List<Window> windows) {
        this.windows = Collections.unmodifiableList(new ArrayList<Window>(windows));
    }

    /**
     * Parses "21:00-08:00" or several windows "21:00-08:00, 12:30-13:30"; blank means none. Throws
     * IllegalArgumentException naming the property and the problem: a malformed window, a time that is not
     * HH:mm, or two windows that overlap.
     */
    public static QuietHours parse(String text) {
        return parse(text, "cartrecovery.campaigns.quiet-hours");
    }

    /** The same, naming {@code property} in its errors (SMS has its own quiet hours). */
    public static QuietHours parse(String text, String property) {
        if (text == null || text.trim().isEmpty()) {
            return none();
        }
        List<Window> windows = new ArrayList<Window>();
        for (String part : text.split(",")) {
            String[] times = part.trim().split("-");
            if (times.length != 2) {
                throw new IllegalArgumentException(property + ": each window must look like "
                        + "21:00-08:00, not '" + part.trim() + "'");
            }
            Window window = new Window(time(times[0], property), time(times[1], property));
            if (window.isEmpty()) {
                continue;
            }
            for (Window other : windows) {
                if (window.overlaps(other)) {
                    throw new IllegalArgumentException(property + ": windows " + other + " and "
                            + window + " overlap; merge them into one window");
                }
            }
            windows.add(window);
        }
        return windows.isEmpty() ? none() : new QuietHours(windows);
    }

    private static LocalTime time(String text, String property) {
        try {
            return LocalTime.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(property + ": '" + text.trim()
                    + "' is not a time of day (HH:mm, 00:00 to 23:59)", e);
        }
    }

    public static QuietHours none() {
        return new QuietHours(Collections.<Window>emptyList());
    }

    /** True when there are no quiet hours at all. */
    public boolean isNone() {
        return windows.isEmpty();
    }

    public boolean contains(LocalTime time) {
        return windowAt(time) != null;
    }

    /** {@code due} itself when allowed, else the first allowed minute after it (the end of quiet hours). */
    public Instant nextAllowed(Instant due, ZoneId zone) {
        ZonedDateTime local = due.atZone(zone);
        // windows do not overlap, but one may end where the next begins: follow them (at most once each)
        for (int hop = 0; hop <= windows.size(); hop++) {
            Window window = windowAt(local.toLocalTime());
            if (window == null) {
                return local.toInstant();
            }
            ZonedDateTime candidate = local.truncatedTo(ChronoUnit.DAYS).with(window.end);
            if (!candidate.isAfter(local)) {
                candidate = candidate.plusDays(1).with(window.end);
            }
            local = candidate;
        }
        return local.toInstant();
    }

    /** True when the two configurations share any minute. */
    public boolean overlaps(QuietHours other) {
        for (Window mine : windows) {
            for (Window theirs : other.windows) {
                if (mine.overlaps(theirs)) {
                    return true;
                }
            }
        }
        return false;
    }

    private Window windowAt(LocalTime time) {
        for (Window window : windows) {
            if (window.contains(time)) {
                return window;
            }
        }
        return null;
    }

    /** One quiet window. */
    private static final class Window {
        final LocalTime start;
        final LocalTime end;

        Window(LocalTime start, LocalTime end) {
            this.start = start;
            this.end = end;
        }

        boolean isEmpty() {
            return start.equals(end);
        }

        boolean contains(LocalTime time) {
            if (isEmpty()) {
                return false;
            }
            if (start.isBefore(end)) {
                return !time.isBefore(start) && time.isBefore(end);
            }
            return !time.isBefore(start) || time.isBefore(end);
        }

        boolean overlaps(Window other) {
            if (isEmpty() || other.isEmpty()) {
                return false;
            }
            return contains(other.start) || other.contains(start);
        }

        @Override
        public String toString() {
            return start + "-" + end;
        }
    }
}
