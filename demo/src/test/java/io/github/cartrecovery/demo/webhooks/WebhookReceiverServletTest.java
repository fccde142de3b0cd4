package io.github.cartrecovery.demo.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.codehaus.jackson.JsonNode;
import org.codehaus.jackson.map.ObjectMapper;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.cartrecovery.channel.Channel;
import io.github.cartrecovery.channel.ChannelMessage;
import io.github.cartrecovery.channel.Recipient;
import io.github.cartrecovery.channel.SendOutcome;
import io.github.cartrecovery.rendering.CartLine;
import io.github.cartrecovery.rendering.RecoveryCart;
import io.github.cartrecovery.webhook.WebhookChannel;
import io.github.cartrecovery.webhook.WebhookDocument;
import io.github.cartrecovery.webhook.WebhookEndpoint;
import io.github.cartrecovery.webhook.WebhookPoster;
import io.github.cartrecovery.webhook.WebhookRequest;
import io.github.cartrecovery.webhook.WebhookSigner;

/** The demo's receiver, sent to by the plugin's own webhook channel. */
class WebhookReceiverServletTest {

    private static final String SECRET = "demo-receiver-test-secret-0123456789abcdef";

    private final Clock clock = Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC);
    private final HttpClient http = HttpClient.newHttpClient();
    private Server server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler webhooks = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        webhooks.setContextPath("/webhooks");
        webhooks.addServlet(new ServletHolder(new WebhookReceiverServlet(new WebhookSigner(SECRET), clock)), "/*");
        server.setHandler(webhooks);
        server.start();
        base = "http://127.0.0.1:" + connector.getLocalPort() + "/webhooks";
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    private WebhookChannel channel(String secret) {
        return new WebhookChannel(WebhookEndpoint.of(base + "/receive", true), new WebhookSigner(secret),
                new WebhookDocument(true), new WebhookPoster(2_000, 5_000, clock), clock);
    }

    private static ChannelMessage message(long id, String itemName) {
        RecoveryCart cart = new RecoveryCart("Jane", "en_US", "USD",
                List.of(new CartLine(itemName, 1, new BigDecimal("9.90"), new BigDecimal("9.90"), null, null)));
        return new ChannelMessage(id, 500 + id, 1, "cr-" + id, Recipient.to(base()), "jane@example.com", "gentle-reminder",
                "Your cart", cart, null, null);
    }

    private static String base() {
        return "https://unused.example";
    }

    private SendOutcome send(WebhookChannel channel, ChannelMessage message) throws Exception {
        Channel.Sender<WebhookRequest> sender = channel.open();
        try {
            return sender.send(null, message.getPlannedMessageId(), channel.build(message));
        } finally {
            sender.close(true);
        }
    }

    private JsonNode received() throws Exception {
        return new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/messages.json")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    void acceptsASignedDocumentAndListsItAsValid() throws Exception {
        assertThat(send(channel(SECRET), message(1, "Mug")).getKind()).isEqualTo(SendOutcome.Kind.ACCEPTED);

        JsonNode list = received();
        assertThat(list.size()).isEqualTo(1);
        assertThat(list.get(0).get("signatureValid").getBooleanValue()).isTrue();
        assertThat(list.get(0).get("idempotencyKey").getTextValue()).isEqualTo("cr-1");
        assertThat(list.get(0).get("document").get("cart").get("items").get(0).get("name").getTextValue()).isEqualTo("Mug");
        String page = http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(page).contains("signature valid: <strong class=\"valid\">yes</strong>");
    }

    @Test
    void refusesAWrongSignatureSoTheSenderDoesNotRetryButListsIt() throws Exception {
        SendOutcome outcome = send(channel("a-different-secret-the-receiver-does-not-know"), message(2, "Mug"));

        assertThat(outcome.getKind()).isEqualTo(SendOutcome.Kind.REJECTED);
        assertThat(outcome.getDetail()).contains("HTTP 401");
        assertThat(received().get(0).get("signatureValid").getBooleanValue()).isFalse();
        String page = http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(page).contains("signature valid: <strong class=\"invalid\">no</strong>");
    }

    @Test
    void aRepeatedIdempotencyKeyIsAcknowledgedAndMarkedARepeat() throws Exception {
        WebhookChannel channel = channel(SECRET);
        assertThat(send(channel, message(3, "Mug")).getKind()).isEqualTo(SendOutcome.Kind.ACCEPTED);
        assertThat(send(channel, message(3, "Mug")).getKind()).isEqualTo(SendOutcome.Kind.ACCEPTED);

        JsonNode list = received();
        assertThat(list.get(0).get("duplicate").getBooleanValue()).isFalse();
        assertThat(list.get(1).get("duplicate").getBooleanValue()).isTrue();
    }

    @Test
    void thePageEscapesWhatItShows() throws Exception {
        send(channel(SECRET), message(4, "<script>alert(1)</script>"));
        String page = http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(page).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>");
    }

    @Test
    void anUnsignedPostIsRefused() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/receive"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"hello\":1}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(received().get(0).get("document").get("hello").getIntValue()).isEqualTo(1);
    }
}
