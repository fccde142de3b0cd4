package io.github.cartrecovery.demo.sms;

import static io.github.cartrecovery.demo.PageText.escape;
import static io.github.cartrecovery.demo.PageText.jsonString;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UnsupportedEncodingException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import io.github.cartrecovery.phone.InvalidPhoneNumberException;
import io.github.cartrecovery.phone.PhoneNumbers;
import io.github.cartrecovery.sms.SegmentCounter;
import io.github.cartrecovery.sms.SmsChannel;
import io.github.cartrecovery.sms.TwilioSignature;

/**
 * The demo's SMS provider, played locally (the demo never texts a real phone):
 * <ul>
 * <li>{@code /sms-provider/2010-04-01/Accounts/<sid>/Messages.json}: Twilio's Messages resource, as the plugin's
 * TwilioClient calls it (form POST, Basic authentication). It keeps every text and answers 201 with a SID; a second
 * later it sends the store a signed status callback (delivered). Twilio's magic test number +15005550001 is refused
 * as invalid (400, error 21211), so the "bad number" path can be tried.</li>
 * <li>{@code /sms-outbox/}: every text received, newest first, with its segment count and status, and a form that
 * sends the store a signed inbound text ("STOP", "START", "HELP") from a shopper's number (typed as at checkout: it is
 * sent in E.164, as a network gives it; a number that is none gets the reason on the page), showing the store's TwiML
 * answer; {@code /sms-outbox/messages.json} the same list as JSON (for tests and the simulation).</li>
 * </ul>
 * Signatures are Twilio's (X-Twilio-Signature with the demo account's auth token), over the URL the store publishes.
 * The demo's copy of the test stand-in in plugin-core (testing.FakeTwilio): demo main code cannot use test classes.
 */
public final class SmsProviderStandIn implements AutoCloseable {

    public static final String DEMO_FROM = "+15005550006";
    static final String INVALID_NUMBER = "+15005550001";
    private static final Pattern MESSAGES = Pattern.compile("/2010-04-01/Accounts/([^/]+)/Messages\\.json");
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");
    /** The outbox's refresh: every 10 seconds, unless a form field has the focus or was typed in. */
    static final String RELOAD_UNLESS_TYPING = "<script>(function () { var typed = false;"
            + " document.addEventListener('input', function () { typed = true; });"
            + " setInterval(function () { var active = document.activeElement;"
            + " if (!typed && !(active && active.form)) { window.location.reload(); } }, 10000); }());</script>";

    /** One text the store handed over. */
    public static final class Text {
        final int index;
        final String sid;
        final String to;
        final String from;
        final String body;
        final String statusCallback;
        final String received;
        volatile String status = "queued";
        volatile String callbackAnswer = "";

        Text(int index, String sid, String to, String from, String body, String statusCallback, String received) {
            this.index = index;
            this.sid = sid;
            this.to = to;
            this.from = from;
            this.body = body;
            this.statusCallback = statusCallback;
            this.received = received;
        }

        public String getSid() { return sid; }
        public String getTo() { return to; }
        public String getBody() { return body; }
        public String getStatus() { return status; }
    }

