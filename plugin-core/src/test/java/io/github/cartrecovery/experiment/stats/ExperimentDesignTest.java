package io.github.cartrecovery.experiment.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ExperimentDesignTest {

    @Test
    void defaultsToAlphaFivePercentAndPowerEightyPercent() {
        ExperimentDesign design = ExperimentDesign.of(0.08, 0.10);

        assertThat(design.getAlpha()).isEqualTo(0.05);
        assertThat(design.getPower()).isEqualTo(0.8);
    }

    @Test
    void plansOneComparisonAtAlpha() {
        assertThat(ExperimentDesign.of(0.10, 0.50).plannedCartsPerArm(1)).isEqualTo(686);
        assertThat(ExperimentDesign.of(0.10, 0.50).plannedCartsPerArm(0)).isEqualTo(686);
    }

    @Test
    void plansSeveralComparisonsAtTheBonferroniLevel() {
        // 3 comparisons: alpha 0.05 / 3 (sample_size.csv: 0.12, 0.15 -> 7,260 against 6,592 at 0.025)
        assertThat(ExperimentDesign.of(0.12, 0.15).plannedCartsPerArm(3))
                .isEqualTo(SampleSize.perArm(0.12, 0.15, 0.05 / 3, 0.8)).isEqualTo(7260);
    }

    @Test
    void aSmallerEffectNeedsMoreCarts() {
        assertThat(SampleSize.perArm(0.08, 0.05, 0.05, 0.8)).isGreaterThan(SampleSize.perArm(0.08, 0.10, 0.05, 0.8) * 3);
    }

    @Test
    void rejectsValuesOutsideTheirRangeNamingTheField() {
        assertThatThrownBy(() -> new ExperimentDesign(0, 0.8, 0.08, 0.1))
                .hasMessage("alpha must be more than 0 and less than 0.5 (0.05 is usual), was 0.0");
        assertThatThrownBy(() -> new ExperimentDesign(0.05, 1.0, 0.08, 0.1))
                .hasMessage("power must be more than 0.5 and less than 1 (0.8 is usual), was 1.0");
        assertThatThrownBy(() -> new ExperimentDesign(0.05, 0.8, 0, 0.1))
                .hasMessageStartingWith("baselineRate must be more than 0 and less than 1");
        assertThatThrownBy(() -> new ExperimentDesign(0.05, 0.8, Double.NaN, 0.1))
                .hasMessageStartingWith("baselineRate must be more than 0 and less than 1");
        assertThatThrownBy(() -> ExperimentDesign.of(0.08, 0))
                .hasMessageStartingWith("minDetectableEffect must be a relative change other than 0");
        assertThatThrownBy(() -> ExperimentDesign.of(0.08, -1))
                .hasMessageStartingWith("minDetectableEffect must be a relative change other than 0");
        assertThatThrownBy(() -> ExperimentDesign.of(0.6, 1))
                .hasMessageContaining("baselineRate x (1 + minDetectableEffect) must be less than 1");
        assertThatThrownBy(() -> ExperimentDesign.of(0.08, 0.1).plannedCartsPerArm(-1))
                .hasMessage("comparisons must be 0 or more, was -1");
    }
}
