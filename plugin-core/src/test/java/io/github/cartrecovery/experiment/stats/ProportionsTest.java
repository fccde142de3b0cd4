package io.github.cartrecovery.experiment.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

/** Edge cases of the formulas; the values themselves are checked against scipy in {@link ReferenceValuesTest}. */
class ProportionsTest {

    @Test
    void noCartsHasNoRateNoDifferenceNoTestAndNoLift() {
        assertThat(Proportions.wilson(0, 0, 0.05)).isNull();
        assertThat(Proportions.newcombeDifference(0, 0, 5, 100, 0.05)).isNull();
        assertThat(Proportions.pooledZTestPValue(0, 0, 5, 100)).isNull();
        assertThat(Proportions.katzRelativeLift(0, 0, 5, 100, 0.05)).isNull();
    }

    @Test
    void zeroConversionsStillHaveAnIntervalFromZero() {
        Interval rate = Proportions.wilson(0, 50, 0.05);

        assertThat(rate.getEstimate()).isZero();
        assertThat(rate.getLower()).isZero();
        assertThat(rate.getUpper()).isBetween(0.05, 0.1);
        assertThat(Proportions.katzRelativeLift(0, 50, 5, 50, 0.05)).isNull();
    }

    @Test
    void allConvertedKeepsTheIntervalWithinOne() {
        Interval rate = Proportions.wilson(40, 40, 0.05);

        assertThat(rate.getUpper()).isEqualTo(1.0);
        assertThat(rate.getLower()).isLessThan(1.0);
        assertThat(Proportions.pooledZTestPValue(40, 40, 30, 30)).isEqualTo(1.0);
        assertThat(Proportions.katzRelativeLift(40, 40, 30, 30, 0.05)).isNull();
    }

    @Test
    void criticalValueIsTheNormalQuantile() {
        assertThat(Proportions.criticalZ(0.05)).isCloseTo(1.959963985, within(1e-9));
    }

    @Test
    void rejectsMoreConversionsThanCarts() {
        assertThatThrownBy(() -> Proportions.wilson(11, 10, 0.05))
                .hasMessage("converted carts must be between 0 and the eligible carts (10), was 11");
    }

    @Test
    void revenuePerCartNeedsTwoCartsForAnInterval() {
        assertThat(MeanPerCart.of(0, BigDecimal.ZERO, BigDecimal.ZERO)).isNull();
        MeanPerCart one = MeanPerCart.of(1, new BigDecimal("20"), new BigDecimal("400"));
        assertThat(one.getMean()).isEqualTo(20.0);
        assertThat(one.interval(0.05)).isNull();
        assertThat(one.differenceTo(MeanPerCart.of(5, BigDecimal.TEN, new BigDecimal("100")), 0.05)).isNull();
    }

    @Test
    void revenueThatDoesNotVaryHasAZeroWidthIntervalAndNoTest() {
        MeanPerCart none = MeanPerCart.of(100, BigDecimal.ZERO, BigDecimal.ZERO);

        assertThat(none.interval(0.05).getLower()).isZero();
        assertThat(none.interval(0.05).getUpper()).isZero();
        assertThat(none.differenceTo(none, 0.05).getUpper()).isZero();
        assertThat(none.pValueAgainst(none)).isNull();
    }

    @Test
    void largeOrderTotalsDoNotCancelAway() {
        // 1,000 carts, two orders of 1,000,000.01 and 1,000,000.03: variance from exact decimals
        MeanPerCart big = MeanPerCart.of(1000, new BigDecimal("2000000.04"), new BigDecimal("2000000080000.0010"));

        assertThat(big.getMean()).isCloseTo(2000.00004, within(1e-9));
        assertThat(big.interval(0.05).getLower()).isLessThan(big.getMean());
    }

    @Test
    void everyCartConvertedAtTheSameTotalHasNoVariance() {
        // 7 carts at 10.01: Q - S^2/n is exactly 0 in decimals (in doubles it would come out a little off)
        MeanPerCart same = MeanPerCart.of(7, new BigDecimal("70.07"), new BigDecimal("701.4007"));

        assertThat(same.interval(0.05).getLower()).isEqualTo(same.getMean());
    }

    @Test
    void rejectsAnInconsistentRevenueSummary() {
        assertThatThrownBy(() -> MeanPerCart.of(2, new BigDecimal("10"), new BigDecimal("10")))
                .hasMessageContaining("revenue sum of squares (10) is smaller than");
    }
}
