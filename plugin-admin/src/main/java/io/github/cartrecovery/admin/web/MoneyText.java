package io.github.cartrecovery.admin.web;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;

import io.github.cartrecovery.formatting.MoneyFormat;

/**
 * Money on the admin's screens: each amount in its own currency, formatted for the viewer's locale ("$121.50",
 * "121,50 €", "¥1,250"), never summed across currencies and never shown as the database's "121.50000". A currency code
 * Java does not know (nothing the plugin captures, but a hand-edited row could hold one) shows as the plain amount and
 * its code. Screens get one per request as model attribute {@code money}.
 */
public final class MoneyText {

    private final Locale locale;

    public MoneyText(Locale locale) {
        this.locale = locale == null ? Locale.US : locale;
    }

    public String format(BigDecimal amount, String currencyCode) {
        if (amount == null) {
            return "";
        }
        try {
            return MoneyFormat.format(amount, currencyCode, locale);
        } catch (IllegalArgumentException e) {
            return amount.stripTrailingZeros().toPlainString() + " " + currencyCode;
        }
    }

    /** Every currency's amount, in code order, joined with ", " ("$121.50, €80.00"); empty when there is none. */
    public String formatAll(Map<String, BigDecimal> byCurrency) {
        StringBuilder text = new StringBuilder();
        if (byCurrency != null) {
            for (Map.Entry<String, BigDecimal> amount : byCurrency.entrySet()) {
                if (text.length() > 0) {
                    text.append(", ");
                }
                text.append(format(amount.getValue(), amount.getKey()));
            }
        }
        return text.toString();
    }
}
