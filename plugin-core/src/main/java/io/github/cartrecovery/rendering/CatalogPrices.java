package io.github.cartrecovery.rendering;

import java.math.BigDecimal;

import org.broadleafcommerce.common.money.Money;
import org.broadleafcommerce.core.catalog.domain.Sku;
import org.broadleafcommerce.core.catalog.service.CatalogService;

/**
 * Host adapter: the current price of a SKU from Broadleaf's catalog, or null when it is no longer sold
 * (gone, inactive or unavailable). Read at render time so emails show today's prices.
 */
public class CatalogPrices {

    private final CatalogService catalogService;

    public CatalogPrices(CatalogService catalogService) {
        this.catalogService = catalogService;
    }

    /** Today's unit price, or null when the SKU is not for sale any more. */
    public BigDecimal currentPrice(long skuId) {
        Sku sku = catalogService.findSkuById(skuId);
        if (sku == null || !sku.isActive() || Boolean.FALSE.equals(sku.isAvailable())) {
            return null;
        }
        Money price = sku.getPrice();
        return price == null ? null : price.getAmount();
    }
}
