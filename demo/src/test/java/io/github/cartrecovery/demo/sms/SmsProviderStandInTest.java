package io.github.cartrecovery.demo.sms;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.cartrecovery.sms.SmsChannel;
import io.github.cartrecovery.sms.TwilioSignature;

/** The outbox's reply form (the demo's "STOP" door): what reaches the store, and what a bad number gets back. */
class SmsProviderStandInTest {

    private static final String TOKEN = "stand-in-test-auth-token";

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Map<String, String>> inbound = Collections.synchronizedList(new ArrayList<>());
    private Server server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort(); // known before the stand-in is made: it signs over the store's URL
        }
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        base = "http://127.0.0.1:" + port;
        SmsProviderStandIn sms = new SmsProviderStandIn("ACtest", TOKEN, base, "US");
        ServletContextHandler outbox = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        outbox.setContextPath("/sms-outbox");
        outbox.addServlet(new ServletHolder(sms.outbox()), "/*");
        ServletContextHandler store = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        store.setContextPath("/");
        store.addServlet(new ServletHolder(new StoreInbound()), SmsChannel.INBOUND_PATH);
        org.eclipse.jetty.server.handler.ContextHandlerCollection contexts = new org.eclipse.jetty.server.handler.ContextHandlerCollection();
        contexts.setHandlers(new org.eclipse.jetty.server.Handler[] {outbox, store});
        server.setHandler(contexts);
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @Test
    void aNumberTypedAsAtCheckoutReachesTheStoreSignedInE164() throws Exception {
        HttpResponse<String> page = reply("(201) 555-0142", "STOP");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Sent <strong>STOP</strong> from +12015550142 to the store.");
        assertThat(inbound).hasSize(1);
        assertThat(inbound.get(0)).containsEntry("From", "+12015550142").containsEntry("Body", "STOP")
                .containsEntry("signature valid", "true");
    }

    @Test
    void aNumberThatIsNoneGetsTheReasonOnThePageEscapedAndNothingReachesTheStore() throws Exception {
        for (String from : new String[] {"<script>alert(1)</script>", "1".repeat(5000), "call me", "", "+1 201 555"}) {
            HttpResponse<String> page = reply(from, "<b>STOP</b>");

            assertThat(page.statusCode()).as(from).isEqualTo(400);
            assertThat(page.body()).as(from).contains("Not sent: phone ").contains("(the number as at checkout")
                    .doesNotContain("<script>").doesNotContain("<b>STOP</b>").contains("value=\"&lt;b&gt;STOP&lt;/b&gt;\"");
        }
        assertThat(reply("<script>alert(1)</script>", "STOP").body()).contains("value=\"&lt;script&gt;alert(1)&lt;/script&gt;\"");
        assertThat(inbound).isEmpty();
    }

    @Test
    void theOutboxRefreshesItselfButNotUnderAVisitorTypingAReply() throws Exception {
        String page = http.send(HttpRequest.newBuilder(URI.create(base + "/sms-outbox/")).build(),
                HttpResponse.BodyHandlers.ofString()).body();

        assertThat(page).doesNotContain("http-equiv=\"refresh\"").contains(SmsProviderStandIn.RELOAD_UNLESS_TYPING)
                .contains("<form method=\"post\" action=\"/sms-outbox/reply\" class=\"reply\">");
    }

    private HttpResponse<String> reply(String from, String body) throws IOException, InterruptedException {
        String form = "from=" + URLEncoder.encode(from, StandardCharsets.UTF_8) + "&body=" + URLEncoder.encode(body, StandardCharsets.UTF_8);
        return http.send(HttpRequest.newBuilder(URI.create(base + "/sms-outbox/reply"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The store's inbound webhook: records what it got and whether Twilio's signature over its URL holds. */
    private final class StoreInbound extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            Map<String, String> got = new LinkedHashMap<>();
            Map<String, List<String>> signed = new LinkedHashMap<>();
            for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
                got.put(parameter.getKey(), parameter.getValue()[0]);
                signed.put(parameter.getKey(), List.of(parameter.getValue()));
            }
            got.put("signature valid", String.valueOf(new TwilioSignature(TOKEN).verify(base + SmsChannel.INBOUND_PATH, signed,
                    request.getHeader(TwilioSignature.HEADER))));
            inbound.add(got);
            response.setContentType("text/xml");
            response.getWriter().write("<Response/>");
        }
    }
}
