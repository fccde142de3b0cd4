package io.github.cartrecovery.experiment.stats;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Conversion rates and their comparison: {@code x} of {@code n} carts converted. Quantiles and CDFs are Apache Commons
 * Math's standard normal; the formulas are the published ones named on each method, checked against scipy in
 * {@code ProportionsTest} (reference table in {@code src/test/resources/experiment/stats}).
 */
public final class Proportions {

    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

    private Proportions() {
    }

    /** The two-sided critical value {@code z} with P(|Z| > z) = alpha, e.g. 1.959964 for alpha 0.05. */
    public static double criticalZ(double alpha) {
        return STANDARD_NORMAL.inverseCumulativeProbability(1 - alpha / 2);
    }

    /**
     * Wilson score interval for x/n (Wilson 1927; method 3 of Newcombe 1998, "Two-sided confidence intervals for the
     * single proportion"). It stays inside [0, 1] and keeps close to nominal coverage for small n and for rates near 0
     * or 1, where the Wald interval fails. Null when n is 0 (no rate).
     */
    public static Interval wilson(long x, long n, double alpha) {
        checkCounts(x, n);
        if (n == 0) {
            return null;
        }
        double z = criticalZ(alpha);
        double p = (double) x / n;
        double z2 = z * z;
        double centre = (x + z2 / 2) / (n + z2);
        double half = z / (n + z2) * Math.sqrt((double) x * (n - x) / n + z2 / 4);
        // at x = 0 and x = n the bounds are exactly 0 and 1; floating point would miss them by an ulp
        return new Interval(p, x == 0 ? 0 : Math.max(0, centre - half), x == n ? 1 : Math.min(1, centre + half));
    }

    /**
     * Newcombe's hybrid score interval for the difference p1 - p2 of two independent proportions (method 10 of
     * Newcombe 1998, "Interval estimation for the difference between independent proportions: comparison of eleven
     * methods", Statistics in Medicine 17:873-890), built from the two Wilson intervals (l1, u1) and (l2, u2):
     * {@code d - sqrt((p1 - l1)^2 + (u2 - p2)^2)} to {@code d + sqrt((u1 - p1)^2 + (p2 - l2)^2)}. Its coverage is close
     * to nominal even with few conversions, and it is defined with zero conversions. Null when either n is 0.
     */
    public static Interval newcombeDifference(long x1, long n1, long x2, long n2, double alpha) {
        Interval first = wilson(x1, n1, alpha);
        Interval second = wilson(x2, n2, alpha);
        if (first == null || second == null) {
            return null;
        }
        double p1 = first.getEstimate();
        double p2 = second.getEstimate();
        double d = p1 - p2;
        double lower = d - Math.sqrt(square(p1 - first.getLower()) + square(second.getUpper() - p2));
        double upper = d + Math.sqrt(square(first.getUpper() - p1) + square(p2 - second.getLower()));
        return new Interval(d, lower, upper);
    }

    /**
     * Two-sided p-value of the pooled two-proportion z-test of p1 = p2: {@code z = (p1 - p2) / sqrt(p(1-p)(1/n1 + 1/n2))}
     * with p the pooled rate; the same as Pearson's chi-square test of the 2x2 table without continuity correction.
     * Pooled because under the null hypothesis both arms share one rate, which gives the test its nominal size.
     * 1 when both arms have no conversions or only conversions (nothing differs); null when either n is 0.
     */
    public static Double pooledZTestPValue(long x1, long n1, long x2, long n2) {
        checkCounts(x1, n1);
        checkCounts(x2, n2);
        if (n1 == 0 || n2 == 0) {
            return null;
        }
        double pooled = (double) (x1 + x2) / (n1 + n2);
        if (pooled == 0 || pooled == 1) {
            return 1.0;
        }
        double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
        double z = ((double) x1 / n1 - (double) x2 / n2) / se;
        return Math.min(1.0, 2 * STANDARD_NORMAL.cumulativeProbability(-Math.abs(z)));
    }

    /**
     * Relative lift p1 / p2 - 1 with the Katz log interval for the ratio of proportions (Katz, Baptista, Azen and Pike
     * 1978): {@code exp(ln(p1/p2) +/- z sqrt(1/x1 - 1/n1 + 1/x2 - 1/n2)) - 1}. Null when either arm has no carts or no
     * conversions (the log of the ratio is not defined there; the difference interval still is), and when both arms
     * converted every cart (the method's standard error is 0 there and would claim a zero-width interval).
     */
    public static Interval katzRelativeLift(long x1, long n1, long x2, long n2, double alpha) {
        checkCounts(x1, n1);
        checkCounts(x2, n2);
        if (x1 == 0 || x2 == 0 || (x1 == n1 && x2 == n2)) {
            return null;
        }
        double z = criticalZ(alpha);
        double logRatio = Math.log(((double) x1 / n1) / ((double) x2 / n2));
        double se = Math.sqrt(1.0 / x1 - 1.0 / n1 + 1.0 / x2 - 1.0 / n2);
        return new Interval(Math.exp(logRatio) - 1, Math.exp(logRatio - z * se) - 1, Math.exp(logRatio + z * se) - 1);
    }

    private static void checkCounts(long x, long n) {
        if (n < 0 || x < 0 || x > n) {
            throw new IllegalArgumentException("converted carts must be between 0 and the eligible carts (" + n
                    + "), was " + x);
        }
    }

    private static double square(double value) {
        return value * value;
    }
}
