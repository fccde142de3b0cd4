package io.github.cartrecovery.experiment.stats;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.cartrecovery.experiment.ArmCounts;
import io.github.cartrecovery.experiment.ArmKind;

/**
 * An experiment's statistics as the report screen and the CSV show them, made by {@link ExperimentAnalysis}. Immutable.
 * Rates, differences and lifts are fractions (0.05 = 5 %, a difference of 0.01 = 1 percentage point); money is the
 * arm's BigDecimal sums as given, and means per cart are doubles in the currency's unit; nothing is formatted here.
 * Intervals are two-sided at {@link #getConfidenceLevel()} (1 - alpha); significance uses Holm-adjusted p-values.
 */
public final class ExperimentReport {

    private final ExperimentDesign design;
    private final int comparisons;
    private final long plannedCartsPerArm;
    private final boolean provisional;
    private final Long suggestedWinnerArmId;
    private final String verdict;
    private final List<String> currencies;
    private final List<Arm> arms;
    private final long fewestCarts;

    ExperimentReport(ExperimentDesign design, int comparisons, long plannedCartsPerArm, long fewestCarts,
                     boolean provisional, Long suggestedWinnerArmId, String verdict, List<String> currencies,
                     List<Arm> arms) {
        this.design = design;
        this.comparisons = comparisons;
        this.plannedCartsPerArm = plannedCartsPerArm;
        this.fewestCarts = fewestCarts;
        this.provisional = provisional;
        this.suggestedWinnerArmId = suggestedWinnerArmId;
        this.verdict = verdict;
        this.currencies = Collections.unmodifiableList(new ArrayList<String>(currencies));
        this.arms = Collections.unmodifiableList(new ArrayList<Arm>(arms));
    }

    public ExperimentDesign getDesign() {
        return design;
    }

    /** 1 - alpha: 0.95 by default. */
    public double getConfidenceLevel() {
        return 1 - design.getAlpha();
    }

    /** Conversion comparisons made (vs control, vs holdout); the Holm correction is over these. */
    public int getComparisons() {
        return comparisons;
    }

    /** The name of the multiple-comparison correction applied to the p-values. */
    public String getCorrection() {
        return "Holm";
    }

    /** Carts each compared arm needs before results count (fixed horizon). */
    public long getPlannedCartsPerArm() {
        return plannedCartsPerArm;
    }

    /** The eligible carts of the compared arm that has fewest; 0 when nothing is compared. */
    public long getFewestCartsPerComparedArm() {
        return fewestCarts;
    }

    /**
     * How many more carts per arm detecting another relative effect would need, with the same alpha, power, baseline
     * and comparisons: its planned carts minus those of the compared arm that has fewest, at least 0. E.g. what a 5 %
     * lift would need when the experiment was planned for 10 %.
     */
    public long moreCartsPerArmFor(double minDetectableEffect) {
        ExperimentDesign other = new ExperimentDesign(design.getAlpha(), design.getPower(), design.getBaselineRate(),
                minDetectableEffect);
        return Math.max(0, other.plannedCartsPerArm(comparisons) - fewestCarts);
    }

    /** True until every compared arm has the planned carts (or when nothing can be compared); no winner then. */
    public boolean isProvisional() {
        return provisional;
    }

    /** The arm the results suggest keeping, or null (provisional, nothing significant, or nothing to compare). */
    public Long getSuggestedWinnerArmId() {
        return suggestedWinnerArmId;
    }

    /** The experiment's state in plain English. */
    public String getVerdict() {
        return verdict;
    }

    /** Every currency any arm has revenue in, in first-seen order; each arm has a revenue entry for each. */
    public List<String> getCurrencies() {
        return currencies;
    }

    /** One row per arm, in the order given. */
    public List<Arm> getArms() {
        return arms;
    }

    /** One arm's row. */
    public static final class Arm {
        private final ArmCounts counts;
        private final Interval conversion;
        private final Double recoveryRate;
        private final boolean compared;
        private final long cartsStillNeeded;
        private final Comparison vsControl;
        private final Comparison vsHoldout;
        private final Map<String, Revenue> revenue;
        private final String verdict;

        Arm(ArmCounts counts, Interval conversion, Double recoveryRate, boolean compared, long cartsStillNeeded,
            Comparison vsControl, Comparison vsHoldout, Map<String, Revenue> revenue, String verdict) {
            this.counts = counts;
            this.conversion = conversion;
            this.recoveryRate = recoveryRate;
            this.compared = compared;
            this.cartsStillNeeded = cartsStillNeeded;
            this.vsControl = vsControl;
            this.vsHoldout = vsHoldout;
            this.revenue = Collections.unmodifiableMap(new LinkedHashMap<String, Revenue>(revenue));
            this.verdict = verdict;
        }

        public long getArmId() {
            return counts.getArmId();
        }

        public String getArmKey() {
            return counts.getArmKey();
        }

