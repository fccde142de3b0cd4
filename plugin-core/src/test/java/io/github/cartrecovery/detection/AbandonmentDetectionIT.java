package io.github.cartrecovery.detection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.annotation.Resource;

import org.broadleafcommerce.core.catalog.domain.Product;
import org.broadleafcommerce.core.order.domain.Order;
import org.broadleafcommerce.core.order.service.type.OrderStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.cartrecovery.capture.CaptureBuffer;
import io.github.cartrecovery.capture.CapturedCart;
import io.github.cartrecovery.capture.CapturedCartStore;
import io.github.cartrecovery.capture.CartStatus;
import io.github.cartrecovery.state.PluginActivation;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.CartRows;
import io.github.cartrecovery.testing.PluginContext;
import io.github.cartrecovery.testing.Store;
import io.github.cartrecovery.testing.TestClock;

/** When an idle cart becomes abandoned, and when it must not (default idle time: 60 minutes). */
@BroadleafWithPlugin
class AbandonmentDetectionIT {

    @Resource(name = "crCaptureBuffer")
    CaptureBuffer buffer;

    @Resource(name = "crCapturedCartStore")
    CapturedCartStore captured;

    @Resource(name = "crAbandonmentDetector")
    AbandonmentDetector detector;

    @Resource(name = "crPluginActivation")
    PluginActivation activation;

    Store store;
    Product mug;
    CartRows rows;

    @BeforeEach
    void arrange(PluginContext broadleaf) {
        store = broadleaf.store();
        mug = store.product("Enamel Mug", "12.50");
        rows = new CartRows(broadleaf.database().dataSource());
        activation.activatedAt();
    }

    @Test
    void cartIdleForTheIdleTimeWithItemsAndEmailIsAbandoned(TestClock clock) {
        Order cart = store.add(store.cartWithEmail("idle@example.com"), mug, 1);
        buffer.flush();

        clock.advance(Duration.ofMinutes(61));
        detector.detect();

        CapturedCart record = captured.find(cart.getId());
        assertThat(record.getStatus()).isEqualTo(CartStatus.ABANDONED);
        assertThat(record.getAbandonedAt().toInstant()).isEqualTo(clock.instant());
    }

    @Test
    void cartIdleForLessThanTheIdleTimeStaysActive(TestClock clock) {
        Order cart = store.add(store.cartWithEmail("browsing@example.com"), mug, 1);
        buffer.flush();

        clock.advance(Duration.ofMinutes(59));
        detector.detect();

        assertThat(captured.find(cart.getId()).getStatus()).isEqualTo(CartStatus.ACTIVE);
    }

    @Test
    void idleCartWithoutEmailBecomesIdleAndComesBackWhenTheEmailArrives(TestClock clock) throws Exception {
        Order cart = store.add(store.cartFor(store.anonymousCustomer()), mug, 1);
        buffer.flush();
        clock.advance(Duration.ofMinutes(61));
        detector.detect();
        assertThat(captured.find(cart.getId()).getStatus()).isEqualTo(CartStatus.IDLE);

        cart = store.orders().findOrderById(cart.getId());
        cart.setEmailAddress("late@example.com");
        store.orders().save(cart, false);
        buffer.flush();
        assertThat(captured.find(cart.getId()).getStatus()).isEqualTo(CartStatus.ACTIVE);

        clock.advance(Duration.ofMinutes(61));
        detector.detect();
        assertThat(captured.find(cart.getId()).getStatus()).isEqualTo(CartStatus.ABANDONED);
    }

    @Test
    void submittedCartIsNeverAbandonedEvenBeforeItsCaptureIsWritten(TestClock clock) throws Exception {
        Order cart = store.add(store.cartWithEmail("fastbuyer@example.com"), mug, 1);
        buffer.flush();
        cart = store.orders().findOrderById(cart.getId());
        cart.setStatus(OrderStatus.SUBMITTED);
        store.orders().save(cart, false);
        // the SUBMITTED observation is still in the buffer: detection must read Broadleaf's order itself

        clock.advance(Duration.ofMinutes(61));
        detector.detect();

        CapturedCart record = captured.find(cart.getId());
        assertThat(record.getStatus()).isEqualTo(CartStatus.PURCHASED);
        assertThat(record.getAbandonedAt()).isNull();
        buffer.flush();
        assertThat(captured.find(cart.getId()).getStatus()).isEqualTo(CartStatus.PURCHASED);
    }

    @Test
    void cartIdleSinceBeforeThePluginWasActivatedIsNotAbandoned(TestClock clock) {
        List<Long> history = rows.activeCarts(3, activation.activatedAt().minus(Duration.ofMinutes(1)));

        clock.advance(Duration.ofMinutes(61));
        detector.detect();

        assertThat(rows.countWithStatus(history, "ACTIVE")).isEqualTo(3);
    }

    @Test
    void cartIdleLongerThanTheLookBackIsNotAbandoned(TestClock clock) {
        clock.advance(Duration.ofHours(80));
        List<Long> old = rows.activeCarts(2, clock.instant().minus(Duration.ofHours(73)));
        List<Long> recent = rows.activeCarts(2, clock.instant().minus(Duration.ofHours(71)));

        detector.detect();

        assertThat(rows.countWithStatus(old, "ACTIVE")).isEqualTo(2);
        assertThat(rows.countWithStatus(recent, "ABANDONED")).isEqualTo(2);
    }

    @Test
    void cartMatchingAnExclusionRuleIsExcludedWithItsReason(TestClock clock) {
        Order cart = store.add(store.cartWithEmail("someone@mailinator.com"), mug, 1);
        buffer.flush();

        clock.advance(Duration.ofMinutes(61));
        detector.detect();

        CapturedCart record = captured.find(cart.getId());
        assertThat(record.getStatus()).isEqualTo(CartStatus.EXCLUDED);
        assertThat(record.getExclusionReason()).isEqualTo("excluded email domain");
    }

    @Test
    void cartDeletedInBroadleafIsMarkedDeletedInsteadOfAbandoned(TestClock clock) {
        Instant due = clock.instant();
        List<Long> gone = rows.activeCarts(1, due);
        rows.execute("DELETE FROM BLC_ORDER WHERE ORDER_ID = " + gone.get(0));

        clock.advance(Duration.ofMinutes(61));
        detector.detect();

        assertThat(rows.countWithStatus(gone, "DELETED")).isEqualTo(1);
    }

    @Test
    void shopperReturningToAnAbandonedCartMakesItActiveAgain(TestClock clock) {
        Order cart = store.add(store.cartWithEmail("returns@example.com"), mug, 1);
        buffer.flush();
        clock.advance(Duration.ofMinutes(61));
        detector.detect();
        assertThat(captured.find(cart.getId()).getStatus()).isEqualTo(CartStatus.ABANDONED);

        clock.advance(Duration.ofMinutes(1));
        store.add(cart, mug, 1);
        buffer.flush();

        assertThat(captured.find(cart.getId()).getStatus()).isEqualTo(CartStatus.ACTIVE);
    }
}
