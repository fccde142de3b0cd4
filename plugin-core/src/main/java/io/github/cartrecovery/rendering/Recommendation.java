package io.github.cartrecovery.rendering;

import java.math.BigDecimal;

/** A product recommended next to a cart (Broadleaf's cross-sale or up-sale of one of its products). Immutable. */
public final class Recommendation {

    private final long productId;
    private final String name;
    private final BigDecimal price;
    private final String imageUrl;
    private final String productUrl;

    public Recommendation(long productId, String name, BigDecimal price, String imageUrl, String productUrl) {
        this.productId = productId;
        this.name = name;
        this.price = price;
        this.imageUrl = imageUrl;
        this.productUrl = productUrl;
    }

    public long getProductId() { return productId; }
    public String getName() { return name; }
    public BigDecimal getPrice() { return price; }
    /** Absolute, sized for email; null when the product has no image. */
    public String getImageUrl() { return imageUrl; }
    /** The product page, site-relative or absolute as Broadleaf holds it; null when it has none. */
    public String getProductUrl() { return productUrl; }
}
