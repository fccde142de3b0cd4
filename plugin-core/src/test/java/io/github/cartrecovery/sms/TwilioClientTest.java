package io.github.cartrecovery.sms;

import static io.github.cartrecovery.testing.FakeTwilio.accept;
import static io.github.cartrecovery.testing.FakeTwilio.error;
import static io.github.cartrecovery.testing.FakeTwilio.reply;
import static io.github.cartrecovery.testing.FakeTwilio.slow;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.github.cartrecovery.channel.SendOutcome;
import io.github.cartrecovery.testing.FakeTwilio;
import io.github.cartrecovery.testing.TestClock;

/** TwilioClient against a local stand-in of the Messages API: every answer and failure becomes the right outcome. */
class TwilioClientTest {

    private static final String SHOPPER = "+4915112345678";
    private static final String CALLBACK = "https://shop.example.com/cart-recovery/sms/status?m=42";

    private final TestClock clock = new TestClock(Instant.parse("2026-01-05T10:00:00Z"));
    private final FakeTwilio provider = new FakeTwilio();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        provider.close();
    }

    private TwilioClient client(String baseUrl, String from, int connectMs, int readMs) {
        TwilioClient client = new TwilioClient(new TwilioAccount(true, baseUrl, "ACtest", "secret-token", from),
                connectMs, readMs, clock);
        toClose.add(client);
        return client;
    }

    private TwilioClient client() {
        return client(provider.baseUrl(), "+15005550006", 5000, 30000);
    }

    @Test
    void anAcceptedTextIsAcceptedWithItsSid() {
        TwilioClient.Result result = client().send(SHOPPER, "Your cart is waiting", CALLBACK);

        assertThat(result.getOutcome().getKind()).isEqualTo(SendOutcome.Kind.ACCEPTED);
        assertThat(result.getOutcome().getProviderReference()).isEqualTo(FakeTwilio.sid(1));
    }

    @Test
    void postsTheFormToTheAccountsMessagesResourceWithBasicAuthentication() {
        client().send(SHOPPER, "Grüße: your cart & more", CALLBACK);

        FakeTwilio.Request request = provider.requests().get(0);
        assertThat(request.method).isEqualTo("POST");
        assertThat(request.path).isEqualTo("/2010-04-01/Accounts/ACtest/Messages.json");
        assertThat(request.contentType).startsWith("application/x-www-form-urlencoded");
        assertThat(request.authorization).isEqualTo("Basic "
                + Base64.getEncoder().encodeToString("ACtest:secret-token".getBytes(StandardCharsets.UTF_8)));
        assertThat(request.form).containsEntry("To", SHOPPER).containsEntry("From", "+15005550006")
                .containsEntry("Body", "Grüße: your cart & more").containsEntry("StatusCallback", CALLBACK);
    }

    @Test
    void aMessagingServiceSendsAsMessagingServiceSid() {
        client(provider.baseUrl(), "MG0123456789abcdef", 5000, 30000).send(SHOPPER, "Hi", CALLBACK);

        assertThat(provider.requests().get(0).form).containsEntry("MessagingServiceSid", "MG0123456789abcdef")
                .doesNotContainKey("From");
    }

    @Test
    void anInvalidNumberIsRejectedAndTheNumberSuppressed() {
        provider.then(error(400, 21211, "The 'To' number +4915112345678 is not a valid phone number."));

        TwilioClient.Result result = client().send(SHOPPER, "Hi", CALLBACK);

        assertThat(result.getOutcome().getKind()).isEqualTo(SendOutcome.Kind.REJECTED);
        assertThat(result.getOutcome().isSuppressRecipient()).isTrue();
        assertThat(result.getErrorCode()).isEqualTo(21211);
        assertThat(result.getOutcome().getDetail()).contains("HTTP 400", "21211").doesNotContain(SHOPPER);
    }

    @Test
    void aNumberThatIsNoMobileOrUnsubscribedIsSuppressedToo() {
        provider.then(error(400, 21614, "not a mobile number"), error(400, 21610, "unsubscribed recipient"));

        assertThat(client().send(SHOPPER, "Hi", CALLBACK).refusedTheNumber()).isTrue();
        assertThat(client().send(SHOPPER, "Hi", CALLBACK).refusedTheNumber()).isTrue();
    }

    @Test
    void anotherClientErrorIsRejectedWithoutSuppressingTheNumber() {
        provider.then(error(400, 21602, "Message body is required."), error(404, 20404, "not found"), reply(403, "{}"));

        for (int i = 0; i < 3; i++) {
            SendOutcome outcome = client().send(SHOPPER, "Hi", CALLBACK).getOutcome();
            assertThat(outcome.getKind()).isEqualTo(SendOutcome.Kind.REJECTED);
            assertThat(outcome.isSuppressRecipient()).isFalse();
        }
    }

    @Test
    void wrongCredentialsAreRetriedNotFailed() {
        provider.then(error(401, 20003, "Authenticate"));

        SendOutcome outcome = client().send(SHOPPER, "Hi", CALLBACK).getOutcome();

        assertThat(outcome.getKind()).isEqualTo(SendOutcome.Kind.RETRY);
        assertThat(outcome.getDetail()).contains("auth-token");
    }

    @Test
    void tooManyRequestsIsRetriedAfterRetryAfterSeconds() {
        provider.then(error(429, 20429, "Too Many Requests", "Retry-After", "30"));

        SendOutcome outcome = client().send(SHOPPER, "Hi", CALLBACK).getOutcome();

        assertThat(outcome.getKind()).isEqualTo(SendOutcome.Kind.RETRY);
        assertThat(outcome.getRetryAfter()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void retryAfterMayBeAnHttpDate() {
        provider.then(reply(429, "{}", "Retry-After", "Mon, 05 Jan 2026 10:02:00 GMT"));

        assertThat(client().send(SHOPPER, "Hi", CALLBACK).getOutcome().getRetryAfter()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void aServerErrorIsRetried() {
        provider.then(reply(500, "oops"), reply(503, "{}"));

        assertThat(client().send(SHOPPER, "Hi", CALLBACK).getOutcome().getKind()).isEqualTo(SendOutcome.Kind.RETRY);
        assertThat(client().send(SHOPPER, "Hi", CALLBACK).getOutcome().getKind()).isEqualTo(SendOutcome.Kind.RETRY);
    }

    @Test
    void aRefusedConnectionIsRetriedAndNothingWasSent() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        SendOutcome outcome = client("http://127.0.0.1:" + closedPort, "+15005550006", 2000, 2000)
                .send(SHOPPER, "Hi", CALLBACK).getOutcome();

        assertThat(outcome.getKind()).isEqualTo(SendOutcome.Kind.RETRY);
        assertThat(outcome.getDetail()).contains("nothing was sent");
    }

    @Test
    void aConnectTimeoutIsRetriedAndNothingWasSent() throws IOException {
        // a listening socket that never accepts, its backlog filled: the next connection attempt hangs in the handshake
        ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        toClose.add(server);
        boolean full = false;
        for (int i = 0; i < 20 && !full; i++) {
            Socket filler = new Socket();
            toClose.add(filler);
            try {
                filler.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 300);
            } catch (SocketTimeoutException e) {
                full = true;
            }
        }
        Assumptions.assumeTrue(full, "this system accepts every connection into the backlog: no connect timeout to test");

        SendOutcome outcome = client("http://127.0.0.1:" + server.getLocalPort(), "+15005550006", 300, 30000)
                .send(SHOPPER, "Hi", CALLBACK).getOutcome();

        assertThat(outcome.getKind()).isEqualTo(SendOutcome.Kind.RETRY);
        assertThat(outcome.getDetail()).contains("nothing was sent");
    }

    @Test
    void noAnswerAfterTheRequestWasWrittenIsUnknownNeverRetried() {
        provider.then(slow(Duration.ofSeconds(3), accept()));

        SendOutcome outcome = client(provider.baseUrl(), "+15005550006", 5000, 300).send(SHOPPER, "Hi", CALLBACK).getOutcome();

        assertThat(outcome.getKind()).isEqualTo(SendOutcome.Kind.UNKNOWN);
        assertThat(outcome.getDetail()).contains("may have been delivered");
        assertThat(provider.requests()).hasSize(1); // it did reach the provider
    }

    @Test
    void aSlowAnswerWithinTheReadTimeoutIsAccepted() {
        provider.then(slow(Duration.ofMillis(500), accept()));

        SendOutcome outcome = client(provider.baseUrl(), "+15005550006", 5000, 60000).send(SHOPPER, "Hi", CALLBACK).getOutcome();

        assertThat(outcome.getKind()).isEqualTo(SendOutcome.Kind.ACCEPTED);
    }

    @Test
    void anAcceptedAnswerWithoutJsonIsAcceptedWithoutReference() {
        provider.then(reply(201, "not json"));

        SendOutcome outcome = client().send(SHOPPER, "Hi", CALLBACK).getOutcome();

        assertThat(outcome.getKind()).isEqualTo(SendOutcome.Kind.ACCEPTED);
        assertThat(outcome.getProviderReference()).isNull();
    }

    @Test
    void theClientIsUsableAgainAfterClose() {
        TwilioClient client = client();
        client.send(SHOPPER, "one", CALLBACK);
        client.close();

        assertThat(client.send(SHOPPER, "two", CALLBACK).getOutcome().getKind()).isEqualTo(SendOutcome.Kind.ACCEPTED);
    }

    @Test
    void aClientOfAnAccountThatIsOffSendsNothing() {
        TwilioClient off = new TwilioClient(new TwilioAccount(false, null, null, null, null), 1000, 1000, clock);

        assertThat(off.send(SHOPPER, "Hi", CALLBACK).getOutcome().getKind()).isEqualTo(SendOutcome.Kind.RETRY);
        assertThat(provider.requests()).isEmpty();
    }
}
