package io.github.cartrecovery.rendering;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.broadleafcommerce.common.money.Money;
import org.broadleafcommerce.core.catalog.domain.Sku;
import org.broadleafcommerce.core.catalog.service.CatalogService;
import org.broadleafcommerce.common.extension.ExtensionResultHolder;
import org.broadleafcommerce.common.extension.ExtensionResultStatusType;
import org.broadleafcommerce.core.inventory.service.InventoryServiceExtensionManager;
import org.broadleafcommerce.core.inventory.service.type.InventoryType;

/**
 * Host adapter: today's unit prices of SKUs from Broadleaf's catalog; a SKU no longer sold (gone,
 * inactive or unavailable) has none. Read at render time so emails show today's prices, for a whole
 * delivery batch in one catalog query. Where the host tracks a SKU's inventory, {@link #today} also says how
 * many are left, and a SKU with none left is out of stock (not in the map). "Tracks" means Broadleaf's
 * inventory type CHECK_QUANTITY and a known quantity: the store's inventory extension handler
 * ({@code blInventoryServiceExtensionManager}, as Broadleaf's own InventoryServiceImpl asks it) answers for
 * the SKU, or else {@code Sku.getQuantityAvailable()} is not null (Broadleaf 3.1 returns null unless the
 * store wired its quantity field). Unlike InventoryServiceImpl, an unknown quantity counts as "not tracked",
 * not as zero, so an unwired store keeps its items in the email. Only CHECK_QUANTITY SKUs are asked.
 */
public class CatalogPrices {

    private final CatalogService catalogService;
    private final InventoryServiceExtensionManager inventory;

    /** Prices only: no SKU's inventory is looked at beyond {@code Sku.getQuantityAvailable()}. */
    public CatalogPrices(CatalogService catalogService) {
        this(catalogService, null);
    }

    public CatalogPrices(CatalogService catalogService, InventoryServiceExtensionManager inventory) {
        this.catalogService = catalogService;
        this.inventory = inventory;
    }

    /** Today's unit price per SKU still for sale; SKUs not in the map are not sold any more. */
    public Map<Long, BigDecimal> currentPrices(Collection<Long> skuIds) {
        Map<Long, BigDecimal> prices = new HashMap<Long, BigDecimal>();
        if (skuIds.isEmpty()) {
            return prices;
        }
        for (Sku sku : catalogService.findSkusByIds(new ArrayList<Long>(skuIds))) {
            if (!forSale(sku)) {
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
        List<Sku> sold = new ArrayList<Sku>();
        List<Sku> tracked = new ArrayList<Sku>();
        for (Sku sku : catalogService.findSkusByIds(new ArrayList<Long>(skuIds))) {
            if (!forSale(sku) || sku.getPrice() == null) {
                continue;
            }
            sold.add(sku);
            if (InventoryType.CHECK_QUANTITY.equals(sku.getInventoryType())) {
                tracked.add(sku);
            }
        }
        Map<Long, Integer> quantities = quantitiesAvailable(tracked);
        for (Sku sku : sold) {
            Money price = sku.getPrice();
            Integer left = quantities.get(sku.getId());
            if (left != null && left <= 0) {
                continue; // out of stock
            }
            today.put(sku.getId(), new SkuToday(price.getAmount(), left));
        }
        return today;
    }

    /**
     * Sold today, as Broadleaf's InventoryServiceImpl.checkBasicAvailablility sees it: active, not flagged unavailable,
     * and not of inventory type UNAVAILABLE (what Broadleaf 3.1's admin sets with "Inventory Type: Unavailable"; the
     * admin has no field for the available flag).
     */
    static boolean forSale(Sku sku) {
        return sku != null && sku.isActive() && !Boolean.FALSE.equals(sku.isAvailable())
                && !InventoryType.UNAVAILABLE.equals(sku.getInventoryType());
    }

    /** Known quantities of CHECK_QUANTITY SKUs by SKU id: from the store's inventory handler, else from the SKU. */
    private Map<Long, Integer> quantitiesAvailable(List<Sku> tracked) {
        Map<Long, Integer> quantities = new HashMap<Long, Integer>();
        if (tracked.isEmpty()) {
            return quantities;
        }
        if (inventory != null) {
            ExtensionResultHolder<Map<Sku, Integer>> answer = new ExtensionResultHolder<Map<Sku, Integer>>();
            ExtensionResultStatusType status = inventory.getProxy().retrieveQuantitiesAvailable(tracked,
                    new HashMap<String, Object>(), answer);
            if (!ExtensionResultStatusType.NOT_HANDLED.equals(status) && answer.getResult() != null) {
                for (Map.Entry<Sku, Integer> known : answer.getResult().entrySet()) {
                    if (known.getKey() != null && known.getValue() != null) {
                        quantities.put(known.getKey().getId(), known.getValue());
                    }
                }
                return quantities;
            }
        }
        for (Sku sku : tracked) {
            Integer left = sku.getQuantityAvailable();
            if (left != null) {
                quantities.put(sku.getId(), left);
            }
        }
        return quantities;
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
