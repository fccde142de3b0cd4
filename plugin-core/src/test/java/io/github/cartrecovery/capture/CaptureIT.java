package io.github.cartrecovery.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import javax.annotation.Resource;

import org.broadleafcommerce.core.catalog.domain.Product;
import org.broadleafcommerce.core.order.domain.Order;
import org.broadleafcommerce.core.order.service.MergeCartService;
import org.broadleafcommerce.core.order.service.call.OrderItemRequestDTO;
import org.broadleafcommerce.core.order.service.type.OrderStatus;
import org.broadleafcommerce.core.util.service.ResourcePurgeService;
import org.broadleafcommerce.profile.core.domain.Customer;
import org.broadleafcommerce.profile.core.service.CustomerService;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.junit.jupiter.api.Test;

import io.github.cartrecovery.detection.AbandonmentDetector;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;
import io.github.cartrecovery.testing.Store;
import io.github.cartrecovery.testing.TestClock;

/** Every Broadleaf event that changes a cart reaches its captured record. */
@BroadleafWithPlugin
class CaptureIT {

    @Resource(name = "crCaptureBuffer")
    CaptureBuffer buffer;

    @Resource(name = "crCapturedCartStore")
    CapturedCartStore captured;

    @Resource(name = "crAbandonmentDetector")
    AbandonmentDetector detector;

    @Resource(name = "crCaptureReconciliation")
    CaptureReconciliation reconciliation;

    @Resource(name = "blMergeCartService")
    MergeCartService mergeCartService;

    @Resource(name = "blCustomerService")
    CustomerService customerService;

    @Resource(name = "blResourcePurgeService")
    ResourcePurgeService purgeService;

    @Resource(name = "blTransactionManager")
    PlatformTransactionManager transactionManager;

    TransactionTemplate inTransaction;
    Store store;
    Product mug;
    Product tea;

    @BeforeEach
    void arrange(PluginContext broadleaf) {
        store = broadleaf.store();
        inTransaction = new TransactionTemplate(transactionManager);
        mug = store.product("Enamel Mug", "12.50");
        tea = store.product("Green Tea", "8.00");
    }

    @Test
    void newCartIsRecordedAsActiveWithNoItems() {
        Order cart = store.cartFor(store.anonymousCustomer());

        CapturedCart record = capture(cart);

        assertThat(record.getStatus()).isEqualTo(CartStatus.ACTIVE);
        assertThat(record.getItemCount()).isZero();
        assertThat(record.getCustomerId()).isEqualTo(cart.getCustomer().getId());
    }

    @Test
    void addingItemsRecordsTheSnapshotAndMovesLastActivity(TestClock clock) {
        Order cart = store.cartWithEmail("adds@example.com");
        java.util.Date before = capture(cart).getLastActivity();
        clock.advance(Duration.ofMinutes(5));

        store.add(cart, mug, 1);
        store.add(cart, tea, 3);
        CapturedCart record = capture(cart);

        assertThat(record.getItemCount()).isEqualTo(4);
        assertThat(record.getItems()).extracting(CartItemSnapshot::getName).containsExactlyInAnyOrder("Enamel Mug", "Green Tea");
        assertThat(record.getTotal()).isPositive();
        assertThat(record.getLastActivity()).isAfter(before);
    }

    @Test
    void updatingAQuantityIsRecorded() throws Exception {
        Order cart = store.add(store.cartWithEmail("updates@example.com"), mug, 1);
        Long itemId = cart.getOrderItems().get(0).getId();

        store.orders().updateItemQuantity(cart.getId(), new OrderItemRequestDTO().setOrderItemId(itemId).setQuantity(5), true);

        assertThat(capture(cart).getItemCount()).isEqualTo(5);
    }

    @Test
    void removingTheLastItemEmptiesTheCart() throws Exception {
        Order cart = store.add(store.cartWithEmail("removes@example.com"), mug, 1);
        capture(cart);

        store.orders().removeItem(cart.getId(), cart.getOrderItems().get(0).getId(), true);

        CapturedCart record = capture(cart);
        assertThat(record.getItemCount()).isZero();
        assertThat(record.getStatus()).isEqualTo(CartStatus.EMPTIED);
    }

