package io.github.cartrecovery.admin.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

class MoneyTextTest {

    @Test
    void showsTheDatabasesAmountInItsCurrencyForTheViewersLocale() {
        assertThat(new MoneyText(Locale.US).format(new BigDecimal("121.50000"), "USD")).isEqualTo("$121.50");
        assertThat(new MoneyText(Locale.GERMANY).format(new BigDecimal("121.50000"), "EUR")).isEqualTo("121,50\u00a0€");
    }

    @Test
    void usesEachCurrencysOwnDecimals() {
        assertThat(new MoneyText(Locale.US).format(new BigDecimal("1250.00000"), "JPY")).isEqualTo("¥1,250");
    }

    @Test
    void anUnknownCurrencyCodeShowsThePlainAmountAndTheCode() {
        assertThat(new MoneyText(Locale.US).format(new BigDecimal("12.50000"), "XY1")).isEqualTo("12.5 XY1");
    }

    @Test
    void nothingShowsAsEmpty() {
        assertThat(new MoneyText(Locale.US).format(null, "USD")).isEmpty();
        assertThat(new MoneyText(Locale.US).formatAll(new TreeMap<String, BigDecimal>())).isEmpty();
    }

    @Test
    void severalCurrenciesAreListedNeverAdded() {
        TreeMap<String, BigDecimal> revenue = new TreeMap<>();
        revenue.put("USD", new BigDecimal("10.00000"));
        revenue.put("EUR", new BigDecimal("5.50000"));

        assertThat(new MoneyText(Locale.US).formatAll(revenue)).isEqualTo("€5.50, $10.00");
    }
}
