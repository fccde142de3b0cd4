package io.github.cartrecovery.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.annotation.Resource;

import org.broadleafcommerce.core.catalog.domain.Product;
import org.broadleafcommerce.core.catalog.domain.Sku;
import org.broadleafcommerce.core.catalog.service.CatalogService;
import org.broadleafcommerce.common.extension.ExtensionResultHolder;
import org.broadleafcommerce.common.extension.ExtensionResultStatusType;
import org.broadleafcommerce.core.inventory.service.AbstractInventoryServiceExtensionHandler;
import org.broadleafcommerce.core.inventory.service.InventoryServiceExtensionHandler;
import org.broadleafcommerce.core.inventory.service.InventoryServiceExtensionManager;
import org.broadleafcommerce.core.inventory.service.type.InventoryType;
import org.broadleafcommerce.core.order.domain.Order;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;

import io.github.cartrecovery.campaign.RecoveryPlanner;
import io.github.cartrecovery.capture.CaptureBuffer;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;
import jakarta.mail.internet.MimeMessage;

/**
 * Low-stock urgency from Broadleaf's own inventory: a SKU with inventory type CHECK_QUANTITY and at most
 * cartrecovery.rendering.low-stock-threshold (5) units available shows "Only N left" in the delivered email;
 * plenty of stock or untracked inventory shows nothing; a tracked SKU with none left is out of the email.
 * Broadleaf 3.1 keeps quantities outside the SKU row unless the store weaves them in, so the store's stock
 * answers here the way a real store's does: through an InventoryServiceExtensionHandler registered with
 * {@code blInventoryServiceExtensionManager} (the hook Broadleaf's own InventoryServiceImpl asks).
 */
@BroadleafWithPlugin
class LowStockIT {

    @Resource(name = "crRecoveryPlanner")
    RecoveryPlanner planner;

    @Resource(name = "blCatalogService")
    CatalogService catalog;

    @Resource(name = "blInventoryServiceExtensionManager")
    InventoryServiceExtensionManager inventory;

    /** The store's stock by SKU id, answered for the SKUs it knows. */
    private final Map<Long, Integer> stock = new ConcurrentHashMap<>();

    private final InventoryServiceExtensionHandler storeInventory = new AbstractInventoryServiceExtensionHandler() {
        @Override
        public ExtensionResultStatusType retrieveQuantitiesAvailable(Collection<Sku> skus, Map<String, Object> context,
                                                                     ExtensionResultHolder<Map<Sku, Integer>> result) {
            Map<Sku, Integer> known = new HashMap<>();
            for (Sku sku : skus) {
                if (stock.containsKey(sku.getId())) {
                    known.put(sku, stock.get(sku.getId()));
                }
            }
            result.setResult(known);
            return ExtensionResultStatusType.HANDLED;
        }
    };

    @Test
    void theEmailSaysHowFewAreLeftOnlyWhereBroadleafTracksInventory(PluginContext broadleaf) throws Exception {
        RecoveryFixture fixture = new RecoveryFixture(broadleaf);
        Instant abandoned = fixture.nextMorning();
        String email = RecoveryFixture.uniqueEmail("stock");
        Product scarce = fixture.store.product("Copper <Kettle>", "40.00");
        Product plenty = fixture.store.product("Tea Towel", "8.00");
        Product untracked = fixture.store.product("Tea Strainer", "6.00");
        Product soldOut = fixture.store.product("Sold Out Tin", "12.00");
        Order cart = fixture.store.cartWithEmail(email);
        for (Product product : List.of(scarce, plenty, untracked, soldOut)) {
            cart = fixture.store.add(cart, product, 1);
        }
        // inventory set after adding, as a store's stock moves while the cart waits
        stock(scarce, InventoryType.CHECK_QUANTITY, 3);
        stock(plenty, InventoryType.CHECK_QUANTITY, 50);
        stock(untracked, InventoryType.NONE, 2); // a quantity the host does not track means nothing
        stock(soldOut, InventoryType.CHECK_QUANTITY, 0);
        inventory.registerHandler(storeInventory);
        broadleaf.bean("crCaptureBuffer", CaptureBuffer.class).flush();
        fixture.jdbc.update("UPDATE CR_CAPTURED_CART SET STATUS = 'ABANDONED', ABANDONED_AT = ?, LOCALE_CODE = 'en_US', "
                + "CURRENCY_CODE = 'USD' WHERE ORDER_ID = ?", new java.sql.Timestamp(abandoned.toEpochMilli()), cart.getId());
        planner.planDue();
        fixture.clock.set(abandoned.plus(Duration.ofHours(1)));

        int port = RecoveryFixture.freePort();
        GreenMail smtp = RecoveryFixture.greenMail(port);
        try {
            fixture.deliveryTo(port).deliverDue(1000);
            MimeMessage[] received = smtp.getReceivedMessagesForDomain(email);
            assertThat(received).as(fixture.describe(cart.getId())).hasSize(1);
            String html = RecoverySequenceIT.htmlPart(received[0]);
            String text = RecoverySequenceIT.textPart(received[0]);

            assertThat(html).contains("Copper &lt;Kettle&gt;").containsOnlyOnce("Only 3 left")
                    .contains("Tea Towel").contains("Tea Strainer").doesNotContain("Only 50").doesNotContain("Only 2")
                    .doesNotContain("Sold Out Tin");
            assertThat(text).contains("Copper <Kettle> x 1: $40.00 - only 3 left")
                    .containsPattern("Tea Towel x 1: \\$8\\.00\\r?\\n").containsPattern("Tea Strainer x 1: \\$6\\.00\\r?\\n")
                    .doesNotContain("Sold Out Tin");
        } finally {
            smtp.stop();
            inventory.getHandlers().remove(storeInventory);
        }
    }

    private void stock(Product product, InventoryType type, int quantity) {
        Sku sku = catalog.findSkuById(product.getDefaultSku().getId());
        sku.setInventoryType(type);
        catalog.saveSku(sku);
        stock.put(sku.getId(), quantity);
    }
}
