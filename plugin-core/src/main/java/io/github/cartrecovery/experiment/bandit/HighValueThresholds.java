package io.github.cartrecovery.experiment.bandit;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * From which cart total a cart is "high value", per currency: amounts of different currencies are never compared,
 * so a currency without a threshold has no high-value carts. Immutable.
 */
public final class HighValueThresholds {

    private final Map<String, BigDecimal> byCurrency;

    public HighValueThresholds(Map<String, BigDecimal> byCurrency) {
        Map<String, BigDecimal> copy = new LinkedHashMap<String, BigDecimal>();
        for (Map.Entry<String, BigDecimal> entry : byCurrency.entrySet()) {
            copy.put(currency(entry.getKey(), "currency"), positive(entry.getValue(), entry.getKey(), "threshold"));
        }
        this.byCurrency = Collections.unmodifiableMap(copy);
    }

    public static HighValueThresholds none() {
        return new HighValueThresholds(Collections.<String, BigDecimal>emptyMap());
    }

    /**
     * Parses "EUR:150, USD:200"; blank means none. Errors name {@code property} and the rule: each entry is a
     * three-letter currency code, a colon and a positive amount, each currency at most once.
     */
    public static HighValueThresholds parse(String text, String property) {
        Map<String, BigDecimal> byCurrency = new LinkedHashMap<String, BigDecimal>();
        if (text == null || text.trim().isEmpty()) {
            return new HighValueThresholds(byCurrency);
        }
        for (String part : text.split(",")) {
            String[] pieces = part.trim().split(":");
            if (pieces.length != 2) {
                throw new IllegalArgumentException(property + ": each entry must look like EUR:150, not '" + part.trim() + "'");
            }
            String currency = currency(pieces[0], property);
            BigDecimal amount;
            try {
                amount = new BigDecimal(pieces[1].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(property + ": '" + pieces[1].trim() + "' for " + currency
                        + " is not an amount (e.g. 150 or 149.90)", e);
            }
            if (byCurrency.put(currency, positive(amount, currency, property)) != null) {
                throw new IllegalArgumentException(property + ": " + currency + " is given twice");
            }
        }
        return new HighValueThresholds(byCurrency);
    }

    private static String currency(String code, String field) {
        String trimmed = code == null ? "" : code.trim().toUpperCase(Locale.ROOT);
        if (!trimmed.matches("[A-Z]{3}")) {
            throw new IllegalArgumentException(field + ": '" + code + "' is not a three-letter currency code (ISO 4217)");
        }
        return trimmed;
    }

    private static BigDecimal positive(BigDecimal amount, String currency, String field) {
        if (amount == null || amount.signum() <= 0) {
            throw new IllegalArgumentException(field + ": the threshold for " + currency + " must be greater than 0, not "
                    + amount);
        }
        return amount;
    }

    /** True when the currency has a threshold and the total reaches it. */
    public boolean isHighValue(BigDecimal total, String currency) {
        if (total == null || currency == null) {
            return false;
        }
        BigDecimal threshold = byCurrency.get(currency.trim().toUpperCase(Locale.ROOT));
        return threshold != null && total.compareTo(threshold) >= 0;
    }

    /** Per currency code, in the order given. */
    public Map<String, BigDecimal> getByCurrency() {
        return byCurrency;
    }
}