    @Test
    void emailAttachedAtCheckoutIsRecorded() throws Exception {
        Order cart = store.add(store.cartFor(store.anonymousCustomer()), mug, 1);
        assertThat(capture(cart).getEmail()).isNull();

        cart = store.orders().findOrderById(cart.getId());
        cart.setEmailAddress("guest@example.com");
        store.orders().save(cart, false);

        assertThat(capture(cart).getEmail()).isEqualTo("guest@example.com");
    }

    @Test
    void submittedCartIsPurchasedAndNeverAbandoned(TestClock clock) throws Exception {
        Order cart = store.add(store.cartWithEmail("buyer@example.com"), mug, 1);
        capture(cart);

        cart = store.orders().findOrderById(cart.getId());
        cart.setStatus(OrderStatus.SUBMITTED);
        store.orders().save(cart, false);
        assertThat(capture(cart).getStatus()).isEqualTo(CartStatus.PURCHASED);

        clock.advance(Duration.ofHours(2));
        detector.detect();
        assertThat(capture(cart).getStatus()).isEqualTo(CartStatus.PURCHASED);
        assertThat(capture(cart).getAbandonedAt()).isNull();
    }

    @Test
    void cancelledCartIsMarkedDeleted() {
        Order cart = store.add(store.cartWithEmail("deleted@example.com"), mug, 1);
        capture(cart);

        store.orders().deleteOrder(store.orders().findOrderById(cart.getId()));
        reconciliation.run();

        assertThat(capture(cart).getStatus()).isEqualTo(CartStatus.DELETED);
    }

    @Test
    void cartDeletedByBroadleafsPurgeIsMarkedDeleted() {
        Order cart = store.add(store.cartWithEmail("purged@example.com"), mug, 1);
        capture(cart);

        Map<String, String> purgeEverything = new HashMap<>();
        purgeEverything.put("STATUS", "IN_PROCESS");
        purgeEverything.put("SECONDS_OLD", "0");
        // Broadleaf's purge pages through the carts while deleting them, so one pass can step over some
        // when earlier tests left many: purge again until ours is gone (bounded)
        for (int pass = 0; pass < 30 && store.orders().findOrderById(cart.getId()) != null; pass++) {
            purgeService.purgeCarts(purgeEverything);
        }
        reconciliation.run();

        assertThat(store.orders().findOrderById(cart.getId())).isNull();
        assertThat(capture(cart).getStatus()).isEqualTo(CartStatus.DELETED);
    }

    @Test
    void cartMergedAtLoginKeepsOneRecordOwnedByTheCustomer() throws Exception {
        Order anonymousCart = store.add(store.cartWithEmail("merge@example.com"), mug, 2);
        capture(anonymousCart);
        Customer registered = customerService.createCustomerFromId(null);
        registered.setUsername("merge-" + registered.getId());
        registered.setEmailAddress("merge@example.com");
        registered = customerService.saveCustomer(registered);

        Customer customer = registered;
        Order merged = inTransaction.execute(status -> {
            try {
                return mergeCartService.mergeCart(customer, store.orders().findOrderById(anonymousCart.getId())).getOrder();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(merged.getId()).isEqualTo(anonymousCart.getId());
        CapturedCart record = capture(merged);
        assertThat(record.getCustomerId()).isEqualTo(registered.getId());
        assertThat(record.getItemCount()).isEqualTo(2);
        assertThat(record.getStatus()).isEqualTo(CartStatus.ACTIVE);
    }

    @Test
    void repeatedEventsForOneCartCoalesceIntoOneObservation() {
        Order cart = store.cartWithEmail("coalesce@example.com");
        buffer.flush();

        store.add(cart, mug, 1);
        store.add(cart, tea, 1);
        store.add(cart, mug, 1);

        assertThat(buffer.pendingCount()).isEqualTo(1);
        assertThat(capture(cart).getItemCount()).isEqualTo(3);
    }

    private CapturedCart capture(Order cart) {
        buffer.flush();
        CapturedCart record = captured.find(cart.getId());
        assertThat(record).as("captured record of order %s", cart.getId()).isNotNull();
        return record;
    }

}
