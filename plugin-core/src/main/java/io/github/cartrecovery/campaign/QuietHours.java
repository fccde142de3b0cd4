package io.github.cartrecovery.campaign;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/**
 * No message is delivered between {@code start} (inclusive) and {@code end} (exclusive) in the shopper's
 * time zone; a window may wrap midnight (21:00-08:00). Equal start and end means no quiet hours.
 * Immutable.
 */
public final class QuietHours {

    private final LocalTime start;
    private final LocalTime end;

    public QuietHours(LocalTime start, LocalTime end) {
        this.start = start;
        this.end = end;
    }

    /** Parses "21:00-08:00"; blank means none. */
    public static QuietHours parse(String text) {
        if (text == null || text.trim().isEmpty()) {
            return none();
        }
        String[] parts = text.trim().split("-");
        if (parts.length != 2) {
            throw new IllegalArgumentException("quiet hours must look like 21:00-08:00, not '" + text + "'");
        }
        return new QuietHours(LocalTime.parse(parts[0].trim()), LocalTime.parse(parts[1].trim()));
    }

    public static QuietHours none() {
        return new QuietHours(LocalTime.MIDNIGHT, LocalTime.MIDNIGHT);
    }

    public boolean contains(LocalTime time) {
        if (start.equals(end)) {
            return false;
        }
        if (start.isBefore(end)) {
            return !time.isBefore(start) && time.isBefore(end);
        }
        return !time.isBefore(start) || time.isBefore(end);
    }

    /** {@code due} itself when allowed, else the first allowed minute after it (the end of quiet hours). */
    public Instant nextAllowed(Instant due, ZoneId zone) {
        ZonedDateTime local = due.atZone(zone);
        if (!contains(local.toLocalTime())) {
            return due;
        }
        ZonedDateTime candidate = local.truncatedTo(ChronoUnit.DAYS).with(end);
        if (!candidate.isAfter(local)) {
            candidate = candidate.plusDays(1).with(end);
        }
        return candidate.toInstant();
    }

    /** True when the two windows share any minute (used to reject overlapping configurations). */
    public boolean overlaps(QuietHours other) {
        if (start.equals(end) || other.start.equals(other.end)) {
            return false;
        }
        return contains(other.start) || other.contains(start);
    }
}
