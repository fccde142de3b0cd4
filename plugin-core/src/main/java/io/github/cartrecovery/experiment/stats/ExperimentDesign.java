package io.github.cartrecovery.experiment.stats;

import java.util.Locale;

/**
 * What an experiment is planned to detect, fixed when it starts: the significance level alpha (two-sided), the power,
 * the expected conversion rate of the control (the baseline) and the smallest relative change worth detecting (the
 * minimum detectable effect, 0.10 = a 10 % relative lift). From these the carts every compared arm needs follow
 * ({@link #plannedCartsPerArm(int)}); the report calls results provisional until each compared arm has them
 * (a fixed-horizon design, see docs/experiments.md). Immutable; the constructor rejects values outside their range
 * with a message naming the field.
 */
public final class ExperimentDesign {

    public static final double DEFAULT_ALPHA = 0.05;
    public static final double DEFAULT_POWER = 0.8;

    private final double alpha;
    private final double power;
    private final double baselineRate;
    private final double minDetectableEffect;

    public ExperimentDesign(double alpha, double power, double baselineRate, double minDetectableEffect) {
        check(alpha, power, baselineRate, minDetectableEffect);
        this.alpha = alpha;
        this.power = power;
        this.baselineRate = baselineRate;
        this.minDetectableEffect = minDetectableEffect;
    }

    /** A design with the default alpha (0.05) and power (0.8). */
    public static ExperimentDesign of(double baselineRate, double minDetectableEffect) {
        return new ExperimentDesign(DEFAULT_ALPHA, DEFAULT_POWER, baselineRate, minDetectableEffect);
    }

    static void check(double alpha, double power, double baselineRate, double minDetectableEffect) {
        if (!(alpha > 0 && alpha < 0.5)) {
            throw invalid("alpha", alpha, "must be more than 0 and less than 0.5 (0.05 is usual)");
        }
        if (!(power > 0.5 && power < 1)) {
            throw invalid("power", power, "must be more than 0.5 and less than 1 (0.8 is usual)");
        }
        if (!(baselineRate > 0 && baselineRate < 1)) {
            throw invalid("baselineRate", baselineRate,
                    "must be more than 0 and less than 1 (the control's expected conversion, e.g. 0.08)");
        }
        if (!(minDetectableEffect != 0 && minDetectableEffect > -1 && !Double.isInfinite(minDetectableEffect))) {
            throw invalid("minDetectableEffect", minDetectableEffect,
                    "must be a relative change other than 0 and more than -1 (0.10 = a 10 % lift)");
        }
        double target = baselineRate * (1 + minDetectableEffect);
        if (!(target < 1)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "minDetectableEffect %s with baselineRate %s "
                    + "would need a conversion rate of %s: baselineRate x (1 + minDetectableEffect) must be less than 1",
                    minDetectableEffect, baselineRate, target));
        }
    }

    private static IllegalArgumentException invalid(String field, double value, String rule) {
        return new IllegalArgumentException(field + " " + rule + ", was " + value);
    }

    public double getAlpha() {
        return alpha;
    }

    public double getPower() {
        return power;
    }

    public double getBaselineRate() {
        return baselineRate;
    }

    public double getMinDetectableEffect() {
        return minDetectableEffect;
    }

    /**
     * Carts every compared arm needs when the experiment makes {@code comparisons} comparisons: planned at the
     * Bonferroni level alpha / comparisons, which the Holm correction the report applies is never stricter than, so
     * the planned power holds for every comparison. One comparison (or none) plans at alpha.
     */
    public long plannedCartsPerArm(int comparisons) {
        if (comparisons < 0) {
            throw new IllegalArgumentException("comparisons must be 0 or more, was " + comparisons);
        }
        return SampleSize.perArm(baselineRate, minDetectableEffect, alpha / Math.max(1, comparisons), power);
    }
}
