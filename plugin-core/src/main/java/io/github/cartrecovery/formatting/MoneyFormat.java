package io.github.cartrecovery.formatting;

import java.math.BigDecimal;
import java.text.NumberFormat;
import java.util.Currency;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Formats an amount for a currency in a locale, the one way emails and coupons show money. Thread-safe. */
public final class MoneyFormat {

    private static final Map<String, NumberFormat> CURRENCY_FORMATS = new ConcurrentHashMap<String, NumberFormat>();

    private MoneyFormat() {
    }

    /** "$12.50", "12,50 €", "￥1,250"; a null amount shows as zero. */
    public static String format(BigDecimal amount, String currencyCode, Locale locale) {
        return currencyFormat(currencyCode, locale).format(amount == null ? BigDecimal.ZERO : amount);
    }

    /** Building a currency format reads locale data: build one per locale and currency, hand out copies. */
    private static NumberFormat currencyFormat(String currencyCode, Locale locale) {
        String key = locale + "|" + currencyCode;
        NumberFormat prototype = CURRENCY_FORMATS.get(key);
        if (prototype == null) {
            prototype = NumberFormat.getCurrencyInstance(locale);
            if (currencyCode != null) {
                Currency currency = Currency.getInstance(currencyCode);
                prototype.setCurrency(currency);
                prototype.setMinimumFractionDigits(currency.getDefaultFractionDigits());
                prototype.setMaximumFractionDigits(currency.getDefaultFractionDigits());
            }
            CURRENCY_FORMATS.put(key, prototype);
        }
        return (NumberFormat) prototype.clone(); // NumberFormat is not thread-safe
    }
}
