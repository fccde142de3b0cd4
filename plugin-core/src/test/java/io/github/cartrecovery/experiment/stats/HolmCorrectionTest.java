package io.github.cartrecovery.experiment.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class HolmCorrectionTest {

    @Test
    void multipliesTheSortedPValuesByTheHypothesesLeftAndKeepsThemMonotone() {
        // sorted 0.005, 0.01, 0.03, 0.04 -> 4 x 0.005, 3 x 0.01, 2 x 0.03, max(0.06, 1 x 0.04)
        Double[] adjusted = HolmCorrection.adjust(new Double[] {0.01, 0.04, 0.03, 0.005});

        assertThat(adjusted[0]).isCloseTo(0.03, within(1e-12));
        assertThat(adjusted[1]).isCloseTo(0.06, within(1e-12));
        assertThat(adjusted[2]).isCloseTo(0.06, within(1e-12));
        assertThat(adjusted[3]).isCloseTo(0.02, within(1e-12));
    }

    @Test
    void oneComparisonIsLeftAsItIs() {
        assertThat(HolmCorrection.adjust(new Double[] {0.03})).containsExactly(0.03);
    }

    @Test
    void capsAtOne() {
        assertThat(HolmCorrection.adjust(new Double[] {0.6, 0.7})).containsExactly(1.0, 1.0);
    }

    @Test
    void testsThatCouldNotBeMadeStayEmptyAndDoNotCount() {
        Double[] adjusted = HolmCorrection.adjust(new Double[] {null, 0.02, 0.01});

        assertThat(adjusted[0]).isNull();
        assertThat(adjusted[1]).isCloseTo(0.02, within(1e-12));
        assertThat(adjusted[2]).isCloseTo(0.02, within(1e-12));
    }

    @Test
    void rejectsAPValueOutsideZeroToOne() {
        assertThatThrownBy(() -> HolmCorrection.adjust(new Double[] {1.5}))
                .hasMessage("p-value 0 must be between 0 and 1, was 1.5");
    }
}
