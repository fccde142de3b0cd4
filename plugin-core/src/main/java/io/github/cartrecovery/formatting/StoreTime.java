package io.github.cartrecovery.formatting;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Date;

/**
 * How the back office shows a moment: in the store's time zone ({@code cartrecovery.campaigns.store-time-zone}, the
 * zone report days and quiet hours already use), as "2026-03-02 10:15", with the zone named once per screen
 * ({@link #zoneName()}) rather than in the server's default zone. Bean {@code crStoreTime}. Thread-safe.
 */
public final class StoreTime {

    private final ZoneId zone;
    private final DateTimeFormatter minutes;
    private final DateTimeFormatter seconds;

    public StoreTime(String zoneId) {
        try {
            this.zone = ZoneId.of(zoneId == null ? "" : zoneId.trim());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("cartrecovery.campaigns.store-time-zone must be a time zone id such as "
                    + "Europe/Berlin or UTC, was '" + zoneId + "'", e);
        }
        this.minutes = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(zone);
        this.seconds = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(zone);
    }

    public ZoneId zone() {
        return zone;
    }

    /** The zone as screens name it: its id ("Europe/Berlin", "UTC"). */
    public String zoneName() {
        return zone.getId();
    }

    /** "2026-03-02 10:15" in the store's zone; empty for null. Takes an Instant or a Date (Timestamp). */
    public String minutes(Object moment) {
        Instant instant = instant(moment);
        return instant == null ? "" : minutes.format(instant);
    }

    /** "2026-03-02 10:15:42" in the store's zone; empty for null. */
    public String seconds(Object moment) {
        Instant instant = instant(moment);
        return instant == null ? "" : seconds.format(instant);
    }

    private static Instant instant(Object moment) {
        if (moment == null) {
            return null;
        }
        if (moment instanceof Instant) {
            return (Instant) moment;
        }
        if (moment instanceof Date) {
            return Instant.ofEpochMilli(((Date) moment).getTime());
        }
        throw new IllegalArgumentException("not a moment: " + moment.getClass().getName());
    }
}
