package io.github.cartrecovery.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.cartrecovery.channel.SendOutcome;
import io.github.cartrecovery.testing.TestClock;

/** What each answer of a receiver (a real local HTTP server) means for the message. */
class WebhookPosterTest {

    private static final byte[] BODY = "{\"messageId\":42}".getBytes(StandardCharsets.UTF_8);
    private static final Map<String, String> HEADERS = Map.of("Content-Type", "application/json; charset=utf-8",
            "Idempotency-Key", "cr-42");

    private final TestClock clock = new TestClock(Instant.parse("2026-12-07T10:00:00Z"));
    private final WebhookPoster poster = new WebhookPoster(2_000, 1_000, clock);
    private LocalReceiver receiver;

    @BeforeEach
    void start() throws IOException {
        receiver = LocalReceiver.start();
    }

    @AfterEach
    void stop() {
        receiver.close();
    }

    private SendOutcome post() {
        return poster.post(receiver.url("/hooks/in?token=t1"), HEADERS, BODY);
    }

    @Test
    void twoHundredIsAccepted() {
        receiver.then(200, "{\"ok\":true}");
        assertThat(post().getKind()).isEqualTo(SendOutcome.Kind.ACCEPTED);
        LocalReceiver.Received request = receiver.received().get(0);
        assertThat(request.path()).isEqualTo("/hooks/in?token=t1");
        assertThat(request.header("Idempotency-Key")).isEqualTo("cr-42");
        assertThat(request.body()).isEqualTo(BODY);
    }

    @Test
    void anyTwoHundredSomethingIsAccepted() {
        receiver.then(202).then(204);
        assertThat(post().getKind()).isEqualTo(SendOutcome.Kind.ACCEPTED);
        assertThat(post().getKind()).isEqualTo(SendOutcome.Kind.ACCEPTED);
    }

    @Test
    void fourHundredIsRejectedAndNeverRetried() {
        receiver.then(400, "bad document for jane.doe@example.com");
        SendOutcome outcome = post();
        assertThat(outcome.getKind()).isEqualTo(SendOutcome.Kind.REJECTED);
        assertThat(outcome.isSuppressRecipient()).isFalse();
        assertThat(outcome.getDetail()).contains("answered HTTP 400").contains("bad document for j***@example.com")
                .doesNotContain("jane.doe");
    }

    @Test
    void otherClientErrorsAreRejectedToo() {
        receiver.then(401).then(404).then(409).then(422);
        for (int i = 0; i < 4; i++) {
            assertThat(post().getKind()).isEqualTo(SendOutcome.Kind.REJECTED);
        }
    }

