package io.github.cartrecovery.demo.webhooks;

import static io.github.cartrecovery.demo.PageText.escape;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.codehaus.jackson.JsonNode;
import org.codehaus.jackson.map.ObjectMapper;
import org.codehaus.jackson.node.ArrayNode;
import org.codehaus.jackson.node.ObjectNode;

import io.github.cartrecovery.webhook.WebhookChannel;
import io.github.cartrecovery.webhook.WebhookSigner;

/**
 * The demo's webhook receiver, built the way docs/webhooks.md tells a store to build one: it checks the signature
 * (5-minute timestamp tolerance, constant-time comparison), drops a repeated Idempotency-Key (answering 200, so
 * the sender stops), and answers 401 to a bad signature (the sender never retries a 4xx). It keeps every request,
 * valid or not, in memory (the newest {@value #MAX_KEPT}) and shows them:
 * <ul>
 * <li>{@code POST /webhooks/receive} the endpoint {@code cartrecovery.webhook.url} points at;</li>
 * <li>{@code /webhooks/} the received documents, newest first, each with "signature valid: yes/no";</li>
 * <li>{@code /webhooks/messages.json} the same as JSON, for the simulation and tests.</li>
 * </ul>
 * Everything taken from a request is HTML-escaped before it is written into a page.
 */
