package io.github.cartrecovery.experiment.stats;

import static io.github.cartrecovery.experiment.stats.Arms.control;
import static io.github.cartrecovery.experiment.stats.Arms.holdout;
import static io.github.cartrecovery.experiment.stats.Arms.variant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.cartrecovery.experiment.ArmCounts;
import io.github.cartrecovery.experiment.ArmKind;

class ExperimentAnalysisTest {

    /** Baseline 10 %, a 50 % relative lift: 686 carts per arm for one comparison, more for several. */
    static final ExperimentDesign DESIGN = ExperimentDesign.of(0.10, 0.50);

    static ExperimentReport analyse(ExperimentDesign design, Arms... arms) {
        ArmCounts[] counts = new ArmCounts[arms.length];
        for (int i = 0; i < arms.length; i++) {
            counts[i] = arms[i].build();
        }
        return ExperimentAnalysis.analyse(design, Arrays.asList(counts));
    }

    static ExperimentReport.Arm row(ExperimentReport report, long armId) {
        return report.getArms().stream().filter(a -> a.getArmId() == armId).findFirst().orElseThrow();
    }

    @Test
    void isProvisionalAndSuggestsNoWinnerBeforeThePlannedCartsEvenWhenADifferenceIsSignificant() {
        ExperimentDesign design = ExperimentDesign.of(0.08, 0.10);
        ExperimentReport report = analyse(design, control(1).carts(412, 20), variant(2, "B").carts(430, 200));

        assertThat(report.getPlannedCartsPerArm()).isEqualTo(18_872);
        assertThat(report.isProvisional()).isTrue();
        assertThat(row(report, 2).getVsControl().isSignificant()).isTrue();
        assertThat(report.getSuggestedWinnerArmId()).isNull();
        assertThat(report.getVerdict()).startsWith("Provisional: 412 of 18,872 carts per arm; keep it running.")
                .contains("no winner is suggested").doesNotContain("better");
        assertThat(row(report, 2).getVerdict()).startsWith("Provisional: 430 of 18,872 carts; keep it running. So far "
                + "+41.66 points against the control (95% interval").endsWith(": not a result before 18,872 carts, an early "
                + "difference can vanish.");
        assertThat(row(report, 1).getCartsStillNeeded()).isEqualTo(18_872 - 412);
        assertThat(row(report, 2).getCartsStillNeeded()).isEqualTo(18_872 - 430);
    }

    @Test
    void saysInPlainWordsWhenADifferenceIsNotSignificantYet() {
        // Newcombe 36/300 - 30/300: -0.0306 to 0.0708 (reference_values.newcombe)
        ExperimentReport report = analyse(DESIGN, control(1).carts(300, 30), variant(2, "B").carts(300, 36));

        assertThat(row(report, 2).getVerdict()).isEqualTo("Provisional: 300 of 686 carts; keep it running. So far +2.00 "
                + "points against the control (95% interval -3.06 to +7.08): not significant yet.");
        assertThat(row(report, 1).getVerdict()).isEqualTo("Provisional: 300 of 686 carts; keep it running.");
    }

    @Test
    void tellsHowManyMoreCartsASmallerEffectWouldNeed() {
        ExperimentReport report = analyse(DESIGN, control(1).carts(300, 30), variant(2, "B").carts(500, 36));

        assertThat(report.getFewestCartsPerComparedArm()).isEqualTo(300);
        assertThat(report.moreCartsPerArmFor(0.50)).isEqualTo(686 - 300);
        assertThat(report.moreCartsPerArmFor(0.25)).isEqualTo(SampleSize.perArm(0.10, 0.25, 0.05, 0.8) - 300);
        assertThat(report.moreCartsPerArmFor(2.0)).isZero();
    }

