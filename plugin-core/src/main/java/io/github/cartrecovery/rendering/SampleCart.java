package io.github.cartrecovery.rendering;

import java.math.BigDecimal;
import java.util.Arrays;

/** The made-up cart previews and template checks render with when no real cart is chosen: two lines, one a price drop. */
public final class SampleCart {

    private SampleCart() {
    }

    /** @param firstName the shopper's first name, null for a shopper without one (the greeting's fallback) */
    public static RecoveryCart of(String firstName, String localeCode, String currencyCode) {
        return new RecoveryCart(firstName, localeCode, currencyCode, Arrays.asList(
                new CartLine("Sample product", 2, new BigDecimal("19.90"), new BigDecimal("24.90"), null, null),
                new CartLine("Another sample product", 1, new BigDecimal("5.00"), new BigDecimal("5.00"), null, null)));
    }
}
