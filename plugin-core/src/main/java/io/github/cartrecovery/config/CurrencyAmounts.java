package io.github.cartrecovery.config;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * An amount of money per currency, written {@code USD:10,EUR:10,JPY:1000}: a setting such as the minimum cart value
 * or the high-value threshold, or a step's maximum discount. One number means the same amount in every currency
 * (10 dollars and 10 yen alike), which is ambiguous in a store selling in several: it is still read, with a WARN.
 * A currency without an amount has none ({@link #forCurrency} answers null). Amounts are never negative. Immutable.
 */
public final class CurrencyAmounts {

    private static final Log LOG = LogFactory.getLog(CurrencyAmounts.class);

    /** No amount in any currency. */
    public static final CurrencyAmounts NONE = new CurrencyAmounts(Collections.<String, BigDecimal>emptyMap(), null);

    private final Map<String, BigDecimal> byCurrency;
    /** The plain number of the old one-number form, or null. */
    private final BigDecimal anyCurrency;

    private CurrencyAmounts(Map<String, BigDecimal> byCurrency, BigDecimal anyCurrency) {
        this.byCurrency = byCurrency;
        this.anyCurrency = anyCurrency;
    }

    /**
     * Reads a setting's value; {@code setting} names it in errors and in the WARN of a plain number.
     *
     * @throws IllegalArgumentException naming the setting and the bad entry
     */
    public static CurrencyAmounts parse(String setting, String value) {
        CurrencyAmounts amounts = read(setting, value);
        if (amounts.anyCurrency != null && amounts.anyCurrency.signum() != 0) {
            LOG.warn("Cart Recovery: " + setting + "=" + value.trim() + " is one amount for every currency (as many yen as "
                    + "dollars); write it per currency, e.g. " + setting + "=USD:" + amounts.anyCurrency.toPlainString()
                    + ",EUR:" + amounts.anyCurrency.toPlainString());
        }
        return amounts;
    }

    /** Like {@link #parse} without the WARN: for values an operator typed per currency in a form. */
    public static CurrencyAmounts read(String setting, String value) {
        if (value == null || value.trim().isEmpty()) {
            return NONE;
        }
        String text = value.trim();
        if (text.indexOf(':') < 0) {
            BigDecimal plain = amount(setting, text, text);
            return plain.signum() == 0 ? NONE : new CurrencyAmounts(Collections.<String, BigDecimal>emptyMap(), plain);
        }
        Map<String, BigDecimal> byCurrency = new LinkedHashMap<String, BigDecimal>();
        for (String entry : ListSetting.values(text)) {
            int colon = entry.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException(setting + ": '" + entry + "' is not CURRENCY:AMOUNT (e.g. USD:10); "
                        + "write every amount with its currency, or one plain number for all");
            }
            String code = entry.substring(0, colon).trim().toUpperCase(Locale.ROOT);
            if (!isCurrency(code)) {
                throw new IllegalArgumentException(setting + ": '" + entry + "' names no ISO 4217 currency (e.g. USD, EUR, JPY)");
            }
            if (byCurrency.containsKey(code)) {
                throw new IllegalArgumentException(setting + ": " + code + " is given twice");
            }
            byCurrency.put(code, amount(setting, entry, entry.substring(colon + 1).trim()));
        }
        return new CurrencyAmounts(Collections.unmodifiableMap(byCurrency), null);
    }

    /** The amount for this currency: its own, else the one-number amount, else null (none). */
    public BigDecimal forCurrency(String currencyCode) {
        BigDecimal own = currencyCode == null ? null : byCurrency.get(currencyCode.trim().toUpperCase(Locale.ROOT));
        return own != null ? own : anyCurrency;
    }

    public boolean isEmpty() {
        return byCurrency.isEmpty() && anyCurrency == null;
    }

    /** True for the old one-number form (the same amount in every currency). */
    public boolean isAnyCurrency() {
        return anyCurrency != null;
    }

    /** The amounts by currency code, in the order written (empty for the one-number form). */
    public Map<String, BigDecimal> byCurrency() {
        return byCurrency;
    }

    /** As it is written: {@code USD:10,JPY:1000}, the plain number, or empty. */
    @Override
    public String toString() {
        if (anyCurrency != null) {
            return anyCurrency.toPlainString();
        }
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, BigDecimal> entry : byCurrency.entrySet()) {
            text.append(text.length() == 0 ? "" : ",").append(entry.getKey()).append(':')
                    .append(entry.getValue().stripTrailingZeros().toPlainString());
        }
        return text.toString();
    }

    private static BigDecimal amount(String setting, String entry, String number) {
        BigDecimal amount;
        try {
            amount = new BigDecimal(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(setting + ": '" + entry + "' has no amount ('" + number + "' is not a number)");
        }
        if (amount.signum() < 0) {
            throw new IllegalArgumentException(setting + ": '" + entry + "' is negative; amounts are 0 or more");
        }
        return amount;
    }

    private static boolean isCurrency(String code) {
        if (!code.matches("[A-Z]{3}")) {
            return false;
        }
        try {
            Currency.getInstance(code);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
