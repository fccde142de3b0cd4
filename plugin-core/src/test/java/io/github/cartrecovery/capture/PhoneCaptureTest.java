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

import org.broadleafcommerce.common.locale.domain.LocaleImpl;
import org.broadleafcommerce.core.order.domain.NullOrderImpl;
import org.broadleafcommerce.core.order.domain.Order;
import org.broadleafcommerce.core.order.domain.OrderImpl;
import org.broadleafcommerce.core.order.service.OrderService;
import org.broadleafcommerce.core.order.service.type.OrderStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.cartrecovery.phone.InvalidPhoneNumberException;
import io.github.cartrecovery.phone.PhoneNumbers;
import io.github.cartrecovery.testing.TestClock;

class PhoneCaptureTest {

    private final OrderService orderService = mock(OrderService.class);
    private final RecordingStore store = new RecordingStore();
    private final TestClock clock = new TestClock(Instant.parse("2026-01-05T10:00:00Z"));
    private final CaptureBuffer buffer = new CaptureBuffer(new CaptureWriter(store, mock(CaptureRejections.class), log()), 0, 100, log());
    private final PhoneCapture capture = new PhoneCapture(orderService, new PhoneNumbers("US"), buffer, clock);
    private OrderImpl cart;

    private static ThrottledLog log() {
        return new ThrottledLog(mock(org.apache.commons.logging.Log.class), java.time.Clock.systemUTC(), java.time.Duration.ofMinutes(1));
    }

    @BeforeEach
    void openCart() {
        cart = new OrderImpl();
        cart.setId(42L);
        cart.setStatus(OrderStatus.IN_PROCESS);
        when(orderService.findOrderById(42L)).thenReturn(cart);
    }

    @Test
    void recordsTheNumberInE164WithConsentWhenTheBoxIsTicked() {
        assertThat(capture.capture(cart, "(201) 555-0123", true)).isEqualTo(GuestEmailCapture.Result.CAPTURED);
        buffer.flush();

        assertThat(store.sms).singleElement().satisfies(said -> {
            assertThat(said.getOrderId()).isEqualTo(42L);
            assertThat(said.getPhone()).isEqualTo("+12015550123");
            assertThat(said.getConsent()).isEqualTo(SmsConsent.GRANTED);
            assertThat(said.getObservedAt()).isEqualTo(clock.instant());
        });
    }

    @Test
    void readsANumberWithoutCountryCodeInTheCartsLocaleCountryFirst() {
        LocaleImpl british = new LocaleImpl();
        british.setLocaleCode("en_GB");
        cart.setLocale(british);

        capture.capture(cart, "07400 123456", true);
        buffer.flush();

        assertThat(store.sms).extracting(SmsConsentObservation::getPhone).containsExactly("+447400123456");
    }

    @Test
    void recordsDeniedForAnExplicitNoAndUnknownWhenNothingWasSaid() {
        capture.capture(cart, "+447400123456", false);
        buffer.flush();
        capture.capture(cart, "+447400123456", null);
        buffer.flush();

        assertThat(store.sms).extracting(SmsConsentObservation::getConsent).containsExactly(SmsConsent.DENIED, SmsConsent.UNKNOWN);
    }

    @Test
    void anUntickedBoxWithoutANumberWithdrawsConsentForTheCartsNumber() {
        capture.capture(cart, "  ", false);
        buffer.flush();

        assertThat(store.sms).singleElement().satisfies(said -> {
            assertThat(said.getPhone()).isNull();
            assertThat(said.getConsent()).isEqualTo(SmsConsent.DENIED);
        });
    }

    @Test
    void consentWithoutANumberIsRefused() {
        assertRefused(null, true, InvalidPhoneNumberException.Rule.REQUIRED_FOR_CONSENT);
        assertRefused("", true, InvalidPhoneNumberException.Rule.REQUIRED_FOR_CONSENT);
        assertRefused(null, null, InvalidPhoneNumberException.Rule.REQUIRED);
    }

    @Test
    void writesNothingForAnInvalidNumber() {
        assertRefused("1-800-FLOWERS", true, InvalidPhoneNumberException.Rule.CHARACTERS);
        assertRefused("0121 234 5678", true, InvalidPhoneNumberException.Rule.TOO_LONG);
        assertRefused("+44 121 234 5678", true, InvalidPhoneNumberException.Rule.NOT_MOBILE);
    }

    @Test
    void writesNothingWithoutAnOpenCartAndNeverChangesTheBroadleafOrder() throws Exception {
        assertThat(capture.capture(new NullOrderImpl(), "+447400123456", true)).isEqualTo(GuestEmailCapture.Result.NO_CART);
        OrderImpl deleted = new OrderImpl();
        deleted.setId(7L);
        assertThat(capture.capture(deleted, "+447400123456", true)).isEqualTo(GuestEmailCapture.Result.NO_CART);
        cart.setStatus(OrderStatus.SUBMITTED);
        assertThat(capture.capture(cart, "+447400123456", true)).isEqualTo(GuestEmailCapture.Result.CART_NOT_OPEN);

        assertThat(buffer.pendingCount()).isZero();
        verify(orderService, never()).save(any(Order.class), anyBoolean());
    }

    @Test
    void anSmsStatementAndAnEmailStatementForOneCartAreBothWritten() {
        buffer.offerConsent(new ConsentObservation(42L, MarketingConsent.GRANTED, clock.instant()));
        capture.capture(cart, "+447400123456", false);
        buffer.offerConsent(new ConsentObservation(42L, MarketingConsent.DENIED, clock.instant().minusSeconds(1)));

        buffer.flush();

        assertThat(store.email).extracting(ConsentObservation::getConsent).containsExactly(MarketingConsent.GRANTED);
        assertThat(store.sms).extracting(SmsConsentObservation::getConsent).containsExactly(SmsConsent.DENIED);
    }

    private void assertRefused(String phone, Boolean consent, InvalidPhoneNumberException.Rule rule) {
        assertThatThrownBy(() -> capture.capture(cart, phone, consent))
                .isInstanceOfSatisfying(InvalidPhoneNumberException.class, e -> assertThat(e.getRule()).isEqualTo(rule));
        verifyNoInteractions(orderService);
        assertThat(buffer.pendingCount()).isZero();
    }

    /** Records what the buffer flushes, instead of a database. */
    private static final class RecordingStore extends CapturedCartStore {
        final List<ConsentObservation> email = new ArrayList<>();
        final List<SmsConsentObservation> sms = new ArrayList<>();

        @Override
        public void record(Collection<CartObservation> seen, Collection<? extends ConsentStatement> said) {
            for (ConsentStatement statement : said) {
                if (statement instanceof SmsConsentObservation) {
                    sms.add((SmsConsentObservation) statement);
                } else {
                    email.add((ConsentObservation) statement);
                }
            }
        }
    }
}
