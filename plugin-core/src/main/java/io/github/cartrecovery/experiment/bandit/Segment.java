package io.github.cartrecovery.experiment.bandit;

import java.math.BigDecimal;

/**
 * The group of carts one bandit learns for, derived from what the planner knows about a cart: has the shopper bought
 * before, is the cart high value (per currency), and, for timing, the band of the shopper's local hour. Each segment
 * keeps its own counts, so what works for returning shoppers is learned apart from what works for new ones.
 *
 * <p>The stable key ({@link #key()}) is what a caller stores the counts under: "new.standard", "returning.high-value",
 * and with an hour band "returning.standard.evening". {@link #parse(String)} reads it back. Immutable.
 */
public final class Segment {

    /** Whether the shopper has bought before. An account without an order is NEW: it has never bought. */
    public enum Shopper {
        NEW("new", "new shoppers"),
        RETURNING("returning", "returning shoppers");

        private final String key;
        private final String words;

        Shopper(String key, String words) {
            this.key = key;
            this.words = words;
        }
    }

    /** The cart's total against the high-value threshold of its currency. */
    public enum CartValue {
        STANDARD("standard", ""),
        HIGH_VALUE("high-value", " with a high-value cart");

        private final String key;
        private final String words;

        CartValue(String key, String words) {
            this.key = key;
            this.words = words;
        }
    }

    private final Shopper shopper;
    private final CartValue cartValue;
    private final HourBand hourBand;

    /** @param hourBand null for a segment of any hour (discount and delay arms learned around the clock) */
    public Segment(Shopper shopper, CartValue cartValue, HourBand hourBand) {
        if (shopper == null || cartValue == null) {
            throw new IllegalArgumentException("a segment needs a shopper kind and a cart value");
        }
        this.shopper = shopper;
        this.cartValue = cartValue;
        this.hourBand = hourBand;
    }

    /**
     * The segment of a cart, with the band of the shopper's local hour.
     *
     * @param returning  the shopper has an earlier submitted order
     * @param localHour  the hour (0 to 23) in the shopper's time zone when the cart is planned
     */
    public static Segment of(boolean returning, BigDecimal cartTotal, String currency,
                             HighValueThresholds thresholds, int localHour) {
        return new Segment(returning ? Shopper.RETURNING : Shopper.NEW,
                thresholds.isHighValue(cartTotal, currency) ? CartValue.HIGH_VALUE : CartValue.STANDARD,
                HourBand.ofHour(localHour));
    }

    /** Reads a key written by {@link #key()}; anything else is an error naming the key and the expected form. */
    public static Segment parse(String key) {
        String[] parts = key == null ? new String[0] : key.split("\\.", -1);
        if (parts.length == 2 || parts.length == 3) {
            Shopper shopper = null;
            for (Shopper candidate : Shopper.values()) {
                shopper = candidate.key.equals(parts[0]) ? candidate : shopper;
            }
            CartValue value = null;
            for (CartValue candidate : CartValue.values()) {
                value = candidate.key.equals(parts[1]) ? candidate : value;
            }
            HourBand band = null;
            for (HourBand candidate : HourBand.values()) {
                band = parts.length == 3 && candidate.key().equals(parts[2]) ? candidate : band;
            }
            if (shopper != null && value != null && (parts.length == 2 || band != null)) {
                return new Segment(shopper, value, band);
            }
        }
        throw new IllegalArgumentException("segment key '" + key + "' must look like new|returning"
                + ".standard|high-value[.night|morning|afternoon|evening]");
    }

    /** The same shopper and cart value at any hour (for arms learned around the clock). */
    public Segment withoutHourBand() {
        return new Segment(shopper, cartValue, null);
    }

    public Shopper getShopper() {
        return shopper;
    }

    public CartValue getCartValue() {
        return cartValue;
    }

    /** Null for a segment of any hour. */
    public HourBand getHourBand() {
        return hourBand;
    }

    /** "returning.high-value.evening", "new.standard": stable, for storage. */
    public String key() {
        return shopper.key + "." + cartValue.key + (hourBand == null ? "" : "." + hourBand.key());
    }

    /** "returning shoppers with a high-value cart in the evening", "new shoppers": for the admin's sentences. */
    public String words() {
        return shopper.words + cartValue.words + (hourBand == null ? "" : " " + hourBand.words());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Segment && key().equals(((Segment) other).key());
    }

    @Override
    public int hashCode() {
        return key().hashCode();
    }

    @Override
    public String toString() {
        return key();
    }
}
