package io.github.cartrecovery.experiment.bandit;

import java.util.Locale;

/** A quarter of the shopper's local day: the timing part of a {@link Segment}. */
public enum HourBand {
    /** 00:00 to 05:59 */
    NIGHT(0, "at night"),
    /** 06:00 to 11:59 */
    MORNING(6, "in the morning"),
    /** 12:00 to 17:59 */
    AFTERNOON(12, "in the afternoon"),
    /** 18:00 to 23:59 */
    EVENING(18, "in the evening");

    private final int firstHour;
    private final String words;

    HourBand(int firstHour, String words) {
        this.firstHour = firstHour;
        this.words = words;
    }

    /** The band of a local hour 0 to 23. */
    public static HourBand ofHour(int localHour) {
        if (localHour < 0 || localHour > 23) {
            throw new IllegalArgumentException("localHour must be between 0 and 23, not " + localHour);
        }
        return values()[localHour / 6];
    }

    public int getFirstHour() {
        return firstHour;
    }

    /** "at night", "in the morning"...: for the admin's sentences. */
    public String words() {
        return words;
    }

    /** Its part of a segment key: "night", "morning", "afternoon", "evening". */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
