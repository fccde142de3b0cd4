package io.github.cartrecovery.sms;

import static io.github.cartrecovery.testing.FakeTwilio.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.cartrecovery.campaign.ShopperTimeZones;
import io.github.cartrecovery.channel.Channel;
import io.github.cartrecovery.channel.ChannelMessage;
import io.github.cartrecovery.channel.ChannelUnavailableException;
import io.github.cartrecovery.channel.Recipient;
import io.github.cartrecovery.channel.SendOutcome;
import io.github.cartrecovery.coupon.IssuedCoupon;
import io.github.cartrecovery.links.ShortRestoreLinks;
import io.github.cartrecovery.keys.SigningKeys;
import io.github.cartrecovery.links.StoreUrls;
import io.github.cartrecovery.rendering.CartLine;
import io.github.cartrecovery.rendering.RecoveryCart;
import io.github.cartrecovery.testing.FakeTwilio;
import io.github.cartrecovery.testing.TestClock;

/** The channel's build and hand-over, without a database (recipients() has its own IT: SmsRecipientsIT). */
class SmsChannelTest {

    private static final String SHOPPER = "+4915112345678";

    private final TestClock clock = new TestClock(Instant.parse("2026-01-05T10:00:00Z"));
    private final FakeTwilio provider = new FakeTwilio();
    private final SmsOptOuts optOuts = mock(SmsOptOuts.class);
    private final StoreUrls store = new StoreUrls("https://shop.example.com", "", "");
    private final ShortRestoreLinks links = new ShortRestoreLinks(store,
            SigningKeys.parse("k1:secret-0123456789-0123456789-abcdefgh"), clock, 30);

    @AfterEach
    void stop() {
        provider.close();
    }

    private SmsChannel channel(boolean enabled) {
        TwilioAccount account = enabled ? new TwilioAccount(true, provider.baseUrl(), "ACtest", "token", "+15005550006")
                : new TwilioAccount(false, null, null, null, null);
        return new SmsChannel(account, new TwilioClient(account, 2000, 10000, clock), optOuts, new SmsTemplates(2), links,
                store, new ShopperTimeZones("UTC", "", ""), "21:00-08:00", "Our Shop");
    }

    private static ChannelMessage message(long id, String locale, IssuedCoupon coupon) {
        RecoveryCart cart = new RecoveryCart("Jane", locale, "EUR", List.of(
                new CartLine("Mug", 2, new BigDecimal("12.50"), null, null, null),
                new CartLine("Tea", 1, new BigDecimal("4.00"), null, null, null)));
        return new ChannelMessage(id, 7, 1, "cr-" + id, Recipient.to(SHOPPER), "jane@example.com", "cart-reminder",
                null, cart, null, coupon);
    }

    @Test
    void buildsTheStepsTemplateWithTheCartAndAShortRestoreLink() {
        SmsText text = channel(true).build(message(42, "de_DE", new IssuedCoupon("CR-AAAA-BBBB-CCCC", "10%", null, null)));

        assertThat(text.getBody()).startsWith("Our Shop: Hallo Jane, Ihr Warenkorb mit 3 Artikel(n) (29,00 €)")
                .contains("CR-AAAA-BBBB-CCCC").contains("https://shop.example.com/cart-recovery/s/");
        String token = text.getBody().replaceAll("(?s).*/cart-recovery/s/([A-Za-z0-9_-]{24}).*", "$1");
        assertThat(links.verify(token, clock.instant())).isEqualTo(42L);
        assertThat(text.getEncoding()).isEqualTo(SegmentCounter.Encoding.GSM_7);
    }

    @Test
    void optionalPartsGoBeforeTheBuildFails() {
        ChannelMessage message = message(42, "en", null);
        RecoveryCart longName = new RecoveryCart("Zoë".repeat(40), "en", "USD", message.getCart().getLines());
        ChannelMessage withLongName = new ChannelMessage(42, 7, 1, "k", message.getRecipient(), "jane@example.com",
                "cart-reminder", null, longName, null, null);

        // the UCS-2 name would make it three segments: the optional greeting is left out, and the text is GSM-7 again
        SmsText text = channel(true).build(withLongName);
        assertThat(text.getBody()).startsWith("Our Shop: your cart with 3 item(s)").doesNotContain("Zoë");
        assertThat(text.getEncoding()).isEqualTo(SegmentCounter.Encoding.GSM_7);
        assertThat(text.getSegments()).isLessThanOrEqualTo(2);
    }