    @Test
    void aLongAnswerIsReadOnlyInPartAndStillCounts() {
        String page = "x".repeat(100_000);
        receiver.then(200, page).then(503, page, "Retry-After", "30");
        assertThat(post().getKind()).isEqualTo(SendOutcome.Kind.ACCEPTED);
        SendOutcome unavailable = post();
        assertThat(unavailable.getKind()).isEqualTo(SendOutcome.Kind.RETRY);
        assertThat(unavailable.getRetryAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(unavailable.getDetail()).hasSizeLessThan(300).endsWith("xxx...");
    }

    @Test
    void requestTimeoutIsRetried() {
        receiver.then(408);
        assertThat(post().getKind()).isEqualTo(SendOutcome.Kind.RETRY);
    }

    @Test
    void tooManyRequestsIsRetriedAfterRetryAfterSeconds() {
        receiver.then(429, "slow down", "Retry-After", "120");
        SendOutcome outcome = post();
        assertThat(outcome.getKind()).isEqualTo(SendOutcome.Kind.RETRY);
        assertThat(outcome.getRetryAfter()).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void serviceUnavailableIsRetriedAfterARetryAfterDate() {
        receiver.then(503, "", "Retry-After", "Mon, 07 Dec 2026 10:30:00 GMT");
        SendOutcome outcome = post();
        assertThat(outcome.getKind()).isEqualTo(SendOutcome.Kind.RETRY);
        assertThat(outcome.getRetryAfter()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void serverErrorIsRetriedWithTheEnginesBackOff() {
        receiver.then(500, "oops");
        SendOutcome outcome = post();
        assertThat(outcome.getKind()).isEqualTo(SendOutcome.Kind.RETRY);
        assertThat(outcome.getRetryAfter()).isNull();
        assertThat(outcome.getDetail()).contains("HTTP 500: oops");
    }

    @Test
    void noAnswerWithinTheReadTimeoutIsRetriedBecauseTheReceiverDropsRepeats() {
        receiver.thenNoAnswer();
        SendOutcome outcome = post();
        assertThat(outcome.getKind()).isEqualTo(SendOutcome.Kind.RETRY);
        assertThat(outcome.getDetail()).contains("no answer").contains("Idempotency-Key");
        assertThat(receiver.received()).hasSize(1); // it did arrive: only the answer is missing
    }

    @Test
    void aRefusedConnectionIsRetried() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        SendOutcome outcome = poster.post(new URL("http://127.0.0.1:" + closedPort + "/in"), HEADERS, BODY);
        assertThat(outcome.getKind()).isEqualTo(SendOutcome.Kind.RETRY);
        assertThat(outcome.getDetail()).contains("cannot connect to 127.0.0.1");
    }

    @Test
    void aConnectionThatIsNeverAcceptedIsRetried() throws IOException {
        // a listening socket that never accepts, its backlog filled: further connection attempts get no answer
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> filling = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    Socket s = new Socket();
                    try {
                        s.connect(socket.getLocalSocketAddress(), 200);
                        filling.add(s);
                    } catch (IOException e) {
                        s.close();
                        break; // the backlog is full
                    }
                }
                WebhookPoster impatient = new WebhookPoster(300, 1_000, clock);
                SendOutcome outcome = impatient.post(new URL("http://127.0.0.1:" + socket.getLocalPort() + "/in"), HEADERS, BODY);
                assertThat(outcome.getKind()).isEqualTo(SendOutcome.Kind.RETRY);
                assertThat(outcome.getDetail()).contains("no connection to 127.0.0.1 within 300 ms");
            } finally {
                for (Socket s : filling) {
                    s.close();
                }
            }
        }
    }

    @Test
    void aRedirectToAnotherHostIsNeverFollowed() throws IOException {
        try (LocalReceiver elsewhere = LocalReceiver.start()) {
            String otherHost = "http://localhost:" + elsewhere.port() + "/stolen";
            receiver.then(307, "", "Location", otherHost);
            SendOutcome outcome = post();
            assertThat(outcome.getKind()).isEqualTo(SendOutcome.Kind.REJECTED);
            assertThat(outcome.getDetail()).contains("HTTP 307").contains("to localhost").contains("never followed");
            assertThat(elsewhere.received()).isEmpty();
        }
    }

    @Test
    void aRedirectWithinTheSameHostIsNotFollowedEither() {
        receiver.then(301, "", "Location", "/hooks/in/");
        assertThat(post().getKind()).isEqualTo(SendOutcome.Kind.REJECTED);
        assertThat(receiver.received()).hasSize(1);
    }

    @Test
    void retryAfterIsSecondsOrAnHttpDateCappedAndNeverInThePast() {
        Instant now = Instant.parse("2026-12-07T10:00:00Z");
        assertThat(WebhookPoster.retryAfter("0", now)).isNull();
        assertThat(WebhookPoster.retryAfter(" 30 ", now)).isEqualTo(Duration.ofSeconds(30));
        assertThat(WebhookPoster.retryAfter("Mon, 07 Dec 2026 09:00:00 GMT", now)).isNull();
        assertThat(WebhookPoster.retryAfter("Mon, 07 Dec 2026 10:00:05 GMT", now)).isEqualTo(Duration.ofSeconds(5));
        assertThat(WebhookPoster.retryAfter("999999999999", now)).isEqualTo(WebhookPoster.MAX_RETRY_AFTER);
        assertThat(WebhookPoster.retryAfter("soon", now)).isNull();
        assertThat(WebhookPoster.retryAfter("-5", now)).isNull();
        assertThat(WebhookPoster.retryAfter(null, now)).isNull();
    }
}
