package io.github.cartrecovery.experiment.stats;

import java.math.BigDecimal;
import java.math.MathContext;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * Revenue per eligible cart from the arm's summary (n carts, the sum and the sum of squares of the converted carts' order
 * totals; a cart that did not convert counts as 0). The variance is worked out in BigDecimal ({@code (Q - S^2/n) /
 * (n - 1)}) so that large totals do not cancel away in floating point; quantiles and CDFs are Commons Math's t
 * distribution. Checked against scipy's {@code ttest_1samp} and {@code ttest_ind(equal_var=False)} on the raw values.
 */
public final class MeanPerCart {

    private static final MathContext PRECISION = MathContext.DECIMAL128;

    private final long carts;
    private final double mean;
    /** Sample variance; NaN with fewer than two carts. */
    private final double variance;

    private MeanPerCart(long carts, double mean, double variance) {
        this.carts = carts;
        this.mean = mean;
        this.variance = variance;
    }

    /**
     * The summary of {@code carts} values whose sum and sum of squares are given. Null when there are no carts (no
     * mean).
     */
    public static MeanPerCart of(long carts, BigDecimal sum, BigDecimal sumOfSquares) {
        if (carts < 0) {
            throw new IllegalArgumentException("eligible carts must be 0 or more, was " + carts);
        }
        if (sum == null || sumOfSquares == null) {
            throw new IllegalArgumentException("revenue sum and sum of squares must be given");
        }
        if (carts == 0) {
            return null;
        }
        BigDecimal n = BigDecimal.valueOf(carts);
        double mean = sum.divide(n, PRECISION).doubleValue();
        if (carts == 1) {
            return new MeanPerCart(carts, mean, Double.NaN);
        }
        BigDecimal squaredDeviations = sumOfSquares.subtract(sum.multiply(sum).divide(n, PRECISION));
        if (squaredDeviations.signum() < 0) {
            throw new IllegalArgumentException("revenue sum of squares (" + sumOfSquares + ") is smaller than the sum "
                    + "squared over the carts allow (" + sum + "^2 / " + carts + "): the summary is inconsistent");
        }
        return new MeanPerCart(carts, mean, squaredDeviations.divide(n.subtract(BigDecimal.ONE), PRECISION).doubleValue());
    }

    public long getCarts() {
        return carts;
    }

    public double getMean() {
        return mean;
    }

    /**
     * The mean with its t interval {@code mean +/- t(n-1, 1-alpha/2) s / sqrt(n)} (Student; for the large n of an
     * experiment the same as the normal interval). Null with fewer than two carts (no variance).
     */
    public Interval interval(double alpha) {
        if (carts < 2) {
            return null;
        }
        double se = Math.sqrt(variance / carts);
        if (se == 0) {
            return new Interval(mean, mean, mean);
        }
        double t = new TDistribution(null, carts - 1).inverseCumulativeProbability(1 - alpha / 2);
        return new Interval(mean, mean - t * se, mean + t * se);
    }

    /**
     * This mean minus the other's with Welch's interval (unequal variances; degrees of freedom by Welch-Satterthwaite):
     * {@code d +/- t(df, 1-alpha/2) sqrt(s1^2/n1 + s2^2/n2)}. Null when either side has fewer than two carts; a
     * zero-width interval when neither varies.
     */
    public Interval differenceTo(MeanPerCart other, double alpha) {
        Welch welch = welch(other);
        if (welch == null) {
            return null;
        }
        double d = mean - other.mean;
        if (welch.se == 0) {
            return new Interval(d, d, d);
        }
        double t = new TDistribution(null, welch.df).inverseCumulativeProbability(1 - alpha / 2);
        return new Interval(d, d - t * welch.se, d + t * welch.se);
    }

    /**
     * Two-sided p-value of Welch's t-test of equal means. Null when either side has fewer than two carts or neither
     * varies (then the test says nothing).
     */
    public Double pValueAgainst(MeanPerCart other) {
        Welch welch = welch(other);
        if (welch == null || welch.se == 0) {
            return null;
        }
        double t = (mean - other.mean) / welch.se;
        return Math.min(1.0, 2 * new TDistribution(null, welch.df).cumulativeProbability(-Math.abs(t)));
    }

    private Welch welch(MeanPerCart other) {
        if (other == null || carts < 2 || other.carts < 2) {
            return null;
        }
        double a = variance / carts;
        double b = other.variance / other.carts;
        double se = Math.sqrt(a + b);
        double df = (a + b) * (a + b) / (a * a / (carts - 1) + b * b / (other.carts - 1));
        return new Welch(se, df);
    }

    private static final class Welch {
        final double se;
        final double df;

        Welch(double se, double df) {
            this.se = se;
            this.df = df;
        }
    }
}
