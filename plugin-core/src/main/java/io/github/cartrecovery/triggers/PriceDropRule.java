package io.github.cartrecovery.triggers;

import java.math.BigDecimal;
import java.math.RoundingMode;

import io.github.cartrecovery.config.CurrencyAmounts;

/**
 * When a lower price is a drop worth an alert: at least {@code cartrecovery.triggers.price-drop.min-amount} in the
 * cart's currency ({@code USD:5,EUR:5}) or at least {@code cartrecovery.triggers.price-drop.min-percent} of the price
 * it is measured from, whichever is met first (a threshold that is not set never matches; with neither set, no drop
 * is worth an alert). Measured from the price captured with the cart, or from the lowest price an earlier alert for
 * the same line already announced, so a cent off after an alert is not a new one. Immutable.
 */
public final class PriceDropRule {

    private final CurrencyAmounts minAmount;
    private final BigDecimal minPercent;

    public PriceDropRule(CurrencyAmounts minAmount, BigDecimal minPercent) {
        if (minPercent != null && (minPercent.signum() < 0 || minPercent.compareTo(BigDecimal.valueOf(100)) > 0)) {
            throw new IllegalArgumentException("cartrecovery.triggers.price-drop.min-percent must be between 0 and 100, was "
                    + minPercent.toPlainString());
        }
        this.minAmount = minAmount == null ? CurrencyAmounts.NONE : minAmount;
        this.minPercent = minPercent == null || minPercent.signum() == 0 ? null : minPercent;
    }

    /** From the two settings' texts; a bad value is an error naming the setting. */
    public static PriceDropRule parse(String minAmount, String minPercent) {
        BigDecimal percent;
        try {
            percent = minPercent == null || minPercent.trim().isEmpty() ? null : new BigDecimal(minPercent.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cartrecovery.triggers.price-drop.min-percent must be a number, was '"
                    + minPercent + "'");
        }
        return new PriceDropRule(CurrencyAmounts.parse("cartrecovery.triggers.price-drop.min-amount", minAmount), percent);
    }

    /** True when {@code now} is below {@code reference} by at least one of the thresholds. */
    public boolean isDrop(BigDecimal reference, BigDecimal now, String currencyCode) {
        if (reference == null || now == null || reference.signum() <= 0 || now.compareTo(reference) >= 0) {
            return false;
        }
        BigDecimal drop = reference.subtract(now);
        BigDecimal amount = minAmount.forCurrency(currencyCode);
        if (amount != null && amount.signum() > 0 && drop.compareTo(amount) >= 0) {
            return true;
        }
        if (minPercent != null) {
            BigDecimal percent = drop.multiply(BigDecimal.valueOf(100)).divide(reference, 4, RoundingMode.HALF_UP);
            return percent.compareTo(minPercent) >= 0;
        }
        return false;
    }
}
