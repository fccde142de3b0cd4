package io.github.cartrecovery.webhook;

import static io.github.cartrecovery.webhook.TestMessages.cart;
import static io.github.cartrecovery.webhook.TestMessages.line;
import static io.github.cartrecovery.webhook.TestMessages.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.cartrecovery.channel.Addressee;
import io.github.cartrecovery.channel.Channel;
import io.github.cartrecovery.channel.ChannelUnavailableException;
import io.github.cartrecovery.channel.Recipient;
import io.github.cartrecovery.channel.SendOutcome;
import io.github.cartrecovery.testing.TestClock;

class WebhookChannelTest {

    private static final String SECRET = WebhookSignerTest.SECRET;

    private final TestClock clock = new TestClock(Instant.parse("2026-12-07T10:00:00Z"));
    private LocalReceiver receiver;

    @BeforeEach
    void start() throws IOException {
        receiver = LocalReceiver.start();
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    private WebhookChannel channel(String url, String secret) {
        return new WebhookChannel(WebhookEndpoint.of(url, true), new WebhookSigner(secret), new WebhookDocument(true),
                new WebhookPoster(2_000, 2_000, clock), clock);
    }

    private WebhookChannel channel() {
        return channel(receiver.url("/in?token=abc").toString(), SECRET);
    }

    @Test
    void isTheWebhookChannel() {
        assertThat(channel().name()).isEqualTo("WEBHOOK");
    }

    @Test
    void everyAddresseeGoesToTheConfiguredUrlShownWithoutItsQuery() {
        Map<Long, Recipient> recipients = channel().recipients(null, List.of(addressee(1), addressee(2)), clock.instant());
        assertThat(recipients).containsOnlyKeys(1L, 2L);
        assertThat(recipients.get(1L).getAddress()).isEqualTo("http://127.0.0.1:" + receiver.port() + "/in");
        assertThat(recipients.get(2L).isSkipped()).isFalse();
    }

    @Test
    void withoutAUrlEveryMessageIsSkippedNotRetried() {
        WebhookChannel off = channel("", "");
        Map<Long, Recipient> recipients = off.recipients(null, List.of(addressee(1)), clock.instant());
        assertThat(recipients.get(1L).getSkipReason()).isEqualTo(Recipient.NO_ADDRESS);
        assertThatThrownBy(off::open).isInstanceOf(ChannelUnavailableException.class)
                .hasMessageContaining("cartrecovery.webhook.url is not set");
    }

    @Test
    void aUrlWithoutASecretStopsStartup() {
        assertThatThrownBy(() -> channel("https://hooks.example.com/in", ""))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cartrecovery.webhook.secret is not set, but cartrecovery.webhook.url is");
    }

    @Test
    void postsTheSignedDocumentWithItsIdempotencyKey() throws Exception {
        WebhookChannel channel = channel();
        WebhookRequest request = channel.build(message(42, cart("EUR", line("Mug", 1, "5.00"))));
        Channel.Sender<WebhookRequest> sender = channel.open();

        assertThat(sender.send(Recipient.to("ignored"), 42, request).getKind()).isEqualTo(SendOutcome.Kind.ACCEPTED);
        sender.close(true);

        LocalReceiver.Received received = receiver.received().get(0);
        assertThat(received.path()).isEqualTo("/in?token=abc");
        assertThat(received.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
        assertThat(received.header("User-Agent")).startsWith("CartRecovery-Webhook/");
        assertThat(received.header("Idempotency-Key")).isEqualTo("cr.42.k2j3@shop.example.com");
        assertThat(received.header("X-CartRecovery-Signature")).startsWith("t=" + clock.instant().getEpochSecond() + ",v1=");
        assertThat(received.bodyText()).isEqualTo(request.getBodyText());
        long now = clock.instant().getEpochSecond();
        assertThat(new WebhookSigner(SECRET).verify(received.header("X-CartRecovery-Signature"), received.body(), now, 300))
                .isTrue();
    }

    @Test
    void aRetryCarriesTheSameIdempotencyKeyAndAFreshSignature() throws Exception {
        WebhookChannel channel = channel();
        receiver.then(503);
        Channel.Sender<WebhookRequest> first = channel.open();
        assertThat(first.send(null, 42, channel.build(message(42, cart("EUR")))).getKind()).isEqualTo(SendOutcome.Kind.RETRY);
        first.close(true);
        clock.advance(Duration.ofMinutes(5));
        Channel.Sender<WebhookRequest> second = channel.open();
        assertThat(second.send(null, 42, channel.build(message(42, cart("EUR")))).getKind())
                .isEqualTo(SendOutcome.Kind.ACCEPTED);

        List<LocalReceiver.Received> received = receiver.received();
        assertThat(received).extracting(r -> r.header("Idempotency-Key"))
                .containsExactly("cr.42.k2j3@shop.example.com", "cr.42.k2j3@shop.example.com");
        assertThat(received.get(1).header("X-CartRecovery-Signature"))
                .startsWith("t=" + clock.instant().getEpochSecond() + ",")
                .isNotEqualTo(received.get(0).header("X-CartRecovery-Signature"));
    }

    @Test
    void afterAnAnswerAskingForARetryTheRestOfTheBatchWaitsWithoutBeingSent() throws Exception {
        WebhookChannel channel = channel();
        receiver.then(429, "", "Retry-After", "60");
        Channel.Sender<WebhookRequest> sender = channel.open();

        SendOutcome first = sender.send(null, 1, channel.build(message(1, cart("EUR"))));
        SendOutcome second = sender.send(null, 2, channel.build(message(2, cart("EUR"))));
        SendOutcome third = sender.send(null, 3, channel.build(message(3, cart("EUR"))));
        sender.close(true);

        assertThat(List.of(first, second, third)).extracting(SendOutcome::getKind).containsOnly(SendOutcome.Kind.RETRY);
        assertThat(List.of(first, second, third)).extracting(SendOutcome::getRetryAfter).containsOnly(Duration.ofSeconds(60));
        assertThat(second.getDetail()).contains("not sent").contains("HTTP 429");
        assertThat(receiver.received()).hasSize(1);

        Channel.Sender<WebhookRequest> nextBatch = channel.open();
        assertThat(nextBatch.send(null, 2, channel.build(message(2, cart("EUR")))).getKind()).isEqualTo(SendOutcome.Kind.ACCEPTED);
    }

    @Test
    void aRejectedMessageDoesNotStopTheBatch() throws Exception {
        WebhookChannel channel = channel();
        receiver.then(422);
        Channel.Sender<WebhookRequest> sender = channel.open();
        assertThat(sender.send(null, 1, channel.build(message(1, cart("EUR")))).getKind()).isEqualTo(SendOutcome.Kind.REJECTED);
        assertThat(sender.send(null, 2, channel.build(message(2, cart("EUR")))).getKind()).isEqualTo(SendOutcome.Kind.ACCEPTED);
        assertThat(receiver.received()).hasSize(2);
    }

    private static Addressee addressee(long id) {
        return new Addressee(id, 9000 + id, "shopper" + id + "@example.com", "en_US");
    }
}
