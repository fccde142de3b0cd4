package io.github.cartrecovery.experiment.stats;

import java.util.Locale;

import io.github.cartrecovery.experiment.ArmCounts;
import io.github.cartrecovery.experiment.ArmKind;

/** The report's sentences: what the numbers allow an operator to conclude, in plain English. */
final class Verdicts {

    private Verdicts() {
    }

    static String experiment(int comparisons, boolean provisional, long planned, long fewest, ArmCounts base,
                             ArmCounts winner, int arms, ExperimentDesign design) {
        if (comparisons == 0) {
            return arms == 1 ? "Only one arm: there is nothing to compare it with."
                    : "Nothing to compare: an experiment needs a control or a holdout and at least one other arm.";
        }
        if (provisional) {
            return String.format(Locale.ENGLISH, "Provisional: %,d of %,d carts per arm; keep it running. "
                    + "Results are not final and no winner is suggested until every compared arm has %,d carts "
                    + "(%,d more in the smallest).", fewest, planned, planned, planned - fewest);
        }
        String correction = comparisons == 1 ? "" : String.format(Locale.ENGLISH,
                " after Holm's correction for %d comparisons", comparisons);
        if (winner != null) {
            return String.format(Locale.ENGLISH, "Suggested winner: %s converts significantly better than the %s "
                    + "(alpha %s%s).", label(winner), kindName(base.getKind()), number(design.getAlpha()), correction);
        }
        return String.format(Locale.ENGLISH, "No winner: no arm converts significantly better than the %s (alpha %s%s). "
                + "With %,d carts per arm a relative change of %s would have been found %s of the time; "
                + "a smaller difference may still exist.", kindName(base.getKind()), number(design.getAlpha()),
                correction, planned, percent(design.getMinDetectableEffect()), percent(design.getPower()));
    }

    static String arm(ArmCounts arm, boolean compared, boolean provisional, long planned,
                      ExperimentReport.Comparison vsControl, ExperimentReport.Comparison vsHoldout, ArmCounts winner,
                      ExperimentDesign design) {
        if (!compared) {
            return "Not compared: no control or holdout to compare this arm with.";
        }
        if (arm.getEligibleCarts() == 0) {
            return String.format(Locale.ENGLISH, "No carts yet; this arm needs %,d.", planned);
        }
        if (provisional) {
            StringBuilder verdict = new StringBuilder(arm.getEligibleCarts() >= planned
                    ? String.format(Locale.ENGLISH, "Has its %,d carts; waiting for the other arms. Provisional.", planned)
                    : String.format(Locale.ENGLISH, "Provisional: %,d of %,d carts; keep it running.",
                            arm.getEligibleCarts(), planned));
            soFar(verdict, vsControl, planned, design);
            soFar(verdict, vsHoldout, planned, design);
            return verdict.toString();
        }
        StringBuilder verdict = new StringBuilder();
        if (winner != null && winner.getArmId() == arm.getArmId()) {
            verdict.append("Suggested winner. ");
        }
        if (vsControl == null && vsHoldout == null) {
            verdict.append(arm.getKind() == ArmKind.HOLDOUT ? "Holdout: gets no messages; the other arms are compared "
                    + "with it." : "Control: the variants are compared with it.");
        }
        sentence(verdict, vsControl, design);
        sentence(verdict, vsHoldout, design);
        return verdict.toString().trim();
    }

    /** Before the horizon: the difference so far, never a conclusion. */
    private static void soFar(StringBuilder verdict, ExperimentReport.Comparison comparison, long planned,
                              ExperimentDesign design) {
        if (comparison == null || comparison.getDifference() == null) {
            return;
        }
        Interval d = comparison.getDifference();
        verdict.append(String.format(Locale.ENGLISH, " So far %s points against the %s (%s%% interval %s to %s): %s.",
                points(d.getEstimate()), kindName(comparison.getAgainstKind()), number(100 * (1 - design.getAlpha())),
                points(d.getLower()), points(d.getUpper()), comparison.isSignificant()
                        ? String.format(Locale.ENGLISH, "not a result before %,d carts, an early difference can vanish",
                                planned)
                        : "not significant yet"));
    }

    private static void sentence(StringBuilder verdict, ExperimentReport.Comparison comparison, ExperimentDesign design) {
        if (comparison == null) {
            return;
        }
        String against = kindName(comparison.getAgainstKind());
        Interval d = comparison.getDifference();
        String numbers = String.format(Locale.ENGLISH, "%s points (%s%% interval %s to %s), adjusted p %s",
                points(d.getEstimate()), number(100 * (1 - design.getAlpha())), points(d.getLower()),
                points(d.getUpper()), pValue(comparison.getAdjustedPValue()));
        if (comparison.isSignificant()) {
            verdict.append(String.format(Locale.ENGLISH, "Converts significantly %s than the %s: %s. ",
                    d.getEstimate() > 0 ? "better" : "worse", against, numbers));
        } else {
            verdict.append(String.format(Locale.ENGLISH, "Not significant against the %s: %s; the difference may "
                    + "be chance. ", against, numbers));
        }
    }

    private static String label(ArmCounts arm) {
        return arm.getName() == null || arm.getName().isEmpty() ? "arm " + arm.getArmKey()
                : "arm " + arm.getArmKey() + " (" + arm.getName() + ")";
    }

    private static String kindName(ArmKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    private static String points(double difference) {
        return String.format(Locale.ENGLISH, "%+.2f", difference * 100);
    }

    private static String percent(double fraction) {
        return number(fraction * 100) + "%";
    }

    private static String number(double value) {
        String text = String.format(Locale.ENGLISH, "%.2f", value);
        return text.replaceAll("\\.?0+$", "");
    }

    private static String pValue(Double p) {
        if (p == null) {
            return "not defined";
        }
        return p < 0.001 ? "< 0.001" : "= " + String.format(Locale.ENGLISH, "%.3f", p);
    }
}