    @Test
    void suggestsTheBestVariantThatIsSignificantlyBetterThanTheControlOnceEveryArmHasThePlannedCarts() {
        ExperimentReport report = analyse(DESIGN, holdout(1).carts(2000, 100), control(2).carts(2000, 200),
                variant(3, "B").named("Coupon first").carts(2000, 300), variant(4, "C").carts(2000, 260));

        // B vs control, C vs control, control/B/C vs holdout
        assertThat(report.getComparisons()).isEqualTo(5);
        assertThat(report.getPlannedCartsPerArm()).isEqualTo(DESIGN.plannedCartsPerArm(5)).isLessThan(2000);
        assertThat(report.isProvisional()).isFalse();
        assertThat(report.getSuggestedWinnerArmId()).isEqualTo(3L);
        assertThat(report.getVerdict()).isEqualTo("Suggested winner: arm B (Coupon first) converts significantly "
                + "better than the control (alpha 0.05 after Holm's correction for 5 comparisons).");
        assertThat(row(report, 3).getVerdict()).startsWith("Suggested winner. Converts significantly better than the "
                + "control: +5.00 points (95% interval");
        assertThat(row(report, 1).getVerdict()).startsWith("Holdout: gets no messages");
        assertThat(row(report, 2).getVerdict()).startsWith("Converts significantly better than the holdout: +5.00 points");
        assertThat(row(report, 4).getCartsStillNeeded()).isZero();
    }

    @Test
    void comparesEachVariantWithTheControlAndEveryTreatedArmWithTheHoldout() {
        ExperimentReport report = analyse(DESIGN, holdout(1).carts(2000, 100), control(2).carts(2000, 200),
                variant(3, "B").carts(2000, 300));

        assertThat(row(report, 1).getVsControl()).isNull();
        assertThat(row(report, 1).getVsHoldout()).isNull();
        assertThat(row(report, 2).getVsControl()).isNull();
        assertThat(row(report, 2).getVsHoldout().getAgainstArmId()).isEqualTo(1);
        assertThat(row(report, 3).getVsControl().getAgainstArmId()).isEqualTo(2);
        assertThat(row(report, 3).getVsHoldout().getAgainstArmId()).isEqualTo(1);
        ExperimentReport.Comparison vsControl = row(report, 3).getVsControl();
        assertThat(vsControl.getDifference().getEstimate()).isCloseTo(0.05, within(1e-12));
        assertThat(vsControl.getRelativeLift().getEstimate()).isCloseTo(0.5, within(1e-12));
        assertThat(vsControl.getDifference().getLower()).isGreaterThan(0);
        assertThat(row(report, 3).getConversion().getEstimate()).isEqualTo(0.15);
        assertThat(row(report, 3).getRecoveryRate()).isEqualTo(0.075);
    }

    @Test
    void saysNoWinnerAndWhatTheExperimentCouldDetectWhenNothingIsSignificantAfterThePlannedCarts() {
        ExperimentReport report = analyse(DESIGN, control(1).carts(2000, 200), variant(2, "B").carts(2000, 210));

        assertThat(report.isProvisional()).isFalse();
        assertThat(report.getSuggestedWinnerArmId()).isNull();
        assertThat(report.getVerdict()).isEqualTo("No winner: no arm converts significantly better than the control "
                + "(alpha 0.05). With 686 carts per arm a relative change of 50% would have been found 80% of the time; "
                + "a smaller difference may still exist.");
        assertThat(row(report, 2).getVerdict()).startsWith("Not significant against the control: +0.50 points")
                .endsWith("the difference may be chance.");
    }

    @Test
    void correctsForSeveralComparisonsWithHolm() {
        // alone, 243 and 240 of 2,000 against 200 of 2,000 have p = 0.030 and 0.043; Holm makes both 0.061
        ExperimentReport report = analyse(DESIGN, control(1).carts(2000, 200), variant(2, "B").carts(2000, 243),
                variant(3, "C").carts(2000, 240));

        ExperimentReport.Comparison b = row(report, 2).getVsControl();
        ExperimentReport.Comparison c = row(report, 3).getVsControl();
        assertThat(b.getPValue()).isCloseTo(0.0303, within(0.0001));
        assertThat(c.getPValue()).isCloseTo(0.0432, within(0.0001));
        assertThat(b.getAdjustedPValue()).isCloseTo(2 * b.getPValue(), within(1e-12));
        assertThat(c.getAdjustedPValue()).isCloseTo(2 * b.getPValue(), within(1e-12));
        assertThat(b.isSignificant()).isFalse();
        assertThat(c.isSignificant()).isFalse();
        assertThat(report.getCorrection()).isEqualTo("Holm");
        assertThat(report.getSuggestedWinnerArmId()).isNull();
        assertThat(report.getVerdict()).contains("after Holm's correction for 2 comparisons");
    }

