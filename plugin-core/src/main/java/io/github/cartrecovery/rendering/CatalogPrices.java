package io.github.cartrecovery.rendering;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.broadleafcommerce.common.money.Money;
import org.broadleafcommerce.core.catalog.domain.Sku;
import org.broadleafcommerce.core.catalog.service.CatalogService;

/**
 * Host adapter: today's unit prices of SKUs from Broadleaf's catalog; a SKU no longer sold (gone,
 * inactive or unavailable) has none. Read at render time so emails show today's prices, for a whole
 * delivery batch in one catalog query.
 */
public class CatalogPrices {

    private final CatalogService catalogService;

    public CatalogPrices(CatalogService catalogService) {
        this.catalogService = catalogService;
    }

    /** Today's unit price per SKU still for sale; SKUs not in the map are not sold any more. */
    public Map<Long, BigDecimal> currentPrices(Collection<Long> skuIds) {
        Map<Long, BigDecimal> prices = new HashMap<Long, BigDecimal>();
        if (skuIds.isEmpty()) {
            return prices;
        }
        for (Sku sku : catalogService.findSkusByIds(new ArrayList<Long>(skuIds))) {
            if (sku == null || !sku.isActive() || Boolean.FALSE.equals(sku.isAvailable())) {
                continue;
            }
            Money price = sku.getPrice();
            if (price != null) {
                prices.put(sku.getId(), price.getAmount());
            }
        }
        return prices;
    }
}
