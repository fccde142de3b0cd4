package io.github.cartrecovery.rendering;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.github.cartrecovery.coupon.CouponCart;

/** What an email is rendered from: the shopper, the cart's currency and locale, its still-sold lines, products to recommend. Immutable. */
public final class RecoveryCart implements CouponCart {

    private final String firstName;
    private final String localeCode;
    private final String currencyCode;
    private final List<CartLine> lines;
    private final List<Recommendation> recommendations;

    public RecoveryCart(String firstName, String localeCode, String currencyCode, List<CartLine> lines) {
        this(firstName, localeCode, currencyCode, lines, Collections.<Recommendation>emptyList());
    }

    /** @param recommendations products to suggest next to the cart, already filtered (none of the cart's, all in stock) */
    public RecoveryCart(String firstName, String localeCode, String currencyCode, List<CartLine> lines,
                        List<Recommendation> recommendations) {
        this.firstName = firstName;
        this.localeCode = localeCode;
        this.currencyCode = currencyCode;
        this.lines = Collections.unmodifiableList(new ArrayList<CartLine>(lines));
        this.recommendations = Collections.unmodifiableList(new ArrayList<Recommendation>(recommendations));
    }

    public String getFirstName() { return firstName; }
    public String getLocaleCode() { return localeCode; }
    public String getCurrencyCode() { return currencyCode; }
    public List<CartLine> getLines() { return lines; }
    public List<Recommendation> getRecommendations() { return recommendations; }

    public BigDecimal total() {
        BigDecimal total = BigDecimal.ZERO;
        for (CartLine line : lines) {
            total = total.add(line.lineTotal());
        }
        return total;
    }

    public int itemQuantity() {
        int quantity = 0;
        for (CartLine line : lines) {
            quantity += line.getQuantity();
        }
        return quantity;
    }
}
