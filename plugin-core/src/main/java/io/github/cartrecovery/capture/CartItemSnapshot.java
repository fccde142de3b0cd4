package io.github.cartrecovery.capture;

import java.math.BigDecimal;

import javax.persistence.Column;
import javax.persistence.Embeddable;

/**
 * One cart line as it was when captured: what a recovery email shows and what a purged cart is rebuilt
 * from. Prices are re-read from the catalog at send time; this is the "as added" view.
 */
@Embeddable
public class CartItemSnapshot {

    @Column(name = "SKU_ID")
    private Long skuId;

    @Column(name = "PRODUCT_ID")
    private Long productId;

    @Column(name = "NAME", nullable = false, length = 255)
    private String name;

    @Column(name = "SKU_CODE", length = 255)
    private String skuCode;

    @Column(name = "OPTIONS", length = 1024)
    private String options;

    @Column(name = "QUANTITY", nullable = false)
    private int quantity;

    @Column(name = "UNIT_PRICE", precision = 19, scale = 5)
    private BigDecimal unitPrice;

    @Column(name = "IMAGE_URL", length = 1024)
    private String imageUrl;

    @Column(name = "PRODUCT_URL", length = 1024)
    private String productUrl;

    protected CartItemSnapshot() {
        // for Hibernate
    }

    public CartItemSnapshot(Long skuId, Long productId, String name, String skuCode, String options, int quantity,
                            BigDecimal unitPrice, String imageUrl, String productUrl) {
        this.skuId = skuId;
        this.productId = productId;
        this.name = name;
        this.skuCode = skuCode;
        this.options = options;
        this.quantity = quantity;
        this.unitPrice = unitPrice;
        this.imageUrl = imageUrl;
        this.productUrl = productUrl;
    }

    public Long getSkuId() { return skuId; }
    public Long getProductId() { return productId; }
    public String getName() { return name; }
    public String getSkuCode() { return skuCode; }
    public String getOptions() { return options; }
    public int getQuantity() { return quantity; }
    public BigDecimal getUnitPrice() { return unitPrice; }
    public String getImageUrl() { return imageUrl; }
    public String getProductUrl() { return productUrl; }
}
