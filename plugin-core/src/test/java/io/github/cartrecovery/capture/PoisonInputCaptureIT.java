package io.github.cartrecovery.capture;

import static org.assertj.core.api.Assertions.assertThat;

import javax.annotation.Resource;

import org.broadleafcommerce.core.catalog.domain.Product;
import org.broadleafcommerce.core.order.domain.Order;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;
import io.github.cartrecovery.testing.Store;

/**
 * Issue 15, item 2: one address Broadleaf accepts but the plugin's column cannot hold must not stop capture
 * for everybody else.
 */
@BroadleafWithPlugin
class PoisonInputCaptureIT {

    @Resource(name = "crCaptureBuffer")
    CaptureBuffer buffer;

    @Resource(name = "crCapturedCartStore")
    CapturedCartStore captured;

    Store store;
    Product mug;

    @BeforeEach
    void arrange(PluginContext broadleaf) {
        store = broadleaf.store();
        mug = store.product("Enamel Mug", "12.50");
        buffer.flush();
    }

    @Test
    void a255CharacterAddressAtBroadleafsCheckoutDoesNotStopTheNextCartChangeFromBeingCaptured() throws Exception {
        Order poison = store.add(store.cartFor(store.anonymousCustomer()), mug, 1);
        Order normal = store.add(store.cartWithEmail("normal@example.com"), mug, 1);
        buffer.flush();

        poison = store.orders().findOrderById(poison.getId());
        poison.setEmailAddress(addressOfLength(255));
        store.orders().save(poison, false); // Broadleaf's BLC_ORDER.EMAIL_ADDRESS holds 255
        store.add(normal, mug, 2);
        buffer.flush();

        assertThat(captured.find(normal.getId()).getItemCount()).isEqualTo(3);
        assertThat(captured.find(poison.getId()).getItemCount()).isEqualTo(1);
    }

    static String addressOfLength(int length) {
        StringBuilder domain = new StringBuilder();
        String local = "a".repeat(64);
        int remaining = length - local.length() - 1 - ".com".length();
        while (remaining > 0) {
            int label = Math.min(remaining, 63);
            if (domain.length() > 0) {
                domain.append('.');
                label = Math.min(remaining - 1, 63);
                remaining--;
            }
            domain.append("b".repeat(Math.max(label, 1)));
            remaining -= Math.max(label, 1);
        }
        String address = local + "@" + domain + ".com";
        assertThat(address).hasSize(length);
        return address;
    }
}
