package io.github.cartrecovery.rendering;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import org.broadleafcommerce.common.money.Money;
import org.broadleafcommerce.core.catalog.domain.Sku;
import org.broadleafcommerce.core.catalog.service.CatalogService;
import org.broadleafcommerce.core.inventory.service.type.InventoryType;

/**
 * Host adapter: today's unit prices of SKUs from Broadleaf's catalog; a SKU no longer sold (gone,
 * inactive or unavailable) has none. Read at render time so emails show today's prices, for a whole
 * delivery batch in one catalog query. Where the host tracks a SKU's inventory (Broadleaf's inventory type
 * CHECK_QUANTITY with a known quantity available), {@link #today} also says how many are left, and a SKU
 * with none left is out of stock (not in the map).
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

    /**
     * Today's price and, where inventory is tracked, the quantity available, per SKU still for sale and in
     * stock; SKUs not in the map are no longer sold or out of stock.
     */
    public Map<Long, SkuToday> today(Collection<Long> skuIds) {
        Map<Long, SkuToday> today = new HashMap<Long, SkuToday>();
        if (skuIds.isEmpty()) {
            return today;
        }
        for (Sku sku : catalogService.findSkusByIds(new ArrayList<Long>(skuIds))) {
            if (sku == null || !sku.isActive() || Boolean.FALSE.equals(sku.isAvailable())) {
                continue;
            }
            Money price = sku.getPrice();
            if (price == null) {
                continue;
            }
            Integer left = InventoryType.CHECK_QUANTITY.equals(sku.getInventoryType()) ? sku.getQuantityAvailable() : null;
            if (left != null && left <= 0) {
                continue; // out of stock
            }
            today.put(sku.getId(), new SkuToday(price.getAmount(), left));
        }
        return today;
    }

    /** A SKU's price today and the quantity available (null when the host does not track it). Immutable. */
    public static final class SkuToday {
        private final BigDecimal price;
        private final Integer quantityAvailable;

        public SkuToday(BigDecimal price, Integer quantityAvailable) {
            this.price = price;
            this.quantityAvailable = quantityAvailable;
        }

        public BigDecimal getPrice() { return price; }
        public Integer getQuantityAvailable() { return quantityAvailable; }
    }
}
