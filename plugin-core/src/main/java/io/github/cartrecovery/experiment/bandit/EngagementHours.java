package io.github.cartrecovery.experiment.bandit;

import java.util.Arrays;
import java.util.Collection;

/**
 * How often messages were opened or clicked in each local hour of the day (0 to 23), for one shopper or for a whole
 * segment: what {@link SendTimeLearner} prefers send times by. Immutable.
 */
public final class EngagementHours {

    private final long[] counts;
    private final long total;

    private EngagementHours(long[] counts) {
        this.counts = counts;
        long sum = 0;
        for (long count : counts) {
            sum += count;
        }
        this.total = sum;
    }

    public static EngagementHours none() {
        return new EngagementHours(new long[24]);
    }

    /** From the local hours (0 to 23) of each open or click. */
    public static EngagementHours of(Collection<Integer> localHours) {
        long[] counts = new long[24];
        for (Integer hour : localHours) {
            if (hour == null || hour < 0 || hour > 23) {
                throw new IllegalArgumentException("engagement hours must be between 0 and 23, not " + hour);
            }
            counts[hour]++;
        }
        return new EngagementHours(counts);
    }

    /** From 24 counts, index = local hour (e.g. a GROUP BY over a segment's opens). */
    public static EngagementHours ofCounts(long[] countsByHour) {
        if (countsByHour == null || countsByHour.length != 24) {
            throw new IllegalArgumentException("engagement counts must have one entry per hour (24)");
        }
        for (int hour = 0; hour < 24; hour++) {
            if (countsByHour[hour] < 0) {
                throw new IllegalArgumentException("engagement count of hour " + hour + " must be 0 or more, not "
                        + countsByHour[hour]);
            }
        }
        return new EngagementHours(Arrays.copyOf(countsByHour, 24));
    }

    public long at(int localHour) {
        return counts[localHour];
    }

    public long total() {
        return total;
    }
}
