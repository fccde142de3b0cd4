package io.github.cartrecovery.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;

import javax.annotation.Resource;

import org.broadleafcommerce.core.catalog.domain.Product;
import org.broadleafcommerce.core.order.domain.Order;
import org.broadleafcommerce.core.order.domain.OrderPersistedEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.CartRows;
import io.github.cartrecovery.testing.PluginContext;
import io.github.cartrecovery.testing.Store;

/**
 * Issue 15, item 2: one value Broadleaf accepts but the plugin cannot store must not stop capture for everybody
 * else. Rows the database refuses are injected with a CHECK constraint naming one order id (standard SQL on all
 * three databases), so the refusal comes from the database itself, after every validation.
 */
@BroadleafWithPlugin
class PoisonInputCaptureIT {

    private static final String POISON_CONSTRAINT = "CK_CR_TEST_POISON";

    @Resource(name = "crCaptureBuffer")
    CaptureBuffer buffer;

    @Resource(name = "crCapturedCartStore")
    CapturedCartStore captured;

    @Resource(name = "crCaptureRejections")
    CaptureRejections rejections;

    @Resource(name = "blTransactionManager")
    PlatformTransactionManager transactionManager;

    PluginContext broadleaf;
    Store store;
    Product mug;
    CartRows rows;
    boolean constraintAdded;

    @BeforeEach
    void arrange(PluginContext broadleaf) {
        this.broadleaf = broadleaf;
        store = broadleaf.store();
        mug = store.product("Enamel Mug", "12.50");
        rows = new CartRows(broadleaf.database().dataSource());
        buffer.flush();
    }

    @AfterEach
    void dropInjectedRefusal() {
        if (constraintAdded) {
            rows.execute("ALTER TABLE CR_CAPTURED_CART DROP CONSTRAINT " + POISON_CONSTRAINT);
        }
    }

    @Test
    void a255CharacterAddressAtBroadleafsCheckoutDoesNotStopTheNextCartChangeFromBeingCaptured() throws Exception {
        Order poison = store.add(store.cartFor(store.anonymousCustomer()), mug, 1);
        Order normal = store.add(store.cartWithEmail("normal@example.com"), mug, 1);
        buffer.flush();

        poison = store.orders().findOrderById(poison.getId());
        poison.setEmailAddress(addressOfLength(255));
        store.orders().save(poison, false); // Broadleaf's BLC_ORDER.EMAIL_ADDRESS holds 255
        buffer.flush();
        store.add(normal, mug, 2);
        buffer.flush();

        assertThat(captured.find(normal.getId()).getItemCount()).isEqualTo(3);
        assertThat(captured.find(poison.getId()).getItemCount()).isEqualTo(1);
        assertThat(captured.find(poison.getId()).getEmail()).isNull();
        assertThat(rejectionsOf(poison)).singleElement().satisfies(rejection -> {
            assertThat(rejection.getField()).isEqualTo("email");
            assertThat(rejection.getReason()).isEqualTo("max_length");
            assertThat(rejection.getSource()).isEqualTo("STOREFRONT");
            assertThat(rejection.getMaskedValue()).startsWith("a***@").endsWith("(255 chars)").doesNotContain("aaaa");
        });
    }

    @Test
    void a10000CharacterAddressOnABroadleafOrderDoesNotStopTheNextCartChangeFromBeingCaptured() throws Exception {
        Order poison = store.add(store.cartFor(store.anonymousCustomer()), mug, 1);
        Order normal = store.add(store.cartWithEmail("normal10k@example.com"), mug, 1);
        buffer.flush();
        String huge = addressOfLength(10_000);

        Order saved = store.orders().findOrderById(poison.getId());
        saved.setEmailAddress(huge);
        try {
            store.orders().save(saved, false); // Broadleaf's own column refuses it on most databases
        } catch (RuntimeException refusedByBroadleaf) {
            // then Broadleaf stopped it itself; a host with a wider column would still publish the event below
        }
        // what a host whose column is wider publishes (inside a session, as Broadleaf does), without writing it
        new TransactionTemplate(transactionManager).execute(status -> {
            Order inSession = store.orders().findOrderById(poison.getId());
            inSession.setEmailAddress(huge);
            broadleaf.context().publishEvent(new OrderPersistedEvent(inSession));
            status.setRollbackOnly();
            return null;
        });
        buffer.flush();
        store.add(normal, mug, 1);
        buffer.flush();

        assertThat(captured.find(normal.getId()).getItemCount()).isEqualTo(2);
        assertThat(captured.find(poison.getId()).getEmail()).isNull();
        assertThat(rejectionsOf(poison)).extracting(CaptureRejections.Rejection::getReason).containsOnly("max_length");
    }

