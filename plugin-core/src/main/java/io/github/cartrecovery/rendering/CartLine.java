package io.github.cartrecovery.rendering;

import java.math.BigDecimal;

/** One line as a recovery email shows it: current price, and the price when added if it dropped. Immutable. */
public final class CartLine {

    private final String name;
    private final int quantity;
    private final BigDecimal unitPrice;
    private final BigDecimal priceWhenAdded;
    private final String imageUrl;
    private final String productUrl;

    public CartLine(String name, int quantity, BigDecimal unitPrice, BigDecimal priceWhenAdded, String imageUrl,
                    String productUrl) {
        this.name = name;
        this.quantity = quantity;
        this.unitPrice = unitPrice;
        this.priceWhenAdded = priceWhenAdded;
        this.imageUrl = imageUrl;
        this.productUrl = productUrl;
    }

    public String getName() { return name; }
    public int getQuantity() { return quantity; }
    public BigDecimal getUnitPrice() { return unitPrice; }
    public BigDecimal getPriceWhenAdded() { return priceWhenAdded; }
    public String getImageUrl() { return imageUrl; }
    public String getProductUrl() { return productUrl; }

    public BigDecimal lineTotal() {
        return unitPrice == null ? BigDecimal.ZERO : unitPrice.multiply(BigDecimal.valueOf(quantity));
    }

    public boolean isPriceDrop() {
        return unitPrice != null && priceWhenAdded != null && unitPrice.compareTo(priceWhenAdded) < 0;
    }
}
