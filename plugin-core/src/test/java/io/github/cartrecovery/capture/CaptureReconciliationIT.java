package io.github.cartrecovery.capture;

import static org.assertj.core.api.Assertions.assertThat;

import javax.annotation.Resource;

import org.broadleafcommerce.core.catalog.domain.Product;
import org.broadleafcommerce.core.order.dao.OrderDao;
import org.broadleafcommerce.core.order.domain.Order;
import org.broadleafcommerce.core.order.service.type.OrderStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.CartRows;
import io.github.cartrecovery.testing.PluginContext;
import io.github.cartrecovery.testing.Store;

/** Captured records converge to Broadleaf's orders even when an event was lost. */
@BroadleafWithPlugin
class CaptureReconciliationIT {

    @Resource(name = "crCaptureBuffer")
    CaptureBuffer buffer;

    @Resource(name = "crCapturedCartStore")
    CapturedCartStore captured;

    @Resource(name = "crCaptureReconciliation")
    CaptureReconciliation reconciliation;

    @Resource(name = "crCaptureRejections")
    CaptureRejections rejections;

    @Resource(name = "crPluginSettings")
    io.github.cartrecovery.state.PluginSettings settings;

    @Resource(name = "blOrderDao")
    OrderDao orderDao;

    @Resource(name = "blTransactionManager")
    PlatformTransactionManager transactionManager;

    Store store;
    Product mug;
    CartRows rows;

    @BeforeEach
    void arrange(PluginContext broadleaf) {
        store = broadleaf.store();
        mug = store.product("Enamel Mug", "12.50");
        rows = new CartRows(broadleaf.database().dataSource());
    }

    @Test
    void cartWhoseCaptureWasLostIsRecoveredByReconciliation() {
        Order cart = store.add(store.cartWithEmail("lost@example.com"), mug, 2);
        buffer.flush();
        // the node died before writing: the record never made it
        rows.execute("DELETE FROM CR_CAPTURED_CART_ITEM WHERE ORDER_ID = " + cart.getId());
        rows.execute("DELETE FROM CR_CAPTURED_CART WHERE ORDER_ID = " + cart.getId());
        assertThat(captured.find(cart.getId())).isNull();

        reconcileEverything();

        CapturedCart record = captured.find(cart.getId());
        assertThat(record).isNotNull();
        assertThat(record.getEmail()).isEqualTo("lost@example.com");
        assertThat(record.getItemCount()).isEqualTo(2);
        assertThat(record.getItems()).hasSize(1);
    }

    @Test
    void purchaseWhoseCaptureWasLostIsRecordedAsPurchased() throws Exception {
        Order cart = store.add(store.cartWithEmail("lostbuyer@example.com"), mug, 1);
        buffer.flush();
        cart = store.orders().findOrderById(cart.getId());
        cart.setStatus(OrderStatus.SUBMITTED);
        store.orders().save(cart, false);
        int lost = buffer.pendingCount();
        assertThat(lost).isPositive();
        rows.execute("UPDATE CR_CAPTURED_CART SET STATUS = 'ACTIVE' WHERE ORDER_ID = " + cart.getId());
        discardBuffered();

        reconcileEverything();

        assertThat(captured.find(cart.getId()).getStatus()).isEqualTo(CartStatus.PURCHASED);
    }

    @Test
    void cartDeletedBehindThePluginsBackIsMarkedDeleted() {
        Order cart = store.add(store.cartWithEmail("vanished@example.com"), mug, 1);
        buffer.flush();

        new TransactionTemplate(transactionManager).execute(status -> {
            orderDao.delete(orderDao.readOrderById(cart.getId()));
            return null;
        });
        reconcileEverything();

        assertThat(captured.find(cart.getId()).getStatus()).isEqualTo(CartStatus.DELETED);
    }

    @Test
    void reconciliationConvergesAndThenChangesNothing() {
        Order cart = store.add(store.cartWithEmail("twice@example.com"), mug, 1);
        buffer.flush();
        CapturedCart first = captured.find(cart.getId());

        int passes = 0;
        while (reconcileEverything() > 0) {
            passes++;
            assertThat(passes).as("reconciliation keeps rewriting records instead of converging").isLessThan(3);
        }

        CapturedCart after = captured.find(cart.getId());
        assertThat(after.getLastActivity()).isEqualTo(first.getLastActivity());
        assertThat(after.getStatusChangedAt()).isEqualTo(first.getStatusChangedAt());
        assertThat(after.getStatus()).isEqualTo(CartStatus.ACTIVE);
    }

    @Test
    void reconciliationMovesPastACartTheDatabaseRefusesAndRecordsItAsRejected() {
        Order poison = store.add(store.cartWithEmail("poison-reconciled@example.com"), mug, 1);
        Order after = store.add(store.cartWithEmail("after-poison@example.com"), mug, 3);
        buffer.flush();
        for (Order lost : new Order[] {poison, after}) {
            rows.execute("DELETE FROM CR_CAPTURED_CART_ITEM WHERE ORDER_ID = " + lost.getId());
            rows.execute("DELETE FROM CR_CAPTURED_CART WHERE ORDER_ID = " + lost.getId());
        }
        rows.execute("ALTER TABLE CR_CAPTURED_CART ADD CONSTRAINT CK_CR_TEST_POISON CHECK (ORDER_ID <> " + poison.getId() + ")");
        try {
            reconcileEverything();
        } finally {
            rows.execute("ALTER TABLE CR_CAPTURED_CART DROP CONSTRAINT CK_CR_TEST_POISON");
        }

        assertThat(captured.find(after.getId()).getItemCount()).isEqualTo(3);
        assertThat(captured.find(poison.getId())).isNull();
        assertThat(rejections.latest(0, 10_000)).anySatisfy(rejection -> {
            assertThat(rejection.getOrderId()).isEqualTo(poison.getId());
            assertThat(rejection.getSource()).isEqualTo("RECONCILIATION");
            assertThat(rejection.getField()).isEqualTo(CaptureRejections.WHOLE_ROW);
        });
    }

    /**
     * One whole pass of both sweeps from the start (each run handles one chunk; other test classes may have
     * left many orders before and after this test's).
     */
    private int reconcileEverything() {
        settings.write(CaptureReconciliation.ORDER_CURSOR, "0");
        settings.write(CaptureReconciliation.CART_CURSOR, "0");
        int changed = 0;
        boolean ordersDone = false;
        boolean cartsDone = false;
        for (int runs = 1; !(ordersDone && cartsDone); runs++) {
            if (runs > 10_000) {
                throw new AssertionError("reconciliation never wrapped around");
            }
            changed += reconciliation.run();
            ordersDone |= "0".equals(settings.read(CaptureReconciliation.ORDER_CURSOR));
            cartsDone |= "0".equals(settings.read(CaptureReconciliation.CART_CURSOR));
        }
        return changed;
    }

    private void discardBuffered() {
        buffer.discardAll(); // the node died: what was buffered is gone
    }
}
