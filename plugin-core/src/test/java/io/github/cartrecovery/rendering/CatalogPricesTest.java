package io.github.cartrecovery.rendering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.math.BigDecimal;
import java.util.List;

import org.broadleafcommerce.common.money.Money;
import org.broadleafcommerce.core.catalog.domain.Sku;
import org.broadleafcommerce.core.catalog.service.CatalogService;
import org.broadleafcommerce.core.inventory.service.type.InventoryType;
import org.junit.jupiter.api.Test;

/** What counts as sold today: Broadleaf's own view (InventoryServiceImpl.checkBasicAvailablility). */
class CatalogPricesTest {

    private final CatalogService catalog = mock(CatalogService.class);
    private final CatalogPrices prices = new CatalogPrices(catalog);

    /**
     * Broadleaf 3.1's product editor marks a SKU out of stock with "Inventory Type: Unavailable" (it has no field for
     * the available flag); the storefront then refuses it. Found trying the back-in-stock alert in the demo's admin
     * (TriggersBrowserE2E): such a SKU counted as in stock, so no alert could ever come.
     */
    @Test
    void aSkuOfInventoryTypeUnavailableIsNotForSale() {
        Sku unavailable = sku(1, InventoryType.UNAVAILABLE);
        Sku always = sku(2, InventoryType.ALWAYS_AVAILABLE);
        Sku unset = sku(3, null);
        when(catalog.findSkusByIds(anyList())).thenReturn(List.of(unavailable, always, unset));

        assertThat(prices.today(List.of(1L, 2L, 3L))).containsOnlyKeys(2L, 3L);
        assertThat(prices.currentPrices(List.of(1L, 2L, 3L))).containsOnlyKeys(2L, 3L);
    }

    private static Sku sku(long id, InventoryType type) {
        Sku sku = mock(Sku.class);
        when(sku.getId()).thenReturn(id);
        when(sku.isActive()).thenReturn(true);
        when(sku.isAvailable()).thenReturn(true);
        when(sku.getInventoryType()).thenReturn(type);
        when(sku.getPrice()).thenReturn(new Money(new BigDecimal("12.00")));
        return sku;
    }
}