    @Test
    void withoutAHoldoutComparesWithTheControlOnly() {
        ExperimentReport report = analyse(DESIGN, control(1).carts(1000, 100), variant(2, "B").carts(1000, 160));

        assertThat(report.getComparisons()).isEqualTo(1);
        assertThat(row(report, 2).getVsHoldout()).isNull();
        assertThat(row(report, 1).getVerdict()).isEqualTo("Control: the variants are compared with it.");
        assertThat(report.getSuggestedWinnerArmId()).isEqualTo(2L);
    }

    @Test
    void withoutAControlComparesWithTheHoldoutAndPicksTheBestSignificantArm() {
        ExperimentReport report = analyse(DESIGN, holdout(1).carts(1500, 75), variant(2, "B").carts(1500, 150),
                variant(3, "C").carts(1500, 180));

        assertThat(report.getComparisons()).isEqualTo(2);
        assertThat(row(report, 2).getVsControl()).isNull();
        assertThat(report.getSuggestedWinnerArmId()).isEqualTo(3L);
        assertThat(report.getVerdict()).contains("better than the holdout");
    }

    @Test
    void aControlAndAHoldoutAloneAskWhetherTheCampaignWorks() {
        ExperimentReport report = analyse(DESIGN, holdout(1).carts(1000, 50), control(2).carts(1000, 100));

        assertThat(report.getComparisons()).isEqualTo(1);
        assertThat(report.getSuggestedWinnerArmId()).isEqualTo(2L);
    }

    @Test
    void oneArmAloneHasNothingToCompare() {
        ExperimentReport report = analyse(DESIGN, control(1).carts(5000, 400));

        assertThat(report.getComparisons()).isZero();
        assertThat(report.isProvisional()).isTrue();
        assertThat(report.getSuggestedWinnerArmId()).isNull();
        assertThat(report.getVerdict()).isEqualTo("Only one arm: there is nothing to compare it with.");
        assertThat(row(report, 1).getVerdict()).isEqualTo("Not compared: no control or holdout to compare this arm with.");
        assertThat(row(report, 1).isCompared()).isFalse();
        assertThat(row(report, 1).getCartsStillNeeded()).isZero();
        assertThat(row(report, 1).getConversion().getEstimate()).isEqualTo(0.08);
    }

    @Test
    void twoVariantsWithoutControlOrHoldoutHaveNothingToCompare() {
        ExperimentReport report = analyse(DESIGN, variant(1, "A").carts(100, 5), variant(2, "B").carts(100, 6));

        assertThat(report.getVerdict()).startsWith("Nothing to compare:");
        assertThat(report.getSuggestedWinnerArmId()).isNull();
    }

    @Test
    void armsWithoutCartsHaveNoRatesYet() {
        ExperimentReport report = analyse(DESIGN, control(1).carts(0, 0).orders("USD", 0, "0"), variant(2, "B").carts(0, 0));

        ExperimentReport.Arm variant = row(report, 2);
        assertThat(variant.getConversion()).isNull();
        assertThat(variant.getRecoveryRate()).isNull();
        assertThat(variant.getVsControl().getDifference()).isNull();
        assertThat(variant.getVsControl().getPValue()).isNull();
        assertThat(variant.getVsControl().isSignificant()).isFalse();
        assertThat(variant.getRevenue().get("USD").getPerCart()).isNull();
        assertThat(variant.getCartsStillNeeded()).isEqualTo(686);
        assertThat(variant.getVerdict()).isEqualTo("No carts yet; this arm needs 686.");
        assertThat(report.getVerdict()).startsWith("Provisional: 0 of 686 carts per arm; keep it running.");
    }

    @Test
    void zeroConversionsEverywhereIsNoDifference() {
        ExperimentReport report = analyse(DESIGN, control(1).carts(1000, 0), variant(2, "B").carts(1000, 0));

        ExperimentReport.Comparison comparison = row(report, 2).getVsControl();
        assertThat(comparison.getPValue()).isEqualTo(1.0);
        assertThat(comparison.getRelativeLift()).isNull();
        assertThat(comparison.getDifference().getLower()).isLessThan(0);
        assertThat(comparison.getDifference().getUpper()).isGreaterThan(0);
        assertThat(row(report, 1).getConversion().getUpper()).isGreaterThan(0);
        assertThat(report.getSuggestedWinnerArmId()).isNull();
    }