public final class WebhookReceiverServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final int MAX_KEPT = 500;
    private static final int MAX_BODY_BYTES = 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final transient WebhookSigner signer;
    private final transient Clock clock;
    private final List<Received> received = new ArrayList<Received>();
    private final Set<String> seenKeys = new HashSet<String>();
    private int count;

    /** @param signer the demo store's {@code cartrecovery.webhook.secret}, to verify with */
    public WebhookReceiverServlet(WebhookSigner signer, Clock clock) {
        this.signer = signer;
        this.clock = clock;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        if (!"/receive".equals(path)) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND, "POST webhooks to /webhooks/receive");
            return;
        }
        byte[] body = readBody(request.getInputStream());
        if (body == null) {
            response.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "at most 1 MiB");
            return;
        }
        Instant now = clock.instant();
        boolean valid = signer.verify(request.getHeader(WebhookSigner.HEADER), body, now.getEpochSecond(),
                WebhookSigner.DEFAULT_TOLERANCE_SECONDS);
        String key = request.getHeader(WebhookChannel.IDEMPOTENCY_KEY);
        boolean duplicate;
        synchronized (this) {
            duplicate = valid && key != null && !seenKeys.add(key);
            received.add(new Received(++count, now, key, valid, duplicate, new String(body, StandardCharsets.UTF_8)));
            if (received.size() > MAX_KEPT) {
                received.remove(0);
            }
        }
        response.setContentType("application/json; charset=UTF-8");
        if (!valid) {
            // a real receiver refuses it; the sender records the message FAILED and does not retry a 401
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            response.getWriter().write("{\"error\":\"signature invalid\"}");
            return;
        }
        response.getWriter().write("{\"received\":true,\"duplicate\":" + duplicate + "}");
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        List<Received> snapshot;
        synchronized (this) {
            snapshot = new ArrayList<Received>(received);
        }
        if ("/".equals(path)) {
            page(snapshot, response);
        } else if ("/messages.json".equals(path)) {
            json(snapshot, response);
        } else {
            response.sendError(HttpServletResponse.SC_NOT_FOUND, "No such page");
        }
    }

    private static void page(List<Received> all, HttpServletResponse response) throws IOException {
        response.setContentType("text/html; charset=UTF-8");
        PrintWriter page = response.getWriter();
        page.println("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"UTF-8\"><title>Webhooks (" + all.size()
                + ") - Demo webhook receiver</title><meta http-equiv=\"refresh\" content=\"10\"><style>"
                + "body{font-family:system-ui,sans-serif;margin:0;color:#222}header{background:#2d3e50;color:#fff;padding:12px 24px}"
                + "header a{color:#fff;margin-right:16px}main{padding:16px 24px;max-width:1000px}"
                + "section{border-bottom:1px solid #ddd;padding:8px 0}pre{white-space:pre-wrap;background:#f6f6f6;padding:12px}"
                + ".valid{color:#1a7f37}.invalid{color:#b42318}.note{color:#555}</style></head><body><header>"
                + "<strong>Demo webhook receiver</strong> &nbsp; <a href=\"/\">Store</a><a href=\"/admin/\">Admin</a>"
                + "<a href=\"/mailbox/\">Mailbox</a><a href=\"/webhooks/\">Webhooks</a><a href=\"/sms-outbox/\">SMS outbox</a></header><main>");
        page.println("<h1>Webhooks (" + all.size() + ")</h1>");
        page.println("<p class=\"note\">Every webhook the demo store posts lands here (POST /webhooks/receive, signed with "
                + "the demo's cartrecovery.webhook.secret). Campaign steps with channel WEBHOOK send them. Newest first; "
                + "this page refreshes every 10 seconds. See docs/webhooks.md.</p>");
        if (all.isEmpty()) {
            page.println("<p class=\"empty\">No webhook yet.</p>");
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            Received item = all.get(i);
            JsonNode document = item.document();
            page.println("<section class=\"webhook\"><h2>#" + item.number + " &middot; " + escape(TIME.format(item.at))
                    + "</h2><p>signature valid: <strong class=\"" + (item.signatureValid ? "valid\">yes" : "invalid\">no")
                    + "</strong>" + (item.duplicate ? " &middot; repeat (dropped by its Idempotency-Key)" : "")
                    + " &middot; Idempotency-Key: <code>" + escape(item.idempotencyKey) + "</code>"
                    + (document == null ? "" : " &middot; message " + escape(text(document, "messageId"))
                    + ", step " + escape(text(document, "step")) + ", order " + escape(text(document, "orderId")))
                    + "</p>");
            String restore = document == null ? null : text(document, "restoreUrl");
            if (restore != null && (restore.startsWith("http://") || restore.startsWith("https://"))) {
                page.println("<p><a class=\"restore\" href=\"" + escape(restore) + "\">restore link</a></p>");
            }
            page.println("<pre class=\"document\">" + escape(item.pretty()) + "</pre></section>");
        }
        page.println("</main></body></html>");
    }

    private static void json(List<Received> all, HttpServletResponse response) throws IOException {
        ArrayNode list = JSON.createArrayNode();
        for (Received item : all) {
            ObjectNode entry = list.addObject();
            entry.put("number", item.number);
            entry.put("receivedAt", item.at.toString());
            entry.put("idempotencyKey", item.idempotencyKey);
            entry.put("signatureValid", item.signatureValid);
            entry.put("duplicate", item.duplicate);
            JsonNode document = item.document();
            if (document != null) {
                entry.put("document", document);
            } else {
                entry.put("body", item.body);
            }
        }
        response.setContentType("application/json; charset=UTF-8");
        response.getOutputStream().write(JSON.writeValueAsBytes(list));
    }

    private static byte[] readBody(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int read;
        while ((read = in.read(buffer)) >= 0) {
            out.write(buffer, 0, read);
            if (out.size() > MAX_BODY_BYTES) {
                return null;
            }
        }
        return out.toByteArray();
    }

    private static String text(JsonNode document, String field) {
        JsonNode value = document.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** One request as received. */
    private static final class Received {
        final int number;
        final Instant at;
        final String idempotencyKey;
        final boolean signatureValid;
        final boolean duplicate;
        final String body;

        Received(int number, Instant at, String idempotencyKey, boolean signatureValid, boolean duplicate, String body) {
            this.number = number;
            this.at = at;
            this.idempotencyKey = idempotencyKey;
            this.signatureValid = signatureValid;
            this.duplicate = duplicate;
            this.body = body;
        }

        /** The body as JSON, or null when it is not JSON. */
        JsonNode document() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                return null;
            }
        }

        String pretty() {
            JsonNode document = document();
            if (document == null) {
                return body;
            }
            try {
                return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document);
            } catch (IOException e) {
                return body;
            }
        }
    }
}
