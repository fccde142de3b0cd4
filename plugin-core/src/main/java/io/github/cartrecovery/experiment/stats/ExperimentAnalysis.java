package io.github.cartrecovery.experiment.stats;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.cartrecovery.experiment.ArmCounts;
import io.github.cartrecovery.experiment.ArmKind;

/**
 * Turns an experiment's per-arm counts into its {@link ExperimentReport}: a fixed-horizon analysis. Each variant is
 * compared with the control, and the control and each variant with the holdout (conversion: Newcombe interval, Katz
 * lift, pooled z-test; revenue per eligible cart: Welch). The p-values of all conversion comparisons are corrected
 * together with Holm's method. Until every compared arm has the planned carts ({@link ExperimentDesign}) the report
 * is provisional and suggests no winner; after that the winner is the arm with the highest conversion among those
 * significantly better than the control (or, without a control or without variants, than the holdout). Pure: no
 * database, no clock.
 */
public final class ExperimentAnalysis {

    private ExperimentAnalysis() {
    }

    public static ExperimentReport analyse(ExperimentDesign design, List<ArmCounts> arms) {
        check(design, arms);
        double alpha = design.getAlpha();
        ArmCounts control = only(arms, ArmKind.CONTROL);
        ArmCounts holdout = only(arms, ArmKind.HOLDOUT);
        List<String> currencies = currencies(arms);

        List<ArmCounts[]> pairs = new ArrayList<ArmCounts[]>();
        for (ArmCounts arm : arms) {
            if (control != null && arm.getKind() == ArmKind.VARIANT) {
                pairs.add(new ArmCounts[] {arm, control});
            }
            if (holdout != null && arm.getKind() != ArmKind.HOLDOUT) {
                pairs.add(new ArmCounts[] {arm, holdout});
            }
        }
        int m = pairs.size();
        Double[] pValues = new Double[m];
        Set<Long> compared = new HashSet<Long>();
        for (int i = 0; i < m; i++) {
            ArmCounts arm = pairs.get(i)[0];
            ArmCounts other = pairs.get(i)[1];
            pValues[i] = Proportions.pooledZTestPValue(arm.getConvertedCarts(), arm.getEligibleCarts(),
                    other.getConvertedCarts(), other.getEligibleCarts());
            compared.add(arm.getArmId());
            compared.add(other.getArmId());
        }
        Double[] adjusted = HolmCorrection.adjust(pValues);

        long planned = design.plannedCartsPerArm(m);
        long fewest = Long.MAX_VALUE;
        for (ArmCounts arm : arms) {
            if (compared.contains(arm.getArmId())) {
                fewest = Math.min(fewest, arm.getEligibleCarts());
            }
        }
        boolean provisional = m == 0 || fewest < planned;

        Map<Long, Map<ArmKind, ExperimentReport.Comparison>> comparisons =
                new LinkedHashMap<Long, Map<ArmKind, ExperimentReport.Comparison>>();
        for (int i = 0; i < m; i++) {
            ArmCounts arm = pairs.get(i)[0];
            ArmCounts other = pairs.get(i)[1];
            if (!comparisons.containsKey(arm.getArmId())) {
                comparisons.put(arm.getArmId(), new LinkedHashMap<ArmKind, ExperimentReport.Comparison>());
            }
            comparisons.get(arm.getArmId()).put(other.getKind(),
                    compare(arm, other, pValues[i], adjusted[i], alpha, currencies));
        }

        ArmCounts base = control != null && hasKind(arms, ArmKind.VARIANT) ? control : holdout;
        ArmCounts winner = null;
        if (!provisional && base != null) {
            for (ArmCounts arm : arms) {
                ExperimentReport.Comparison against = comparisonOf(comparisons, arm, base.getKind());
                if (against != null && (base.getKind() == ArmKind.HOLDOUT || arm.getKind() == ArmKind.VARIANT)
                        && against.isSignificant() && against.getDifference().getEstimate() > 0
                        && (winner == null || rate(arm) > rate(winner))) {
                    winner = arm;
                }
            }
        }

        List<ExperimentReport.Arm> rows = new ArrayList<ExperimentReport.Arm>();
        for (ArmCounts arm : arms) {
            long n = arm.getEligibleCarts();
            boolean isCompared = compared.contains(arm.getArmId());
            ExperimentReport.Comparison vsControl = comparisonOf(comparisons, arm, ArmKind.CONTROL);
            ExperimentReport.Comparison vsHoldout = comparisonOf(comparisons, arm, ArmKind.HOLDOUT);
            rows.add(new ExperimentReport.Arm(arm, Proportions.wilson(arm.getConvertedCarts(), n, alpha),
                    n == 0 ? null : (double) arm.getRecoveredCarts() / n, isCompared,
                    isCompared ? Math.max(0, planned - n) : 0, vsControl, vsHoldout, revenue(arm, currencies, alpha),
                    Verdicts.arm(arm, isCompared, provisional, planned, vsControl, vsHoldout, winner, design)));
        }
        String verdict = Verdicts.experiment(m, provisional, planned, fewest, base, winner, arms.size(), design);
        return new ExperimentReport(design, m, planned, m == 0 ? 0 : fewest, provisional,
                winner == null ? null : winner.getArmId(), verdict, currencies, rows);
    }