        public String getName() {
            return counts.getName();
        }

        public ArmKind getKind() {
            return counts.getKind();
        }

        /** The raw counts: eligible carts, messages, opens, clicks, converted and recovered carts. */
        public ArmCounts getCounts() {
            return counts;
        }

        /** Converted carts / eligible carts with its Wilson interval; null without carts. */
        public Interval getConversion() {
            return conversion;
        }

        /** Recovered (message-credited) carts / eligible carts, shown, not compared; null without carts. */
        public Double getRecoveryRate() {
            return recoveryRate;
        }

        /** Whether the arm takes part in a comparison (and so must reach the planned carts). */
        public boolean isCompared() {
            return compared;
        }

        /** Planned carts minus the arm's eligible carts, at least 0; 0 for an arm that is not compared. */
        public long getCartsStillNeeded() {
            return cartsStillNeeded;
        }

        /** This arm against the control; null for the control itself or without a control. */
        public Comparison getVsControl() {
            return vsControl;
        }

        /** This arm against the holdout; null for the holdout itself or without a holdout. */
        public Comparison getVsHoldout() {
            return vsHoldout;
        }

        /** Per currency of the report (every currency, 0 where the arm has none). */
        public Map<String, Revenue> getRevenue() {
            return revenue;
        }

        /** The arm's result in plain English. */
        public String getVerdict() {
            return verdict;
        }
    }

    /** This arm's conversion against another arm's (this minus the other). */
    public static final class Comparison {
        private final long againstArmId;
        private final ArmKind againstKind;
        private final Interval difference;
        private final Interval relativeLift;
        private final Double pValue;
        private final Double adjustedPValue;
        private final boolean significant;
        private final Map<String, RevenueDifference> revenue;

        Comparison(long againstArmId, ArmKind againstKind, Interval difference, Interval relativeLift, Double pValue,
                   Double adjustedPValue, boolean significant, Map<String, RevenueDifference> revenue) {
            this.againstArmId = againstArmId;
            this.againstKind = againstKind;
            this.difference = difference;
            this.relativeLift = relativeLift;
            this.pValue = pValue;
            this.adjustedPValue = adjustedPValue;
            this.significant = significant;
            this.revenue = Collections.unmodifiableMap(new LinkedHashMap<String, RevenueDifference>(revenue));
        }

        public long getAgainstArmId() {
            return againstArmId;
        }

        public ArmKind getAgainstKind() {
            return againstKind;
        }

        /** Difference of conversion rates with Newcombe's hybrid score interval; null when an arm has no carts. */
        public Interval getDifference() {
            return difference;
        }

        /** Relative lift (rate / other rate - 1) with the Katz log interval; null when an arm has no conversions. */
        public Interval getRelativeLift() {
            return relativeLift;
        }

        /** Two-sided pooled z-test p-value, unadjusted; null when an arm has no carts. */
        public Double getPValue() {
            return pValue;
        }

        /** The p-value after Holm's correction over all comparisons of the experiment. */
        public Double getAdjustedPValue() {
            return adjustedPValue;
        }

        /** Adjusted p-value below alpha. Says nothing about the horizon: see {@link ExperimentReport#isProvisional()}. */
        public boolean isSignificant() {
            return significant;
        }

        /** Revenue per eligible cart, this arm minus the other, per currency of the report. */
        public Map<String, RevenueDifference> getRevenue() {
            return revenue;
        }
    }

    /** One arm's revenue in one currency. */
    public static final class Revenue {
        private final long orders;
        private final BigDecimal sum;
        private final Double perCart;
        private final Interval perCartInterval;

        Revenue(long orders, BigDecimal sum, Double perCart, Interval perCartInterval) {
            this.orders = orders;
            this.sum = sum;
            this.perCart = perCart;
            this.perCartInterval = perCartInterval;
        }

        /** Converted carts' orders in this currency. */
        public long getOrders() {
            return orders;
        }

        /** Their order totals (the recovered revenue), as given. */
        public BigDecimal getSum() {
            return sum;
        }

        /** Sum / eligible carts; null without carts. */
        public Double getPerCart() {
            return perCart;
        }

        /** Revenue per eligible cart with its t interval; null with fewer than two carts. */
        public Interval getPerCartInterval() {
            return perCartInterval;
        }
    }

    /**
     * Revenue per eligible cart in one currency, this arm minus the other, with Welch's interval and p-value
     * (unadjusted).
     */
    public static final class RevenueDifference {
        private final Interval difference;
        private final Double pValue;

        RevenueDifference(Interval difference, Double pValue) {
            this.difference = difference;
            this.pValue = pValue;
        }

        /** Null when either arm has fewer than two carts. */
        public Interval getDifference() {
            return difference;
        }

        /** Null when either arm has fewer than two carts or neither varies. */
        public Double getPValue() {
            return pValue;
        }
    }
}
