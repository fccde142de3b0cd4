package io.github.cartrecovery.experiment.bandit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

class SegmentTest {

    private static final HighValueThresholds THRESHOLDS = HighValueThresholds.parse("EUR:150, usd:200", "thresholds");

    @Test
    void aReturningShoppersLargeEveningCartHasAStableKey() {
        Segment segment = Segment.of(true, new BigDecimal("180.00"), "EUR", THRESHOLDS, 19);

        assertThat(segment.key()).isEqualTo("returning.high-value.evening");
        assertThat(segment.withoutHourBand().key()).isEqualTo("returning.high-value");
        assertThat(segment.words()).isEqualTo("returning shoppers with a high-value cart in the evening");
    }

    @Test
    void theHighValueThresholdIsPerCurrency() {
        assertThat(Segment.of(false, new BigDecimal("180"), "USD", THRESHOLDS, 9).key()).isEqualTo("new.standard.morning");
        assertThat(Segment.of(false, new BigDecimal("200"), "usd", THRESHOLDS, 9).key()).isEqualTo("new.high-value.morning");
        assertThat(Segment.of(false, new BigDecimal("150"), "EUR", THRESHOLDS, 9).getCartValue())
                .isEqualTo(Segment.CartValue.HIGH_VALUE);
    }

    @Test
    void aCurrencyWithoutAThresholdHasNoHighValueCarts() {
        assertThat(Segment.of(true, new BigDecimal("1000000"), "JPY", THRESHOLDS, 12).getCartValue())
                .isEqualTo(Segment.CartValue.STANDARD);
        assertThat(Segment.of(true, null, null, THRESHOLDS, 12).getCartValue()).isEqualTo(Segment.CartValue.STANDARD);
    }

    @Test
    void theLocalHourFallsInOneOfFourBands() {
        assertThat(HourBand.ofHour(0)).isEqualTo(HourBand.NIGHT);
        assertThat(HourBand.ofHour(5)).isEqualTo(HourBand.NIGHT);
        assertThat(HourBand.ofHour(6)).isEqualTo(HourBand.MORNING);
        assertThat(HourBand.ofHour(12)).isEqualTo(HourBand.AFTERNOON);
        assertThat(HourBand.ofHour(17)).isEqualTo(HourBand.AFTERNOON);
        assertThat(HourBand.ofHour(18)).isEqualTo(HourBand.EVENING);
        assertThat(HourBand.ofHour(23)).isEqualTo(HourBand.EVENING);
        assertThatThrownBy(() -> HourBand.ofHour(24)).hasMessage("localHour must be between 0 and 23, not 24");
    }

    @Test
    void everyKeyReadsBackAsItsSegment() {
        for (Segment.Shopper shopper : Segment.Shopper.values()) {
            for (Segment.CartValue value : Segment.CartValue.values()) {
                Segment anyHour = new Segment(shopper, value, null);
                assertThat(Segment.parse(anyHour.key())).isEqualTo(anyHour);
                for (HourBand band : HourBand.values()) {
                    Segment segment = new Segment(shopper, value, band);
                    assertThat(Segment.parse(segment.key())).isEqualTo(segment);
                    assertThat(Segment.parse(segment.key()).getHourBand()).isEqualTo(band);
                }
            }
        }
    }

    @Test
    void anUnknownKeyIsAnErrorShowingTheForm() {
        assertThatThrownBy(() -> Segment.parse("returning.huge")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("segment key 'returning.huge' must look like new|returning");
        assertThatThrownBy(() -> Segment.parse("new.standard.noon")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Segment.parse("new.standard.evening.x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void badThresholdsAreErrorsNamingThePropertyAndTheRule() {
        assertThatThrownBy(() -> HighValueThresholds.parse("EUR150", "cartrecovery.x"))
                .hasMessage("cartrecovery.x: each entry must look like EUR:150, not 'EUR150'");
        assertThatThrownBy(() -> HighValueThresholds.parse("EURO:150", "cartrecovery.x"))
                .hasMessageContaining("'EURO' is not a three-letter currency code");
        assertThatThrownBy(() -> HighValueThresholds.parse("EUR:abc", "cartrecovery.x"))
                .hasMessageContaining("cartrecovery.x: 'abc' for EUR is not an amount");
        assertThatThrownBy(() -> HighValueThresholds.parse("EUR:0", "cartrecovery.x"))
                .hasMessageContaining("cartrecovery.x: the threshold for EUR must be greater than 0");
        assertThatThrownBy(() -> HighValueThresholds.parse("EUR:100, eur:200", "cartrecovery.x"))
                .hasMessage("cartrecovery.x: EUR is given twice");
        assertThat(HighValueThresholds.parse(" ", "cartrecovery.x").getByCurrency()).isEmpty();
    }
}
