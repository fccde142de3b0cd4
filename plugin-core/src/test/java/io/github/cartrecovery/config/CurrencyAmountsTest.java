package io.github.cartrecovery.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

class CurrencyAmountsTest {

    @Test
    void readsAnAmountPerCurrency() {
        CurrencyAmounts amounts = CurrencyAmounts.parse("s", "USD:10, eur:10.50 ,JPY:1000");

        assertThat(amounts.forCurrency("USD")).isEqualByComparingTo("10");
        assertThat(amounts.forCurrency("EUR")).isEqualByComparingTo("10.50");
        assertThat(amounts.forCurrency("jpy")).isEqualByComparingTo("1000");
        assertThat(amounts.forCurrency("GBP")).isNull();
        assertThat(amounts).hasToString("USD:10,EUR:10.5,JPY:1000");
    }

    @Test
    void aPlainNumberIsEveryCurrencysAmountAndZeroOrEmptyIsNone() {
        assertThat(CurrencyAmounts.parse("s", "25").forCurrency("JPY")).isEqualByComparingTo("25");
        assertThat(CurrencyAmounts.parse("s", "25").isAnyCurrency()).isTrue();
        assertThat(CurrencyAmounts.parse("s", "0").isEmpty()).isTrue();
        assertThat(CurrencyAmounts.parse("s", " ").forCurrency("USD")).isNull();
        assertThat(CurrencyAmounts.parse("s", null).isEmpty()).isTrue();
    }

    @Test
    void refusesBadEntriesNamingTheSettingAndTheEntry() {
        assertThatThrownBy(() -> CurrencyAmounts.parse("my.setting", "USD:10,ABC:3"))
                .hasMessage("my.setting: 'ABC:3' names no ISO 4217 currency (e.g. USD, EUR, JPY)");
        assertThatThrownBy(() -> CurrencyAmounts.parse("my.setting", "USD:-1"))
                .hasMessage("my.setting: 'USD:-1' is negative; amounts are 0 or more");
        assertThatThrownBy(() -> CurrencyAmounts.parse("my.setting", "USD:1,USD:2")).hasMessage("my.setting: USD is given twice");
        assertThatThrownBy(() -> CurrencyAmounts.parse("my.setting", "ten")).hasMessageContaining("'ten' is not a number");
        assertThatThrownBy(() -> CurrencyAmounts.parse("my.setting", "USD:10;JPY:5")).hasMessageContaining("'USD:10;JPY:5'");
        assertThatThrownBy(() -> CurrencyAmounts.parse("my.setting", "USD:10,5")).hasMessageContaining("'5' is not CURRENCY:AMOUNT");
    }

    @Test
    void aPerCurrencyAmountWinsOverNothingElse() {
        assertThat(CurrencyAmounts.read("s", "USD:0").forCurrency("USD")).isEqualByComparingTo(BigDecimal.ZERO);
    }
}