    private static ExperimentReport.Comparison compare(ArmCounts arm, ArmCounts other, Double pValue, Double adjusted,
                                                       double alpha, List<String> currencies) {
        Map<String, ExperimentReport.RevenueDifference> revenue =
                new LinkedHashMap<String, ExperimentReport.RevenueDifference>();
        for (String currency : currencies) {
            MeanPerCart mine = meanPerCart(arm, currency);
            MeanPerCart theirs = meanPerCart(other, currency);
            revenue.put(currency, new ExperimentReport.RevenueDifference(
                    mine == null ? null : mine.differenceTo(theirs, alpha),
                    mine == null ? null : mine.pValueAgainst(theirs)));
        }
        return new ExperimentReport.Comparison(other.getArmId(), other.getKind(),
                Proportions.newcombeDifference(arm.getConvertedCarts(), arm.getEligibleCarts(),
                        other.getConvertedCarts(), other.getEligibleCarts(), alpha),
                Proportions.katzRelativeLift(arm.getConvertedCarts(), arm.getEligibleCarts(),
                        other.getConvertedCarts(), other.getEligibleCarts(), alpha),
                pValue, adjusted, adjusted != null && adjusted < alpha, revenue);
    }

    private static Map<String, ExperimentReport.Revenue> revenue(ArmCounts arm, List<String> currencies, double alpha) {
        Map<String, ExperimentReport.Revenue> revenue = new LinkedHashMap<String, ExperimentReport.Revenue>();
        for (String currency : currencies) {
            ArmCounts.Revenue given = arm.getRevenueByCurrency().get(currency);
            MeanPerCart mean = meanPerCart(arm, currency);
            revenue.put(currency, new ExperimentReport.Revenue(given == null ? 0 : given.getOrders(),
                    given == null ? BigDecimal.ZERO : given.getSum(), mean == null ? null : mean.getMean(),
                    mean == null ? null : mean.interval(alpha)));
        }
        return revenue;
    }

    /** An arm without revenue in a currency had no converted cart in it: every one of its carts counts as 0. */
    private static MeanPerCart meanPerCart(ArmCounts arm, String currency) {
        ArmCounts.Revenue given = arm.getRevenueByCurrency().get(currency);
        if (given == null) {
            return MeanPerCart.of(arm.getEligibleCarts(), BigDecimal.ZERO, BigDecimal.ZERO);
        }
        try {
            return MeanPerCart.of(arm.getEligibleCarts(), given.getSum(), given.getSumOfSquares());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("arm " + arm.getArmId() + ": revenue in " + currency + ": "
                    + e.getMessage(), e);
        }
    }

    private static ExperimentReport.Comparison comparisonOf(
            Map<Long, Map<ArmKind, ExperimentReport.Comparison>> comparisons, ArmCounts arm, ArmKind against) {
        Map<ArmKind, ExperimentReport.Comparison> mine = comparisons.get(arm.getArmId());
        return mine == null ? null : mine.get(against);
    }

    private static double rate(ArmCounts arm) {
        return (double) arm.getConvertedCarts() / arm.getEligibleCarts();
    }

    private static List<String> currencies(List<ArmCounts> arms) {
        Set<String> currencies = new LinkedHashSet<String>();
        for (ArmCounts arm : arms) {
            currencies.addAll(arm.getRevenueByCurrency().keySet());
        }
        return new ArrayList<String>(currencies);
    }

    private static boolean hasKind(List<ArmCounts> arms, ArmKind kind) {
        for (ArmCounts arm : arms) {
            if (arm.getKind() == kind) {
                return true;
            }
        }
        return false;
    }

    private static ArmCounts only(List<ArmCounts> arms, ArmKind kind) {
        ArmCounts found = null;
        for (ArmCounts arm : arms) {
            if (arm.getKind() == kind) {
                if (found != null) {
                    throw new IllegalArgumentException("arms may hold at most one " + kind + " arm, found arms "
                            + found.getArmId() + " and " + arm.getArmId());
                }
                found = arm;
            }
        }
        return found;
    }

    private static void check(ExperimentDesign design, List<ArmCounts> arms) {
        if (design == null) {
            throw new IllegalArgumentException("design must be given");
        }
        if (arms == null || arms.isEmpty()) {
            throw new IllegalArgumentException("arms must hold at least one arm");
        }
        Set<Long> ids = new HashSet<Long>();
        for (ArmCounts arm : arms) {
            if (arm == null || arm.getKind() == null) {
                throw new IllegalArgumentException("arms must not hold a null arm or an arm without a kind");
            }
            if (!ids.add(arm.getArmId())) {
                throw new IllegalArgumentException("arms must have distinct ids, " + arm.getArmId() + " appears twice");
            }
            String where = "arm " + arm.getArmId() + ": ";
            if (arm.getEligibleCarts() < 0) {
                throw new IllegalArgumentException(where + "eligibleCarts must be 0 or more, was " + arm.getEligibleCarts());
            }
            if (arm.getConvertedCarts() < 0 || arm.getConvertedCarts() > arm.getEligibleCarts()) {
                throw new IllegalArgumentException(where + "convertedCarts must be between 0 and eligibleCarts ("
                        + arm.getEligibleCarts() + "), was " + arm.getConvertedCarts());
            }
            if (arm.getRecoveredCarts() < 0 || arm.getRecoveredCarts() > arm.getEligibleCarts()) {
                throw new IllegalArgumentException(where + "recoveredCarts must be between 0 and eligibleCarts ("
                        + arm.getEligibleCarts() + "), was " + arm.getRecoveredCarts());
            }
            for (Map.Entry<String, ArmCounts.Revenue> revenue : arm.getRevenueByCurrency().entrySet()) {
                ArmCounts.Revenue r = revenue.getValue();
                if (r == null || r.getSum() == null || r.getSumOfSquares() == null || r.getOrders() < 0) {
                    throw new IllegalArgumentException(where + "revenue in " + revenue.getKey()
                            + " must have orders (0 or more), a sum and a sum of squares");
                }
            }
        }
    }
}
