package io.github.cartrecovery.experiment.stats;

import java.util.Locale;

/**
 * An estimate with its confidence interval ({@code lower <= estimate <= upper}), at the report's confidence level.
 * Immutable.
 */
public final class Interval {

    private final double estimate;
    private final double lower;
    private final double upper;

    public Interval(double estimate, double lower, double upper) {
        this.estimate = estimate;
        this.lower = lower;
        this.upper = upper;
    }

    public double getEstimate() {
        return estimate;
    }

    public double getLower() {
        return lower;
    }

    public double getUpper() {
        return upper;
    }

    /** Whether {@code value} lies within the interval, ends included. */
    public boolean covers(double value) {
        return lower <= value && value <= upper;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s [%s, %s]", estimate, lower, upper);
    }
}
