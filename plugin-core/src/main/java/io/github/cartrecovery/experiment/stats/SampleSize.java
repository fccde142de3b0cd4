package io.github.cartrecovery.experiment.stats;

import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Carts per arm a two-sided comparison of two conversion rates needs: the normal-approximation formula for two
 * independent proportions without continuity correction (Fleiss, Levin and Paik, "Statistical Methods for Rates and
 * Proportions", 3rd ed. 2003, eq. 4.14), the one the pooled z-test in {@link Proportions} is planned with:
 * <pre>
 * n = ( z(1-alpha/2) sqrt(2 pbar (1-pbar)) + z(power) sqrt(p1 (1-p1) + p2 (1-p2)) )^2 / (p2 - p1)^2
 * </pre>
 * with p1 the baseline rate, p2 = p1 (1 + relative minimum detectable effect) and pbar their mean, rounded up.
 */
public final class SampleSize {

    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

    private SampleSize() {
    }

    /**
     * Carts per arm to detect a relative change {@code relativeMde} of {@code baselineRate} with the given alpha
     * (two-sided) and power.
     */
    public static long perArm(double baselineRate, double relativeMde, double alpha, double power) {
        ExperimentDesign.check(alpha, power, baselineRate, relativeMde);
        double p1 = baselineRate;
        double p2 = baselineRate * (1 + relativeMde);
        double mean = (p1 + p2) / 2;
        double zAlpha = STANDARD_NORMAL.inverseCumulativeProbability(1 - alpha / 2);
        double zPower = STANDARD_NORMAL.inverseCumulativeProbability(power);
        double root = zAlpha * Math.sqrt(2 * mean * (1 - mean)) + zPower * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
        return (long) Math.ceil(root * root / ((p2 - p1) * (p2 - p1)));
    }
}
