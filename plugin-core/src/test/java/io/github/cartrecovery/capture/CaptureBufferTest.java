package io.github.cartrecovery.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

import org.apache.commons.logging.Log;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.CannotCreateTransactionException;

import io.github.cartrecovery.testing.TestClock;

class CaptureBufferTest {

    private final TestClock clock = new TestClock(Instant.parse("2026-01-05T10:00:00Z"));
    private final Log log = mock(Log.class);
    private final ThrottledLog throttled = new ThrottledLog(log, clock, Duration.ofMinutes(1));
    private final RecordingStore store = new RecordingStore();
    private final CaptureRejections rejections = mock(CaptureRejections.class);
    private final CaptureBuffer buffer = new CaptureBuffer(new CaptureWriter(store, rejections, throttled), 0, 2, throttled);

    @Test
    void dropsAndCountsACartBeyondTheBound() {
        buffer.offer(observation(1, 1));
        buffer.offer(observation(2, 1));
        buffer.offer(observation(3, 1));

        assertThat(buffer.pendingCount()).isEqualTo(2);
        assertThat(buffer.droppedCount()).isEqualTo(1);
        buffer.flush();
        assertThat(store.written).extracting(CartObservation::getOrderId).containsExactlyInAnyOrder(1L, 2L);
    }

    @Test
    void stillTakesTheNewestChangeOfACartAlreadyWaitingAtTheBound() {
        buffer.offer(observation(1, 1));
        buffer.offer(observation(2, 1));
        clock.advance(Duration.ofSeconds(1));
        buffer.offer(observation(2, 5));

        assertThat(buffer.droppedCount()).isZero();
        buffer.flush();
        assertThat(store.written).filteredOn(seen -> seen.getOrderId() == 2L)
                .singleElement().extracting(CartObservation::getItemCount).isEqualTo(5);
    }

    @Test
    void hasRoomAgainAfterAFlush() {
        buffer.offer(observation(1, 1));
        buffer.offer(observation(2, 1));
        buffer.flush();

        buffer.offer(observation(3, 1));
        buffer.offer(observation(4, 1));

        assertThat(buffer.pendingCount()).isEqualTo(2);
        assertThat(buffer.droppedCount()).isZero();
    }

    @Test
    void boundsConsentStatementsToo() {
        buffer.offerConsent(new ConsentObservation(1, MarketingConsent.GRANTED, clock.instant()));
        buffer.offerConsent(new ConsentObservation(2, MarketingConsent.GRANTED, clock.instant()));
        buffer.offerConsent(new ConsentObservation(3, MarketingConsent.GRANTED, clock.instant()));

        assertThat(buffer.droppedCount()).isEqualTo(1);
    }

    @Test
    void logsDropsAtTheBoundOncePerInterval() {
        buffer.offer(observation(1, 1));
        buffer.offer(observation(2, 1));
        for (long cart = 3; cart < 1000; cart++) {
            buffer.offer(observation(cart, 1));
        }

        assertThat(buffer.droppedCount()).isEqualTo(997);
        verify(log, times(1)).warn(anyString(), any());
    }

    @Test
    void keepsEverythingForTheNextFlushWhileTheDatabaseIsUnavailable() {
        store.failWith = new CannotCreateTransactionException("Could not open JPA EntityManager for transaction");
        buffer.offer(observation(1, 1));
        buffer.offer(observation(2, 1));

        buffer.flush();
        buffer.flush();

        assertThat(buffer.pendingCount()).isEqualTo(2);
        verify(rejections, never()).record(anyLong(), any(), anyString(), anyString(), any());
        verify(log, times(1)).warn(anyString(), any());
        store.failWith = null;
        buffer.flush();
        assertThat(store.written).extracting(CartObservation::getOrderId).containsExactlyInAnyOrder(1L, 2L);
        assertThat(buffer.pendingCount()).isZero();
    }

    @Test
    void aFlushThatFailsUnexpectedlyLosesNothing() {
        CaptureWriter broken = mock(CaptureWriter.class);
        doThrow(new NullPointerException("a bug")).when(broken).write(any(), any(), org.mockito.ArgumentMatchers.anyBoolean());
        CaptureBuffer buffer = new CaptureBuffer(broken, 0, 10, throttled);
        buffer.offer(observation(1, 1));

        buffer.flush();

        assertThat(buffer.pendingCount()).isEqualTo(1);
    }

    private CartObservation observation(long orderId, int items) {
        return new CartObservation(orderId, null, "shopper@example.com", "en_US", "USD", null,
                CartObservation.OrderState.OPEN, items, BigDecimal.TEN, BigDecimal.TEN,
                Collections.<CartItemSnapshot>emptyList(), clock.instant());
    }

    /** Records what is written, or fails every write with {@link #failWith}. */
    static final class RecordingStore extends CapturedCartStore {
        final List<CartObservation> written = new ArrayList<>();
        RuntimeException failWith;

        @Override
        public void record(Collection<CartObservation> seen, Collection<? extends ConsentStatement> said) {
            if (failWith != null) {
                throw failWith;
            }
            written.addAll(seen);
        }
    }

}