    @Test
    void aCartTheDatabaseRefusesIsRecordedAsRejectedAndTheRestOfTheBatchIsWritten() {
        Order first = store.cartWithEmail("first@example.com");
        Order poison = store.cartWithEmail("refused@example.com");
        Order last = store.cartWithEmail("last@example.com");
        refuseRowsOf(poison);

        store.add(first, mug, 1);
        store.add(poison, mug, 1);
        store.add(last, mug, 2);
        buffer.flush();

        assertThat(captured.find(first.getId()).getItemCount()).isEqualTo(1);
        assertThat(captured.find(last.getId()).getItemCount()).isEqualTo(2);
        assertThat(captured.find(poison.getId())).isNull();
        assertThat(buffer.pendingCount()).as("a refused cart is not retried forever").isZero();
        assertThat(rejectionsOf(poison)).singleElement().satisfies(rejection -> {
            assertThat(rejection.getField()).isEqualTo(CaptureRejections.WHOLE_ROW);
            assertThat(rejection.getReason()).startsWith("SQLSTATE 23");
            assertThat(rejection.getMaskedValue()).isEqualTo("r***@example.com (19 chars)");
        });

        store.add(first, mug, 1);
        buffer.flush();
        assertThat(captured.find(first.getId()).getItemCount()).isEqualTo(2);
    }

    @Test
    void aRefusalRepeatedByLaterChangesUpdatesOneRejection() {
        Order poison = store.cartWithEmail("again@example.com");
        refuseRowsOf(poison);

        store.add(poison, mug, 1);
        buffer.flush();
        store.add(poison, mug, 1);
        buffer.flush();

        assertThat(rejectionsOf(poison)).singleElement()
                .extracting(CaptureRejections.Rejection::getOccurrences).isEqualTo(2);
    }

    private void refuseRowsOf(Order cart) {
        buffer.flush();
        rows.execute("DELETE FROM CR_CAPTURED_CART_ITEM WHERE ORDER_ID = " + cart.getId());
        rows.execute("DELETE FROM CR_CAPTURED_CART WHERE ORDER_ID = " + cart.getId());
        rows.execute("ALTER TABLE CR_CAPTURED_CART ADD CONSTRAINT " + POISON_CONSTRAINT
                + " CHECK (ORDER_ID <> " + cart.getId() + ")");
        constraintAdded = true;
    }

    private List<CaptureRejections.Rejection> rejectionsOf(Order cart) {
        return rejections.latest(0, 10_000).stream()
                .filter(rejection -> rejection.getOrderId() == cart.getId())
                .collect(Collectors.toList());
    }

    /** A syntactically valid address (64-character local part, labels of at most 63) of exactly this length. */
    static String addressOfLength(int length) {
        String local = "a".repeat(64);
        StringBuilder domain = new StringBuilder();
        int remaining = length - local.length() - 1 - ".com".length();
        while (remaining > 0) {
            if (domain.length() > 0) {
                domain.append('.');
                remaining--;
            }
            int label = Math.max(1, Math.min(remaining, 63));
            domain.append("b".repeat(label));
            remaining -= label;
        }
        String address = local + "@" + domain + ".com";
        assertThat(address).hasSize(length);
        return address;
    }
}