    @Test
    void everyCartConvertedIsNoDifferenceEither() {
        ExperimentReport report = analyse(DESIGN, control(1).carts(700, 700), variant(2, "B").carts(700, 700));

        ExperimentReport.Comparison comparison = row(report, 2).getVsControl();
        assertThat(comparison.getPValue()).isEqualTo(1.0);
        assertThat(comparison.getRelativeLift()).isNull();
        assertThat(row(report, 2).getConversion().getUpper()).isEqualTo(1.0);
        assertThat(report.getSuggestedWinnerArmId()).isNull();
    }

    @Test
    void aCurrencyOnlyOneArmHasCountsAsNothingInTheOthers() {
        ExperimentReport report = analyse(DESIGN, control(1).carts(1000, 100).orders("USD", 90, "50")
                .orders("EUR", 10, "40"), variant(2, "B").carts(1000, 120).orders("USD", 120, "50"));

        assertThat(report.getCurrencies()).containsExactly("USD", "EUR");
        ExperimentReport.Revenue variantEur = row(report, 2).getRevenue().get("EUR");
        assertThat(variantEur.getOrders()).isZero();
        assertThat(variantEur.getSum()).isEqualByComparingTo(BigDecimal.ZERO);
        assertThat(variantEur.getPerCart()).isZero();
        assertThat(variantEur.getPerCartInterval().getUpper()).isZero();
        ExperimentReport.RevenueDifference eur = row(report, 2).getVsControl().getRevenue().get("EUR");
        assertThat(eur.getDifference().getEstimate()).isCloseTo(-0.4, within(1e-12));
        assertThat(eur.getDifference().getUpper()).isLessThan(0);
        assertThat(eur.getPValue()).isLessThan(0.05);
        ExperimentReport.Revenue controlUsd = row(report, 1).getRevenue().get("USD");
        assertThat(controlUsd.getSum()).isEqualByComparingTo("4500");
        assertThat(controlUsd.getPerCart()).isCloseTo(4.5, within(1e-12));
        assertThat(controlUsd.getPerCartInterval().getLower()).isLessThan(4.5);
    }

    @Test
    void rejectsArmsThatCannotBeAnalysed() {
        assertThatThrownBy(() -> ExperimentAnalysis.analyse(DESIGN, Collections.<ArmCounts>emptyList()))
                .hasMessage("arms must hold at least one arm");
        assertThatThrownBy(() -> ExperimentAnalysis.analyse(null, List.of(control(1).build())))
                .hasMessage("design must be given");
        assertThatThrownBy(() -> analyse(DESIGN, control(1), control(2)))
                .hasMessage("arms may hold at most one CONTROL arm, found arms 1 and 2");
        assertThatThrownBy(() -> analyse(DESIGN, control(1), variant(1, "B")))
                .hasMessage("arms must have distinct ids, 1 appears twice");
        assertThatThrownBy(() -> analyse(DESIGN, control(1).carts(10, 11)))
                .hasMessage("arm 1: convertedCarts must be between 0 and eligibleCarts (10), was 11");
        assertThatThrownBy(() -> ExperimentAnalysis.analyse(DESIGN, List.of(new ArmCounts(1, "x", "x", ArmKind.CONTROL,
                10, 0, 0, 0, 1, 0, java.util.Map.of("USD", new ArmCounts.Revenue(1, BigDecimal.ONE, null))))))
                .hasMessage("arm 1: revenue in USD must have orders (0 or more), a sum and a sum of squares");
        assertThatThrownBy(() -> ExperimentAnalysis.analyse(DESIGN, List.of(new ArmCounts(1, "x", "x", ArmKind.CONTROL,
                10, 0, 0, 0, 2, 0, java.util.Map.of("USD", new ArmCounts.Revenue(2, BigDecimal.TEN, BigDecimal.ONE))))))
                .hasMessageStartingWith("arm 1: revenue in USD: revenue sum of squares (1) is smaller than");
    }
}
