package io.github.cartrecovery.benchmarks;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

import io.github.cartrecovery.delivery.BanditEngineRun;
import io.github.cartrecovery.delivery.ExperimentEngineRun;
import io.github.cartrecovery.experiment.ArmCounts;
import io.github.cartrecovery.experiment.ArmKind;
import io.github.cartrecovery.experiment.stats.ExperimentAnalysis;
import io.github.cartrecovery.experiment.stats.ExperimentDesign;
import io.github.cartrecovery.experiment.stats.ExperimentReport;
import io.github.cartrecovery.experiment.stats.Interval;

/**
 * Proof by simulation that the experiments measure what is true, in three parts:
 * <ol>
 * <li>Real engine: a synthetic population of known true purchase rates per arm (holdout baseline, control with a small
 * true lift, a variant) goes through capture, the planner with a running experiment, delivery to a local SMTP sink,
 * purchase and the attribution job on the test clock ({@link ExperimentEngineRun}); the counts come from
 * ExperimentResults.countsFor and the report from ExperimentAnalysis. lift_error is |estimated - true| of the control's
 * difference in conversion against the holdout.</li>
 * <li>Coverage: {@value #REPETITIONS} repetitions of the same experiment (the arms' sizes of part 1, the same true
 * rates), counts drawn from the binomial model, analysed by the real ExperimentAnalysis; the share of its 95 %
 * intervals (every comparison: control and variant against the holdout, variant against control) that contain the
 * true difference. The engine is not run 1,000 times: that would not fit ten minutes.</li>
 * <li>Bandit through the real planner ({@link BanditEngineRun}): a BANDIT experiment, 20,000 abandoned carts planned
 * by RecoveryPlanner with the experiment's ExperimentBandit reading its counts from the database, each treated cart
 * recovered with its arm's true rate (an attribution record), counted when its 7-day window closed; one arm clearly
 * better. Its share of the last quarter's treated carts on the best arm and its regret against an even split.</li>
 * </ol>
 * Goals: coverage 0.93 to 0.97, best-arm share at least 0.8, regret below 0.5 of uniform's.
 */
final class ExperimentsBenchmark implements Benchmarks.Benchmark {

    static final int REPETITIONS = 1000;
    private static final Map<String, Double> TRUE_RATES = new LinkedHashMap<>();
    private static final Map<String, Double> BANDIT_RATES = new LinkedHashMap<>();

    static {
        TRUE_RATES.put("holdout", 0.10);
        TRUE_RATES.put("A", 0.13);   // the control: a small true lift of 0.03 over no message
        TRUE_RATES.put("B", 0.16);
        BANDIT_RATES.put("A", 0.05);
        BANDIT_RATES.put("B", 0.08);   // the clearly better arm
        BANDIT_RATES.put("C", 0.05);
    }

