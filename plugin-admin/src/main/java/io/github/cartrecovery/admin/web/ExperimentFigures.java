package io.github.cartrecovery.admin.web;

import java.util.Locale;

import io.github.cartrecovery.experiment.stats.Interval;

/**
 * The experiment report's numbers as text: rates as per cent ("8.4 %"), differences in percentage points
 * ("+1.20 points"), intervals ("6.1 % to 9.9 %"), p-values ("0.031", "&lt; 0.001"). A missing value is "-". Model attribute
 * {@code figures} of the report page.
 */
public final class ExperimentFigures {

    public String percent(Double fraction) {
        return fraction == null ? "-" : String.format(Locale.ROOT, "%.1f %%", fraction * 100);
    }

    public String rate(Interval interval) {
        return interval == null ? "-" : String.format(Locale.ROOT, "%.1f %% (%.1f %% to %.1f %%)",
                interval.getEstimate() * 100, interval.getLower() * 100, interval.getUpper() * 100);
    }

    public String points(Interval interval) {
        return interval == null ? "-" : String.format(Locale.ROOT, "%+.2f points (%+.2f to %+.2f)",
                interval.getEstimate() * 100, interval.getLower() * 100, interval.getUpper() * 100);
    }

    public String lift(Interval interval) {
        return interval == null ? "-" : String.format(Locale.ROOT, "%+.1f %% (%+.1f %% to %+.1f %%)",
                interval.getEstimate() * 100, interval.getLower() * 100, interval.getUpper() * 100);
    }

    public String amount(Interval interval) {
        return interval == null ? "-" : String.format(Locale.ROOT, "%.2f to %.2f", interval.getLower(), interval.getUpper());
    }

    public String amount(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%.2f", value);
    }

    public String p(Double value) {
        if (value == null) {
            return "-";
        }
        return value < 0.001 ? "< 0.001" : String.format(Locale.ROOT, "%.3f", value);
    }
}
