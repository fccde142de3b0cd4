package io.github.cartrecovery.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.cartrecovery.channel.DeliveryReceipts;
import io.github.cartrecovery.testing.TestClock;

/** What a verified webhook does (the signature itself: TwilioSignatureTest; end to end: SmsWebhooksIT in plugin-site). */
class SmsWebhooksTest {

    private static final String SHOPPER = "+4915112345678";
    private static final Instant NOW = Instant.parse("2026-01-05T10:00:00Z");

    private final DeliveryReceipts receipts = mock(DeliveryReceipts.class);
    private final SmsOptOuts optOuts = mock(SmsOptOuts.class);
    private final SmsWebhooks webhooks = new SmsWebhooks(new TwilioAccount(true, "https://api.twilio.com", "ACtest", "token",
            "+15005550006"), receipts, optOuts, new TestClock(NOW), "{storeName}: stopped. Reply START <again>.",
            "{storeName}: on again.", "", "Our Shop");

    private static Map<String, String> params(String... pairs) {
        Map<String, String> params = new HashMap<>();
        params.put("AccountSid", "ACtest");
        for (int i = 0; i < pairs.length; i += 2) {
            params.put(pairs[i], pairs[i + 1]);
        }
        return params;
    }

    @Test
    void onlyTheAccountsSignatureVerifies() {
        Map<String, List<String>> body = Map.of("MessageSid", List.of("SM1"), "MessageStatus", List.of("delivered"));
        String url = "https://shop.example.com/cart-recovery/sms/status?m=42";
        String good = new TwilioSignature("token").sign(url, body);

        assertThat(webhooks.verified(url, body, good)).isTrue();
        assertThat(webhooks.verified(url, body, new TwilioSignature("other").sign(url, body))).isFalse();
        assertThat(webhooks.verified(url.replace("42", "43"), body, good)).isFalse();
        assertThat(webhooks.verified(url, body, null)).isFalse();
    }

    @Test
    void nothingVerifiesWhenSmsIsOff() {
        SmsWebhooks off = new SmsWebhooks(new TwilioAccount(false, null, null, null, null), receipts, optOuts,
                new TestClock(NOW), "", "", "", "");
        assertThat(off.isEnabled()).isFalse();
        assertThat(off.verified("https://x/", Map.of(), "anything")).isFalse();
    }

    @Test
    void deliveredIsADeliveredReceipt() {
        when(receipts.delivered("SMS", 42, "SM1", NOW)).thenReturn(true);

        assertThat(webhooks.status(42, params("MessageSid", "SM1", "MessageStatus", "delivered"))).isTrue();
    }

    @Test
    void undeliveredAndFailedAreUndeliveredReceiptsWithTheErrorCode() {
        webhooks.status(42, params("MessageSid", "SM1", "MessageStatus", "undelivered", "ErrorCode", "30003"));
        webhooks.status(43, params("MessageSid", "SM2", "MessageStatus", "failed"));

        verify(receipts).undelivered("SMS", 42, "SM1", "undelivered (error 30003)", NOW);
        verify(receipts).undelivered("SMS", 43, "SM2", "failed", NOW);
        verifyNoInteractions(optOuts);
    }

    @Test
    void anUnknownOrLandlineNumberIsOptedOut() {
        when(receipts.undelivered(eq("SMS"), anyLong(), anyString(), anyString(), any())).thenReturn(true);

        webhooks.status(42, params("MessageSid", "SM1", "MessageStatus", "undelivered", "ErrorCode", "30005", "To", SHOPPER));

        verify(optOuts).optOut(eq(SHOPPER), eq(SmsOptOuts.REJECTED), anyString());
    }

    @Test
    void otherStatusesRecordNothing() {
        assertThat(webhooks.status(42, params("MessageSid", "SM1", "MessageStatus", "sent"))).isFalse();
        assertThat(webhooks.status(42, params("MessageSid", "SM1", "MessageStatus", "queued"))).isFalse();
        verifyNoInteractions(receipts);
    }

    @Test
    void anotherAccountsCallbackRecordsNothing() {
        Map<String, String> params = params("MessageSid", "SM1", "MessageStatus", "delivered");
        params.put("AccountSid", "ACother");

        assertThat(webhooks.status(42, params)).isFalse();
        verifyNoInteractions(receipts);
    }

    @Test
    void stopOptsTheSenderOutAndRepliesWithEscapedTwiml() {
        String twiml = webhooks.inbound(params("From", SHOPPER, "Body", "Stop"));

        verify(optOuts).optOut(eq(SHOPPER), eq(SmsOptOuts.STOP), anyString());
        assertThat(twiml).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>Our Shop: stopped. "
                + "Reply START &lt;again&gt;.</Message></Response>");
    }

    @Test
    void startOptsTheSenderBackIn() {
        String twiml = webhooks.inbound(params("From", SHOPPER, "Body", "start"));

        verify(optOuts).optIn(SHOPPER);
        assertThat(twiml).contains("<Message>Our Shop: on again.</Message>");
    }

    @Test
    void helpWithAnEmptyReplyAnswersNothing() {
        assertThat(webhooks.inbound(params("From", SHOPPER, "Body", "HELP")))
                .isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>");
        verifyNoInteractions(optOuts);
    }

    @Test
    void otherTextsAndBadSendersChangeNothing() {
        webhooks.inbound(params("From", SHOPPER, "Body", "Is the sale still on?"));
        webhooks.inbound(params("From", "not a number", "Body", "STOP"));

        verify(optOuts, never()).optOut(anyString(), anyString(), anyString());
        verify(optOuts, never()).optIn(anyString());
    }
}