    @Override
    public void run() throws Exception {
        int days = Integer.getInteger("cartrecovery.benchmark.experiments.days", 40);
        int cartsPerDay = Integer.getInteger("cartrecovery.benchmark.experiments.carts-per-day", 50);
        System.setProperty("cartrecovery.test.db", System.getProperty("cartrecovery.benchmark.db", "hsqldb"));
        ExperimentDesign design = ExperimentDesign.of(0.10, 0.03);

        long start = System.nanoTime();
        ExperimentEngineRun.Outcome outcome;
        try (io.github.cartrecovery.testing.PluginContext broadleaf = io.github.cartrecovery.testing.PluginContext
                .boot(List.of("bl-cartrecovery-applicationContext.xml"), Map.of())) {
            long engineStart = System.nanoTime();
            outcome = ExperimentEngineRun.run(broadleaf, days, cartsPerDay, TRUE_RATES, new BigDecimal("20"), 20261207L);
            System.out.printf(Locale.ROOT, "%nengine part: %d carts over %d simulated days in %.1f s (boot %.1f s)%n",
                    days * cartsPerDay, days, (System.nanoTime() - engineStart) / 1e9, (engineStart - start) / 1e9);
        }
        ExperimentReport report = ExperimentAnalysis.analyse(design, outcome.counts);
        System.out.println();
        System.out.println("Part 1, real engine (capture, planner with experiment, delivery to GreenMail, restore link on "
                + "another device, purchase, attribution, ExperimentResults, ExperimentAnalysis); " + outcome.emailsReceived
                + " emails received, " + outcome.restoredPurchases + " purchases made from a restore link");
        System.out.printf(Locale.ROOT, "%-8s %-8s %8s %9s %10s %9s %28s %8s%n", "arm", "kind", "carts", "messages",
                "converted", "true p", "95% CI diff vs holdout", "covers");
        double liftEstimate = Double.NaN;
        double trueLift = TRUE_RATES.get("A") - TRUE_RATES.get("holdout");
        for (ExperimentReport.Arm arm : report.getArms()) {
            ArmCounts c = arm.getCounts();
            ExperimentReport.Comparison vsHoldout = arm.getVsHoldout();
            double truth = TRUE_RATES.get(arm.getArmKey()) - TRUE_RATES.get("holdout");
            String ci = vsHoldout == null ? "-" : String.format(Locale.ROOT, "%+.4f [%+.4f, %+.4f]",
                    vsHoldout.getDifference().getEstimate(), vsHoldout.getDifference().getLower(),
                    vsHoldout.getDifference().getUpper());
            System.out.printf(Locale.ROOT, "%-8s %-8s %8d %9d %10d %9.3f %28s %8s%n", arm.getArmKey(), arm.getKind(),
                    c.getEligibleCarts(), c.getMessages(), c.getConvertedCarts(), TRUE_RATES.get(arm.getArmKey()), ci,
                    vsHoldout == null ? "-" : String.valueOf(vsHoldout.getDifference().covers(truth)));
            if (arm.getKind() == ArmKind.CONTROL && vsHoldout != null) {
                liftEstimate = vsHoldout.getDifference().getEstimate();
            }
        }
        double liftError = Math.abs(liftEstimate - trueLift);
        System.out.printf(Locale.ROOT, "incremental lift of the control over the holdout: estimated %.4f, true %.4f, "
                + "error %.4f%n", liftEstimate, trueLift, liftError);

        double coverage = coverage(design, outcome.counts);
        System.out.println();
        System.out.printf(Locale.ROOT, "Part 2, coverage: %d repetitions at the arm sizes above, binomial counts, real "
                + "ExperimentAnalysis; %d intervals, coverage %.4f (goal 0.93-0.97)%n", REPETITIONS, 3 * REPETITIONS, coverage);

        int banditCarts = Integer.getInteger("cartrecovery.benchmark.experiments.bandit-carts", 20000);
        BanditEngineRun.Outcome bandit;
        long banditStart = System.nanoTime();
        try (io.github.cartrecovery.testing.PluginContext broadleaf = io.github.cartrecovery.testing.PluginContext
                .boot(List.of("bl-cartrecovery-applicationContext.xml"), Map.of())) {
            bandit = BanditEngineRun.run(broadleaf, banditCarts, 333, 50, BANDIT_RATES, 0.25, 20261207L);
        }
        double share = bandit.bestArmShareInLastPart;
        double regretRatio = bandit.regret / bandit.uniformRegret;
        System.out.println();
        System.out.printf(Locale.ROOT, "Part 3, bandit through the real planner (RecoveryPlanner, ArmAssignments, "
                + "ExperimentBandit, BanditRecords on the database: %,d carts at 333 a day, planned 50 at a time, 10%% "
                + "holdout, rewards RECOVERED a day after planning and counted when the 7-day window closed, true rates "
                + "A 0.05 B 0.08 C 0.05) in %.1f s%n", banditCarts, (System.nanoTime() - banditStart) / 1e9);
        System.out.printf(Locale.ROOT, "treated carts per arm %s, held out %d; best arm's share in the last quarter %.3f "
                + "(goal >= 0.8); regret %.1f vs uniform %.1f = %.3f (goal < 0.5)%n", bandit.chosen, bandit.heldOut,
                share, bandit.regret, bandit.uniformRegret, regretRatio);

        boolean goalMet = coverage >= 0.93 && coverage <= 0.97 && share >= 0.8 && regretRatio < 0.5;
        System.out.printf(Locale.ROOT, "%.1f s in all%n", (System.nanoTime() - start) / 1e9);
        System.out.printf(Locale.ROOT, "RESULT experiments lift_error=%.4f ci_coverage=%.4f bandit_best_arm_share=%.3f "
                + "regret_vs_uniform=%.3f goal_met=%s%n", liftError, coverage, share, regretRatio, goalMet);
    }

    /** The share of the analysis's 95 % difference intervals that contain the truth, over the repetitions. */
    private static double coverage(ExperimentDesign design, List<ArmCounts> real) {
        RandomGenerator random = new Well19937c(42L);
        Map<String, BinomialDistribution> draws = new LinkedHashMap<>();
        for (ArmCounts arm : real) {
            draws.put(arm.getArmKey(), new BinomialDistribution(random, (int) arm.getEligibleCarts(),
                    TRUE_RATES.get(arm.getArmKey())));
        }
        int intervals = 0;
        int covered = 0;
        for (int i = 0; i < REPETITIONS; i++) {
            List<ArmCounts> counts = new ArrayList<>();
            for (ArmCounts arm : real) {
                counts.add(new ArmCounts(arm.getArmId(), arm.getArmKey(), arm.getName(), arm.getKind(),
                        arm.getEligibleCarts(), 0, 0, 0, draws.get(arm.getArmKey()).sample(), 0, Map.of()));
            }
            for (ExperimentReport.Arm arm : ExperimentAnalysis.analyse(design, counts).getArms()) {
                for (ExperimentReport.Comparison comparison : new ExperimentReport.Comparison[] {
                        arm.getVsHoldout(), arm.getVsControl()}) {
                    if (comparison == null) {
                        continue;
                    }
                    String against = comparison.getAgainstKind() == ArmKind.HOLDOUT ? "holdout" : "A";
                    Interval difference = comparison.getDifference();
                    intervals++;
                    if (difference.covers(TRUE_RATES.get(arm.getArmKey()) - TRUE_RATES.get(against))) {
                        covered++;
                    }
                }
            }
        }
        return covered / (double) intervals;
    }
}
