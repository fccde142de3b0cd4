package io.github.cartrecovery.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.broadleafcommerce.core.order.domain.NullOrderImpl;
import org.broadleafcommerce.core.order.domain.Order;
import org.broadleafcommerce.core.order.domain.OrderImpl;
import org.broadleafcommerce.core.order.service.OrderService;
import org.broadleafcommerce.core.order.service.type.OrderStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.cartrecovery.testing.TestClock;

class GuestEmailCaptureTest {

    private final OrderService orderService = mock(OrderService.class);
    private final RecordingStore store = new RecordingStore();
    private final TestClock clock = new TestClock(Instant.parse("2026-01-05T10:00:00Z"));
    private final CaptureBuffer buffer = new CaptureBuffer(new CaptureWriter(store, mock(CaptureRejections.class), log()), 0, 100, log());
    private final GuestEmailCapture capture = new GuestEmailCapture(orderService, new EmailAddressValidator(), buffer, clock);
    private OrderImpl cart;

    private static ThrottledLog log() {
        return new ThrottledLog(mock(org.apache.commons.logging.Log.class), java.time.Clock.systemUTC(), java.time.Duration.ofMinutes(1));
    }

    @BeforeEach
    void openCart() throws Exception {
        cart = new OrderImpl();
        cart.setId(42L);
        cart.setStatus(OrderStatus.IN_PROCESS);
        when(orderService.findOrderById(42L)).thenReturn(cart);
        when(orderService.save(any(Order.class), anyBoolean())).thenAnswer(call -> call.getArgument(0));
    }

    @Test
    void attachesTheNormalisedAddressToTheBroadleafOrder() throws Exception {
        assertThat(capture.capture(cart, " Jane@Example.COM ", null)).isEqualTo(GuestEmailCapture.Result.CAPTURED);

        assertThat(cart.getEmailAddress()).isEqualTo("Jane@example.com");
        verify(orderService).save(cart, false);
    }

    @Test
    void recordsGrantedOnlyWhenTheShopperGaveConsent() {
        capture.capture(cart, "jane@example.com", true);
        buffer.flush();
        assertThat(store.consents).extracting(ConsentObservation::getConsent).containsExactly(MarketingConsent.GRANTED);
    }

    @Test
    void recordsDeniedForAnExplicitNo() {
        capture.capture(cart, "jane@example.com", false);
        buffer.flush();
        assertThat(store.consents).extracting(ConsentObservation::getConsent).containsExactly(MarketingConsent.DENIED);
    }

    @Test
    void recordsUnknownWhenConsentWasNotSaid() {
        capture.capture(cart, "jane@example.com", true);
        capture.capture(cart, "other@example.com", null);
        buffer.flush();
        assertThat(store.consents).extracting(ConsentObservation::getConsent).containsExactly(MarketingConsent.UNKNOWN);
    }

    @Test
    void recordsConsentForTheCartItWasGivenFor() {
        capture.capture(cart, "jane@example.com", true);
        buffer.flush();
        assertThat(store.consents).extracting(ConsentObservation::getOrderId).containsExactly(42L);
        assertThat(store.consents).extracting(ConsentObservation::getObservedAt).containsExactly(clock.instant());
    }

    @Test
    void doesNotSaveTheOrderWhenTheAddressIsAlreadyOnItButStillRecordsConsent() throws Exception {
        cart.setEmailAddress("jane@example.com");
        capture.capture(cart, "jane@example.com", true);
        verify(orderService, never()).save(any(Order.class), anyBoolean());
        buffer.flush();
        assertThat(store.consents).extracting(ConsentObservation::getConsent).containsExactly(MarketingConsent.GRANTED);
    }

    @Test
    void writesNothingForAnInvalidAddress() {
        assertThatThrownBy(() -> capture.capture(cart, "jane@example.com\r\nBcc: x@example.com", true))
                .isInstanceOf(InvalidEmailAddressException.class);
        verifyNoInteractions(orderService);
        assertThat(buffer.pendingCount()).isZero();
    }

    @Test
    void writesNothingWithoutACart() {
        assertThat(capture.capture(null, "jane@example.com", true)).isEqualTo(GuestEmailCapture.Result.NO_CART);
        assertThat(capture.capture(new NullOrderImpl(), "jane@example.com", true)).isEqualTo(GuestEmailCapture.Result.NO_CART);
        verifyNoInteractions(orderService);
        assertThat(buffer.pendingCount()).isZero();
    }

    @Test
    void writesNothingWhenTheCartNoLongerExists() throws Exception {
        OrderImpl deleted = new OrderImpl();
        deleted.setId(7L);
        assertThat(capture.capture(deleted, "jane@example.com", true)).isEqualTo(GuestEmailCapture.Result.NO_CART);
        verify(orderService, never()).save(any(Order.class), anyBoolean());
        assertThat(buffer.pendingCount()).isZero();
    }

    @Test
    void writesNothingOnACheckedOutCart() throws Exception {
        cart.setStatus(OrderStatus.SUBMITTED);
        assertThat(capture.capture(cart, "jane@example.com", true)).isEqualTo(GuestEmailCapture.Result.CART_NOT_OPEN);
        verify(orderService, never()).save(any(Order.class), anyBoolean());
        assertThat(buffer.pendingCount()).isZero();
    }

    /** Records what the buffer flushes, instead of a database. */
    private static final class RecordingStore extends CapturedCartStore {
        final List<CartObservation> observations = new ArrayList<>();
        final List<ConsentObservation> consents = new ArrayList<>();

        @Override
        public void record(Collection<CartObservation> seen, Collection<? extends ConsentStatement> said) {
            observations.addAll(seen);
            for (ConsentStatement statement : said) {
                consents.add((ConsentObservation) statement);
            }
        }
    }
}
