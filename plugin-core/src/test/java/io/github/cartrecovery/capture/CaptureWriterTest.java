package io.github.cartrecovery.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.startsWith;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.CannotCreateTransactionException;

import io.github.cartrecovery.testing.TestClock;

class CaptureWriterTest {

    private final TestClock clock = new TestClock(Instant.parse("2026-01-05T10:00:00Z"));
    private final ThrottledLog log = new ThrottledLog(mock(Log.class), clock, Duration.ofMinutes(1));
    private final FailingStore store = new FailingStore();
    private final CaptureRejections rejections = mock(CaptureRejections.class);
    private final CaptureWriter writer = new CaptureWriter(store, rejections, log);

    @Test
    void writesTheRestOfABatchAroundARefusedCartAndRejectsIt() {
        store.refuse(2L, refused("22001", "value too long for type character varying(254)"), 99);

        CaptureWriter.Unwritten unwritten = writer.write(Arrays.asList(cart(1), cart(2), cart(3)),
                Collections.<ConsentObservation>emptyList(), false);

        assertThat(unwritten.isEmpty()).isTrue();
        assertThat(store.written).extracting(CartObservation::getOrderId).containsExactly(1L, 3L);
        verify(rejections).record(eq(2L), eq(CaptureRejections.Source.STOREFRONT), eq(CaptureRejections.WHOLE_ROW),
                eq("SQLSTATE 22001: value too long for type character varying(254)"), eq("s***@example.com (19 chars)"));
        assertThat(writer.rejectedRows()).isEqualTo(1);
    }

    @Test
    void retriesACartOnceBeforeRejectingIt() {
        // the batch and the first lone write lose a race with another node inserting the same new cart; the retry updates it
        store.refuse(2L, refused("23505", "duplicate key value violates unique constraint"), 2);

        writer.write(Arrays.asList(cart(1), cart(2)), Collections.<ConsentObservation>emptyList(), false);

        assertThat(store.written).extracting(CartObservation::getOrderId).containsExactly(1L, 2L);
        verify(rejections, never()).record(anyLong(), any(), anyString(), anyString(), any());
    }

    @Test
    void writesACartsEmailAndSmsStatementsWithItWhenTheBatchIsWrittenCartByCart() {
        store.refuse(2L, refused("22001", "value too long"), 99);

        writer.write(Arrays.asList(cart(1), cart(2)), Arrays.asList(
                new ConsentObservation(1, MarketingConsent.GRANTED, clock.instant()),
                new SmsConsentObservation(1, "+447400123456", SmsConsent.GRANTED, clock.instant()),
                new SmsConsentObservation(3, "+447400123456", SmsConsent.DENIED, clock.instant())), false);

        assertThat(store.writtenStatements).extracting(ConsentStatement::getOrderId).containsExactly(1L, 1L, 3L);
        assertThat(store.writtenStatements.get(1)).isInstanceOf(SmsConsentObservation.class);
    }

    @Test
    void rejectsNothingAndReturnsEverythingWhenTheDatabaseIsUnavailable() {
        store.everything = new CannotCreateTransactionException("Could not open JPA EntityManager",
                new SQLException("Connection refused", "08001"));

        CaptureWriter.Unwritten unwritten = writer.write(Arrays.asList(cart(1), cart(2)),
                Collections.singletonList(new ConsentObservation(2, MarketingConsent.GRANTED, clock.instant())), false);

        assertThat(unwritten.getObservations()).hasSize(2);
        assertThat(unwritten.getConsents()).hasSize(1);
        verify(rejections, never()).record(anyLong(), any(), anyString(), anyString(), any());
    }

    @Test
    void recordsValuesLeftOutOnceTheCartIsWritten() {
        CartObservation withRejectedEmail = new CaptureInputRules(new EmailAddressValidator()).clean(
                observation(7, "a".repeat(250) + "@example.com"));

        writer.write(Collections.singletonList(withRejectedEmail), Collections.<ConsentObservation>emptyList(), true);

        verify(rejections).record(eq(7L), eq(CaptureRejections.Source.RECONCILIATION), eq("email"), eq("max_length"),
                startsWith("a***@example.com (262 chars)"));
    }

    private CartObservation cart(long orderId) {
        return observation(orderId, "shopper@example.com");
    }

    private CartObservation observation(long orderId, String email) {
        return new CartObservation(orderId, null, email, "en_US", "USD", null, CartObservation.OrderState.OPEN, 1,
                BigDecimal.TEN, BigDecimal.TEN, Collections.<CartItemSnapshot>emptyList(), clock.instant());
    }

    private static RuntimeException refused(String sqlState, String message) {
        return new DataIntegrityViolationException("could not execute statement", new SQLException(message, sqlState));
    }

    /** Fails every write containing a refused cart (a given number of times), or every write at all. */
    static final class FailingStore extends CapturedCartStore {
        final List<CartObservation> written = new ArrayList<>();
        final List<ConsentStatement> writtenStatements = new ArrayList<>();
        final Map<Long, RuntimeException> refusals = new HashMap<>();
        final Map<Long, Integer> refusalsLeft = new HashMap<>();
        RuntimeException everything;

        void refuse(long orderId, RuntimeException failure, int times) {
            refusals.put(orderId, failure);
            refusalsLeft.put(orderId, times);
        }

        @Override
        public void record(Collection<CartObservation> seen, Collection<? extends ConsentStatement> said) {
            if (everything != null) {
                throw everything;
            }
            for (CartObservation observation : seen) {
                Integer left = refusalsLeft.get(observation.getOrderId());
                if (left != null && left > 0) {
                    refusalsLeft.put(observation.getOrderId(), left - 1);
                    throw refusals.get(observation.getOrderId());
                }
            }
            written.addAll(seen);
            writtenStatements.addAll(said);
        }
    }
}