    private final String accountSid;
    private final String authToken;
    private final String storeBaseUrl;
    private final PhoneNumbers numbers;
    private final TwilioSignature signature;
    private final List<Text> texts = new CopyOnWriteArrayList<Text>();
    private final AtomicInteger sids = new AtomicInteger();
    private final ScheduledExecutorService callbacks = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "demo-sms-callbacks");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param defaultRegion where a number typed into the reply form without its country code is read (the demo's
     *                      {@code cartrecovery.sms.default-region}, US)
     */
    public SmsProviderStandIn(String accountSid, String authToken, String storeBaseUrl, String defaultRegion) {
        this.accountSid = accountSid;
        this.authToken = authToken;
        this.storeBaseUrl = storeBaseUrl;
        this.numbers = new PhoneNumbers(defaultRegion);
        this.signature = new TwilioSignature(authToken);
    }

    /** A demo account SID and a random auth token, new at every start; typed numbers are read as the store reads them. */
    public static SmsProviderStandIn forStore(String storeBaseUrl, String defaultRegion) {
        byte[] secret = new byte[24];
        new java.security.SecureRandom().nextBytes(secret);
        return new SmsProviderStandIn("ACdemo0000000000000000000000000000", Base64.getUrlEncoder().withoutPadding()
                .encodeToString(secret), storeBaseUrl, defaultRegion);
    }

    public String accountSid() { return accountSid; }
    public String authToken() { return authToken; }

    public List<Text> texts() {
        return Collections.unmodifiableList(texts);
    }

    /** Twilio's Messages resource. */
    public HttpServlet api() {
        return new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
                receive(request, response);
            }
        };
    }

    /** The outbox pages. */
    public HttpServlet outbox() {
        return new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
                response.setHeader("Cache-Control", "no-store");
                response.setHeader("X-Content-Type-Options", "nosniff");
                if ("/messages.json".equals(path)) {
                    json(response);
                } else if ("/".equals(path)) {
                    page(request, response);
                } else {
                    response.sendError(HttpServletResponse.SC_NOT_FOUND);
                }
            }

            @Override
            protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
                if (!"/reply".equals(request.getPathInfo())) {
                    response.sendError(HttpServletResponse.SC_NOT_FOUND);
                    return;
                }
                request.setCharacterEncoding("UTF-8");
                String typed = request.getParameter("from") == null ? "" : request.getParameter("from");
                String body = request.getParameter("body") == null ? "" : request.getParameter("body");
                response.setHeader("Cache-Control", "no-store");
                response.setHeader("X-Content-Type-Options", "nosniff");
                String from;
                try {
                    // the phone network gives the provider the sender in E.164, however the shopper writes their number
                    from = numbers.normalise(typed);
                } catch (InvalidPhoneNumberException e) {
                    response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
                    PrintWriter page = start(response, "Reply not sent");
                    page.println("<p class=\"error\">Not sent: " + escape(e.getMessage()) + " (the number as at checkout, e.g. "
                            + "+1 201 555 0123 or (201) 555-0123 for a US number).</p>");
                    page.println(replyForm(request, Collections.<String>emptyList(), typed, body));
                    end(page);
                    return;
                }
                String[] answer = reply(from, body);
                PrintWriter page = start(response, "Reply sent");
                page.println("<p>Sent <strong>" + escape(body) + "</strong> from " + escape(from) + " to the store.</p>");
                page.println("<p>The store answered HTTP " + escape(answer[0]) + ":</p><pre>" + escape(answer[1]) + "</pre>");
                page.println("<p><a href=\"" + escape(request.getContextPath() + "/") + "\">&larr; outbox</a></p>");
                end(page);
            }
        };
    }

    private void receive(HttpServletRequest request, HttpServletResponse response) throws IOException {
        request.setCharacterEncoding("UTF-8");
        Matcher path = MESSAGES.matcher(request.getPathInfo() == null ? "" : request.getPathInfo());
        String expected = "Basic " + Base64.getEncoder().encodeToString((accountSid + ":" + authToken).getBytes(StandardCharsets.UTF_8));
        if (!path.matches() || !accountSid.equals(path.group(1))) {
            answer(response, 404, "{\"code\": 20404, \"message\": \"The requested resource was not found\", \"status\": 404}");
            return;
        }
        if (!expected.equals(request.getHeader("Authorization"))) {
            answer(response, 401, "{\"code\": 20003, \"message\": \"Authenticate\", \"status\": 401}");
            return;
        }
        String to = request.getParameter("To");
        String body = request.getParameter("Body");
        if (to == null || !E164.matcher(to).matches() || INVALID_NUMBER.equals(to)) {
            answer(response, 400, "{\"code\": 21211, \"message\": \"The 'To' number is not a valid phone number.\", \"status\": 400}");
            return;
        }
        if (body == null || body.isEmpty()) {
            answer(response, 400, "{\"code\": 21602, \"message\": \"Message body is required.\", \"status\": 400}");
            return;
        }
        String from = request.getParameter("From") != null ? request.getParameter("From") : request.getParameter("MessagingServiceSid");
        String sid = String.format(Locale.ROOT, "SM%032x", sids.incrementAndGet());
        final Text text = new Text(texts.size(), sid, to, from, body, request.getParameter("StatusCallback"), now());
        texts.add(text);
        answer(response, 201, "{\"sid\": \"" + sid + "\", \"status\": \"queued\", \"to\": " + jsonString(to)
                + ", \"num_segments\": \"" + SegmentCounter.segments(body) + "\"}");
        if (text.statusCallback != null) {
            callbacks.schedule(() -> delivered(text), 1, TimeUnit.SECONDS);
        }
    }

    /** The signed "delivered" status callback a carrier's receipt would cause. */
    private void delivered(Text text) {
        Map<String, String> form = new LinkedHashMap<String, String>();
        form.put("AccountSid", accountSid);
        form.put("ApiVersion", "2010-04-01");
        form.put("From", text.from == null ? DEMO_FROM : text.from);
        form.put("MessageSid", text.sid);
        form.put("MessageStatus", "delivered");
        form.put("SmsSid", text.sid);
        form.put("SmsStatus", "delivered");
        form.put("To", text.to);
        String[] answer = post(text.statusCallback, form);
        text.status = "delivered";
        text.callbackAnswer = answer[0];
    }

    /** Sends the store a signed inbound text from {@code from}; returns its HTTP status and body. */
    public String[] reply(String from, String body) {
        Map<String, String> form = new LinkedHashMap<String, String>();
        form.put("AccountSid", accountSid);
        form.put("ApiVersion", "2010-04-01");
        form.put("Body", body);
        form.put("From", from);
        form.put("MessageSid", String.format(Locale.ROOT, "SM%032x", sids.incrementAndGet()));
        form.put("NumMedia", "0");
        form.put("To", DEMO_FROM);
        return post(storeBaseUrl + SmsChannel.INBOUND_PATH, form);
    }

    private String[] post(String url, Map<String, String> form) {
        Map<String, List<String>> signed = new LinkedHashMap<String, List<String>>();
        StringBuilder body = new StringBuilder();
        for (Map.Entry<String, String> field : form.entrySet()) {
            signed.put(field.getKey(), Collections.singletonList(field.getValue()));
            body.append(body.length() == 0 ? "" : "&").append(encode(field.getKey())).append('=').append(encode(field.getValue()));
        }
        try {
            HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setConnectTimeout(5000);
            connection.setReadTimeout(30000);
            connection.setRequestProperty("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8");
            connection.setRequestProperty("User-Agent", "TwilioProxy/1.1 (demo stand-in)");
            connection.setRequestProperty(TwilioSignature.HEADER, signature.sign(url, signed));
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            connection.setFixedLengthStreamingMode(bytes.length);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(bytes);
            }
            int status = connection.getResponseCode();
            InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            String answer = in == null ? "" : read(in);
            connection.disconnect();
            return new String[] {String.valueOf(status), answer};
        } catch (IOException e) {
            return new String[] {"-", e.toString()};
        }
    }

    private void json(HttpServletResponse response) throws IOException {
        response.setContentType("application/json; charset=UTF-8");
        StringBuilder json = new StringBuilder("[");
        for (Text text : texts) {
            json.append(json.length() == 1 ? "" : ",").append("{\"index\":").append(text.index)
                    .append(",\"sid\":").append(jsonString(text.sid))
                    .append(",\"to\":").append(jsonString(text.to))
                    .append(",\"body\":").append(jsonString(text.body))
                    .append(",\"segments\":").append(SegmentCounter.segments(text.body))
                    .append(",\"status\":").append(jsonString(text.status))
                    .append(",\"statusCallback\":").append(jsonString(text.statusCallback))
                    .append(",\"callbackAnswer\":").append(jsonString(text.callbackAnswer)).append('}');
        }
        response.getOutputStream().write(json.append(']').toString().getBytes(StandardCharsets.UTF_8));
    }

    private void page(HttpServletRequest request, HttpServletResponse response) throws IOException {
        PrintWriter page = start(response, "SMS outbox (" + texts.size() + ")");
        // Refreshes every 10 seconds like the mailbox, but never under a visitor typing a reply (a meta refresh
        // emptied the form while it was being filled in).
        page.println(RELOAD_UNLESS_TYPING);
        page.println("<p class=\"note\">Every text the demo store sends lands here: this page plays the SMS provider "
                + "(Twilio's API at /sms-provider), answers each text with a signed \"delivered\" callback, and sends your "
                + "replies to the store as signed inbound texts. Newest first; refreshes every 10 seconds while you "
                + "are not typing a reply. "
                + escape(INVALID_NUMBER) + " is refused as an invalid number.</p>");
        List<String> numbers = new ArrayList<String>();
        for (Text text : texts) {
            if (!numbers.contains(text.to)) {
                numbers.add(text.to);
            }
        }
        page.println(replyForm(request, numbers, numbers.isEmpty() ? "" : numbers.get(numbers.size() - 1), "STOP"));
        if (texts.isEmpty()) {
            page.println("<p class=\"empty\">No text yet. A campaign step on the SMS channel texts carts captured with a "
                    + "phone number and SMS consent.</p>");
        } else {
            page.println("<table class=\"texts\"><thead><tr><th>Received</th><th>To</th><th>Text</th><th>Segments</th>"
                    + "<th>Status</th></tr></thead><tbody>");
            for (int i = texts.size() - 1; i >= 0; i--) {
                Text text = texts.get(i);
                page.println("<tr><td>" + escape(text.received) + "</td><td>" + escape(text.to) + "</td><td class=\"body\">"
                        + linked(text.body) + "</td><td>" + SegmentCounter.segments(text.body) + " ("
                        + SegmentCounter.encoding(text.body) + ")</td><td>" + escape(text.status)
                        + (text.callbackAnswer.isEmpty() ? "" : " (store answered " + escape(text.callbackAnswer) + ")")
                        + "</td></tr>");
            }
            page.println("</tbody></table>");
        }
        end(page);
    }

    /** The form that sends the store a text from a shopper's number, filled in with {@code from} and {@code body}. */
    private static String replyForm(HttpServletRequest request, List<String> numbers, String from, String body) {
        StringBuilder form = new StringBuilder();
        form.append("<form method=\"post\" action=\"").append(escape(request.getContextPath() + "/reply")).append("\" class=\"reply\">")
                .append("<label>Reply from <input name=\"from\" list=\"numbers\" required placeholder=\"+12015550123\" value=\"")
                .append(escape(from)).append("\"></label> ")
                .append("<label>text <input name=\"body\" value=\"").append(escape(body)).append("\" size=\"12\"></label> ")
                .append("<button type=\"submit\">Send to the store</button> <small>(STOP, START, HELP...)</small>")
                .append("<datalist id=\"numbers\">");
        for (String number : numbers) {
            form.append("<option value=\"").append(escape(number)).append("\">");
        }
        return form.append("</datalist></form>").toString();
    }

    /** The text escaped, its links clickable. */
    private static String linked(String body) {
        Matcher link = Pattern.compile("https?://[^\\s\"'<>()]+").matcher(body);
        StringBuilder out = new StringBuilder();
        int from = 0;
        while (link.find()) {
            out.append(escape(body.substring(from, link.start())))
                    .append("<a class=\"sms-link\" href=\"").append(escape(link.group())).append("\">").append(escape(link.group())).append("</a>");
            from = link.end();
        }
        return out.append(escape(body.substring(from))).toString();
    }

    private static PrintWriter start(HttpServletResponse response, String title) throws IOException {
        response.setContentType("text/html; charset=UTF-8");
        PrintWriter page = response.getWriter();
        page.println("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"UTF-8\"><title>" + escape(title)
                + " - Demo SMS outbox</title><style>"
                + "body{font-family:system-ui,sans-serif;margin:0;color:#222}header{background:#2d3e50;color:#fff;padding:12px 24px}"
                + "header a{color:#fff;margin-right:16px}main{padding:16px 24px;max-width:1100px}"
                + "table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:6px;text-align:left;vertical-align:top}"
                + "td.body{white-space:pre-wrap;max-width:480px}form.reply{margin:16px 0;padding:12px;background:#f6f6f6}"
                + ".note{color:#555}.error{color:#b42318}</style></head><body><header><strong>Demo SMS outbox</strong> &nbsp; "
                + "<a href=\"/\">Store</a><a href=\"/admin/\">Admin</a><a href=\"/mailbox/\">Mailbox</a>"
                + "<a href=\"/webhooks/\">Webhooks</a><a href=\"/sms-outbox/\">SMS outbox</a></header><main>");
        page.println("<h1>" + escape(title) + "</h1>");
        return page;
    }

    private static void end(PrintWriter page) {
        page.println("</main></body></html>");
    }

    private static void answer(HttpServletResponse response, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    private static String read(InputStream in) throws IOException {
        try (InputStream stream = in) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            for (int n = stream.read(buffer); n >= 0; n = stream.read(buffer)) {
                bytes.write(buffer, 0, n);
            }
            return new String(bytes.toByteArray(), StandardCharsets.UTF_8);
        }
    }

    private static String now() {
        SimpleDateFormat format = new SimpleDateFormat("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT);
        format.setTimeZone(TimeZone.getTimeZone("UTC"));
        return format.format(new Date());
    }

    private static String encode(String value) {
        try {
            return URLEncoder.encode(value == null ? "" : value, "UTF-8");
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        callbacks.shutdownNow();
    }
}