    @Test
    void aTextOverTheSegmentLimitEvenWithoutOptionalPartsFailsTheBuild() {
        SmsChannel oneSegment = new SmsChannel(new TwilioAccount(false, null, null, null, null),
                new TwilioClient(new TwilioAccount(false, null, null, null, null), 1, 1, clock), optOuts, new SmsTemplates(1),
                links, store, new ShopperTimeZones("UTC", "", ""), "21:00-08:00", "A store name long enough to need two");

        assertThatThrownBy(() -> oneSegment.build(message(42, "en", null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cart-reminder")
                .hasMessageContaining("cartrecovery.sms.max-segments=1");
    }

    @Test
    void handsTheTextToTheProviderWithItsStatusCallback() throws Exception {
        Channel.Sender<SmsText> sender = channel(true).open();

        SendOutcome outcome = sender.send(Recipient.to(SHOPPER), 42, new SmsText("Hi"));
        sender.close(true);

        assertThat(outcome.getKind()).isEqualTo(SendOutcome.Kind.ACCEPTED);
        assertThat(provider.requests().get(0).form)
                .containsEntry("StatusCallback", "https://shop.example.com/cart-recovery/sms/status?m=42")
                .containsEntry("To", SHOPPER).containsEntry("Body", "Hi");
        verify(optOuts, never()).optOut(anyString(), anyString(), anyString());
    }

    @Test
    void afterTheProviderAsksForARetryTheBatchSendsNoMoreTexts() throws Exception {
        provider.then(error(429, 20429, "Too Many Requests", "Retry-After", "30"));
        Channel.Sender<SmsText> sender = channel(true).open();

        SendOutcome first = sender.send(Recipient.to(SHOPPER), 42, new SmsText("Hi"));
        SendOutcome second = sender.send(Recipient.to(SHOPPER), 43, new SmsText("Hi"));

        assertThat(first.getKind()).isEqualTo(SendOutcome.Kind.RETRY);
        assertThat(second.getKind()).isEqualTo(SendOutcome.Kind.RETRY);
        assertThat(second.getRetryAfter()).isEqualTo(first.getRetryAfter());
        assertThat(provider.requests()).as("the second text is not sent to a provider that asked to wait").hasSize(1);
        verify(optOuts, never()).optOut(anyString(), anyString(), anyString());
    }

    @Test
    void aNumberTheProviderRefusesIsOptedOutAsRejected() throws Exception {
        provider.then(error(400, 21211, "invalid"));
        Channel.Sender<SmsText> sender = channel(true).open();

        SendOutcome outcome = sender.send(Recipient.to(SHOPPER), 42, new SmsText("Hi"));

        assertThat(outcome.isSuppressRecipient()).isTrue();
        verify(optOuts).optOut(eq(SHOPPER), eq(SmsOptOuts.REJECTED), anyString());
    }

    @Test
    void aNumberThatTextedStopToTheProviderIsOptedOutAsStop() throws Exception {
        provider.then(error(400, 21610, "Attempt to send to unsubscribed recipient"));

        channel(true).open().send(Recipient.to(SHOPPER), 42, new SmsText("Hi"));

        verify(optOuts).optOut(eq(SHOPPER), eq(SmsOptOuts.STOP), anyString());
    }

    @Test
    void theRefusalIsReportedEvenWhenTheOptOutCannotBeWritten() throws Exception {
        provider.then(error(400, 21211, "invalid"));
        when(optOuts.optOut(anyString(), anyString(), anyString())).thenThrow(new IllegalStateException("database away"));

        SendOutcome outcome = channel(true).open().send(Recipient.to(SHOPPER), 42, new SmsText("Hi"));

        assertThat(outcome.getKind()).isEqualTo(SendOutcome.Kind.REJECTED);
    }

    @Test
    void smsThatIsOffCannotBeOpened() {
        SmsChannel off = channel(false);

        assertThat(off.name()).isEqualTo("SMS");
        assertThatThrownBy(off::open).isInstanceOf(ChannelUnavailableException.class).hasMessageContaining("not enabled");
    }

    @Test
    void quietHoursCannotBeSwitchedOff() {
        TwilioAccount off = new TwilioAccount(false, null, null, null, null);
        TwilioClient client = new TwilioClient(off, 1, 1, clock);
        for (String none : new String[] {"", "  ", "08:00-08:00"}) {
            assertThatThrownBy(() -> new SmsChannel(off, client, optOuts, new SmsTemplates(2), links, store,
                    new ShopperTimeZones("UTC", "", ""), none, "Shop")).hasMessageContaining("cartrecovery.sms.quiet-hours");
        }
        assertThatThrownBy(() -> new SmsChannel(off, client, optOuts, new SmsTemplates(2), links, store,
                new ShopperTimeZones("UTC", "", ""), "25:00-08:00", "Shop")).hasMessageContaining("cartrecovery.sms.quiet-hours");
    }
}
