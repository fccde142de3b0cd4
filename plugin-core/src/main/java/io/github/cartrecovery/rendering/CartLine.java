package io.github.cartrecovery.rendering;

import java.math.BigDecimal;

/**
 * One line as a recovery email shows it: current price, the price when added if it dropped, and how many
 * are left when stock is low and the host tracks it. Immutable.
 */
public final class CartLine {

    private final String name;
    private final int quantity;
    private final BigDecimal unitPrice;
    private final BigDecimal priceWhenAdded;
    private final String imageUrl;
    private final String productUrl;
    private final Integer stockLeft;
    private final Long skuId;
    private final Long productId;
    private final String options;

    /** A line without a low-stock note. */
    public CartLine(String name, int quantity, BigDecimal unitPrice, BigDecimal priceWhenAdded, String imageUrl,
                    String productUrl) {
        this(name, quantity, unitPrice, priceWhenAdded, imageUrl, productUrl, null);
    }

    /** @param stockLeft units left when stock is low enough to say so ("Only 3 left"), else null */
    public CartLine(String name, int quantity, BigDecimal unitPrice, BigDecimal priceWhenAdded, String imageUrl,
                    String productUrl, Integer stockLeft) {
        this(name, quantity, unitPrice, priceWhenAdded, imageUrl, productUrl, stockLeft, null, null);
    }

    /** With Broadleaf's ids of the line's SKU and product as captured (either may be null). */
    public CartLine(String name, int quantity, BigDecimal unitPrice, BigDecimal priceWhenAdded, String imageUrl,
                    String productUrl, Integer stockLeft, Long skuId, Long productId) {
        this(name, quantity, unitPrice, priceWhenAdded, imageUrl, productUrl, stockLeft, skuId, productId, null);
    }

    /** @param options the shopper's choices as captured ("Colour: Red, Size: M"), or null */
    public CartLine(String name, int quantity, BigDecimal unitPrice, BigDecimal priceWhenAdded, String imageUrl,
                    String productUrl, Integer stockLeft, Long skuId, Long productId, String options) {
        this.options = options;
        this.name = name;
        this.quantity = quantity;
        this.unitPrice = unitPrice;
        this.priceWhenAdded = priceWhenAdded;
        this.imageUrl = imageUrl;
        this.productUrl = productUrl;
        this.stockLeft = stockLeft;
        this.skuId = skuId;
        this.productId = productId;
    }

    public String getName() { return name; }
    public int getQuantity() { return quantity; }
    public BigDecimal getUnitPrice() { return unitPrice; }
    public BigDecimal getPriceWhenAdded() { return priceWhenAdded; }
    public String getImageUrl() { return imageUrl; }
    public String getProductUrl() { return productUrl; }
    /** Units left when stock is low (the email says "Only N left"), null when not low or not tracked. */
    public Integer getStockLeft() { return stockLeft; }
    /** Broadleaf's SKU id (BLC_SKU), null when not captured. */
    public Long getSkuId() { return skuId; }
    /** Broadleaf's product id (BLC_PRODUCT), null when not captured. */
    public Long getProductId() { return productId; }

    /** The shopper's choices ("Colour: Red, Size: M"), null when there are none. */
    public String getOptions() { return options; }

    public BigDecimal lineTotal() {
        return unitPrice == null ? BigDecimal.ZERO : unitPrice.multiply(BigDecimal.valueOf(quantity));
    }

    public boolean isPriceDrop() {
        return unitPrice != null && priceWhenAdded != null && unitPrice.compareTo(priceWhenAdded) < 0;
    }
}
