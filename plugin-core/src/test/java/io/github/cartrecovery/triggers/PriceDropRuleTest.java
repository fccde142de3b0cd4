package io.github.cartrecovery.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

/** When a lower price is worth an alert: an amount per currency or a share, whichever is met first. */
class PriceDropRuleTest {

    private static BigDecimal money(String amount) {
        return new BigDecimal(amount);
    }

    @Test
    void aDropOfAtLeastTheCurrencysAmountIsWorthAnAlert() {
        PriceDropRule rule = PriceDropRule.parse("USD:5,EUR:4", "");

        assertThat(rule.isDrop(money("100"), money("95"), "USD")).isTrue();
        assertThat(rule.isDrop(money("100"), money("95.01"), "USD")).isFalse();
        assertThat(rule.isDrop(money("100"), money("96"), "EUR")).isTrue();
        assertThat(rule.isDrop(money("100"), money("50"), "GBP")).as("no amount for GBP, no share").isFalse();
    }

    @Test
    void aDropOfAtLeastTheShareIsWorthAnAlert() {
        PriceDropRule rule = PriceDropRule.parse("", "10");

        assertThat(rule.isDrop(money("40"), money("36"), "USD")).isTrue();
        assertThat(rule.isDrop(money("40"), money("36.01"), "USD")).isFalse();
    }

    @Test
    void eitherThresholdIsEnough() {
        PriceDropRule rule = PriceDropRule.parse("USD:5", "10");

        assertThat(rule.isDrop(money("200"), money("195"), "USD")).as("5 dollars, 2.5%").isTrue();
        assertThat(rule.isDrop(money("20"), money("18"), "USD")).as("2 dollars, 10%").isTrue();
        assertThat(rule.isDrop(money("200"), money("197"), "USD")).isFalse();
    }

    @Test
    void aHigherOrEqualPriceOrAnUnknownOneIsNeverADrop() {
        PriceDropRule rule = PriceDropRule.parse("USD:1", "1");

        assertThat(rule.isDrop(money("10"), money("10"), "USD")).isFalse();
        assertThat(rule.isDrop(money("10"), money("12"), "USD")).isFalse();
        assertThat(rule.isDrop(null, money("5"), "USD")).isFalse();
        assertThat(rule.isDrop(money("10"), null, "USD")).isFalse();
    }

    @Test
    void withNoThresholdNoDropIsWorthAnAlert() {
        assertThat(PriceDropRule.parse("", "0").isDrop(money("100"), money("1"), "USD")).isFalse();
    }

    @Test
    void badSettingsNameTheirProperty() {
        assertThatThrownBy(() -> PriceDropRule.parse("", "ten"))
                .hasMessageContaining("cartrecovery.triggers.price-drop.min-percent must be a number");
        assertThatThrownBy(() -> PriceDropRule.parse("", "150"))
                .hasMessageContaining("cartrecovery.triggers.price-drop.min-percent must be between 0 and 100");
        assertThatThrownBy(() -> PriceDropRule.parse("USD:x", "10"))
                .hasMessageContaining("cartrecovery.triggers.price-drop.min-amount");
    }

    @Test
    void eventKeysShowPricesPlainly() {
        assertThat(CartItemWatch.plain(money("19.90000"))).isEqualTo("19.9");
        assertThat(CartItemWatch.plain(money("20.00000"))).isEqualTo("20");
        assertThat(CartItemWatch.plain(money("1E+2"))).isEqualTo("100");
    }
}
