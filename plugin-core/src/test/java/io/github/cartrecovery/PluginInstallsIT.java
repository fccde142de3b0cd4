package io.github.cartrecovery;

import static org.assertj.core.api.Assertions.assertThat;

import javax.annotation.Resource;

import org.broadleafcommerce.core.catalog.domain.Product;
import org.broadleafcommerce.core.order.domain.Order;
import org.junit.jupiter.api.Test;

import io.github.cartrecovery.capture.CaptureBuffer;
import io.github.cartrecovery.capture.CapturedCart;
import io.github.cartrecovery.capture.CapturedCartStore;
import io.github.cartrecovery.capture.CartStatus;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;
import io.github.cartrecovery.testing.Store;

/** The whole install on the selected database: Liquibase ran, entities validated, a cart is captured. */
@BroadleafWithPlugin
class PluginInstallsIT {

    @Resource(name = "crCaptureBuffer")
    CaptureBuffer captureBuffer;

    @Resource(name = "crCapturedCartStore")
    CapturedCartStore capturedCarts;

    @Test
    void cartCreatedThroughOrderServiceIsReadBackAsPluginEntity(PluginContext broadleaf) {
        Store store = broadleaf.store();
        Product mug = store.product("Enamel Mug", "12.50");
        Order cart = store.cartWithEmail("shopper@example.com");
        store.add(cart, mug, 2);

        captureBuffer.flush();

        CapturedCart captured = capturedCarts.find(cart.getId());
        assertThat(captured).isNotNull();
        assertThat(captured.getEmail()).isEqualTo("shopper@example.com");
        assertThat(captured.getItemCount()).isEqualTo(2);
        assertThat(captured.getStatus()).isEqualTo(CartStatus.ACTIVE);
        assertThat(captured.getItems()).singleElement()
                .satisfies(item -> {
                    assertThat(item.getName()).isEqualTo("Enamel Mug");
                    assertThat(item.getQuantity()).isEqualTo(2);
                    assertThat(item.getUnitPrice()).isEqualByComparingTo("12.50");
                });
    }
}
