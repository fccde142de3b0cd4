package io.github.cartrecovery.sms;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.http.Header;
import org.apache.http.HttpClientConnection;
import org.apache.http.HttpEntity;
import org.apache.http.HttpException;
import org.apache.http.HttpRequest;
import org.apache.http.HttpResponse;
import org.apache.http.NameValuePair;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.entity.UrlEncodedFormEntity;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.client.protocol.HttpClientContext;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;
import org.apache.http.message.BasicNameValuePair;
import org.apache.http.protocol.HttpContext;
import org.apache.http.protocol.HttpRequestExecutor;
import org.codehaus.jackson.JsonNode;
import org.codehaus.jackson.map.ObjectMapper;

import io.github.cartrecovery.personaldata.PersonalDataMask;
import io.github.cartrecovery.channel.SendOutcome;

/**
 * Sends one text through Twilio's Programmable Messaging REST API: a form POST to
 * {@code <base-url>/2010-04-01/Accounts/<AccountSid>/Messages.json} with {@code To}, {@code From} (or
 * {@code MessagingServiceSid}), {@code Body} and {@code StatusCallback}, HTTP Basic authentication with the account
 * SID and auth token (sent with the request, never after a challenge). The base URL is configurable, so any
 * Twilio-compatible provider, or a local stand-in in tests and the demo, can be used.
 * <p>
 * What the provider answered becomes a {@link SendOutcome}, and nothing is ever sent twice:
 * <ul>
 * <li>2xx: ACCEPTED with the message's SID;</li>
 * <li>400/404 with an error code about the number (21211 invalid, 21614 not a mobile number, 21610 the number
 * texted STOP to the provider, ...): REJECTED, and the number should be suppressed ({@link Result#getErrorCode()});</li>
 * <li>401: RETRY (the credentials are wrong: nothing was sent, and the message can still go once they are fixed);</li>
 * <li>any other 4xx: REJECTED;</li>
 * <li>429 and 5xx: RETRY, no sooner than {@code Retry-After} when the provider says;</li>
 * <li>no connection (refused, unknown host, connect or TLS handshake timeout): RETRY, the request was never written;</li>
 * <li>no answer once the request was being written (read timeout, connection reset): UNKNOWN, the provider may have
 * taken it, so it is never retried.</li>
 * </ul>
 * Uses Apache HttpClient 4.5 with automatic retries and redirects switched off; which side of "the request was
 * written" a failure fell on is told by the request executor itself. Thread-safe; {@link #close()} releases the
 * connections, and the next send opens new ones.
 */
public class TwilioClient implements Closeable {

    /** Error codes about the recipient's number itself: the number is suppressed for SMS. */
    static final Set<Integer> NUMBER_ERRORS = Collections.unmodifiableSet(new HashSet<Integer>(Arrays.asList(
            21211, 21214, 21217, 21401, 21407, 21421, 21610, 21612, 21614)));
    /** The number texted STOP to the provider: the provider refuses to text it. */
    static final int UNSUBSCRIBED_RECIPIENT = 21610;

    private static final String WRITING = "cartrecovery.sms.request-written";
    private static final int MAX_BODY_BYTES = 65536;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final boolean enabled;
    private final String messagesUrl;
    private final String authorization;
    private final String from;
    private final RequestConfig requestConfig;
    private final Clock clock;
    private CloseableHttpClient http;

    /**
     * @param account the account; when SMS is off the client exists but sends nothing ({@link #send} answers RETRY)
     * @throws IllegalStateException timeouts that cannot work, naming the property
     */
    public TwilioClient(TwilioAccount account, int connectTimeoutMs, int readTimeoutMs, Clock clock) {
        if (connectTimeoutMs < 1 || readTimeoutMs < 1) {
            throw new IllegalStateException("cartrecovery.sms.provider.connect-timeout-ms and read-timeout-ms must be positive");
        }
        this.enabled = account.isEnabled();
        this.messagesUrl = enabled ? account.getBaseUrl() + "/2010-04-01/Accounts/" + encode(account.getAccountSid())
                + "/Messages.json" : null;
        this.authorization = enabled ? "Basic " + Base64.getEncoder().encodeToString((account.getAccountSid() + ":"
                + account.getAuthToken()).getBytes(StandardCharsets.UTF_8)) : null;
        this.from = enabled ? account.getFrom() : null;
        this.requestConfig = RequestConfig.custom().setConnectTimeout(connectTimeoutMs)
                .setConnectionRequestTimeout(connectTimeoutMs).setSocketTimeout(readTimeoutMs)
                .setRedirectsEnabled(false).build();
        this.clock = clock;
    }

    /** What the provider said about one text. */
    public static final class Result {
        private final SendOutcome outcome;
        private final Integer errorCode;

        Result(SendOutcome outcome, Integer errorCode) {
            this.outcome = outcome;
            this.errorCode = errorCode;
        }

        public SendOutcome getOutcome() { return outcome; }
        /** The provider's error code (21211...), or null. */
        public Integer getErrorCode() { return errorCode; }

        /** True when the provider refused the number itself (it should never be texted again). */
        public boolean refusedTheNumber() {
            return outcome.isSuppressRecipient();
        }
    }

    /** Hands one text to the provider. Never throws: every failure is an outcome. */
    public Result send(String to, String body, String statusCallback) {
        if (!enabled) {
            return new Result(SendOutcome.retry("SMS is not enabled (cartrecovery.sms.enabled=false)", null), null);
        }
        List<NameValuePair> form = new ArrayList<NameValuePair>();
        form.add(new BasicNameValuePair("To", to));
        form.add(new BasicNameValuePair(from.startsWith("MG") ? "MessagingServiceSid" : "From", from));
        form.add(new BasicNameValuePair("Body", body));
        if (statusCallback != null) {
            form.add(new BasicNameValuePair("StatusCallback", statusCallback));
        }
        HttpPost post = new HttpPost(messagesUrl);
        post.setConfig(requestConfig);
        post.setHeader("Authorization", authorization);
        post.setHeader("Accept", "application/json");
        post.setEntity(new UrlEncodedFormEntity(form, StandardCharsets.UTF_8));
        HttpClientContext context = HttpClientContext.create();
        try (CloseableHttpResponse response = client().execute(post, context)) {
            return interpret(response.getStatusLine().getStatusCode(), read(response.getEntity()),
                    response.getFirstHeader("Retry-After"));
        } catch (IOException e) {
            String what = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + PersonalDataMask.text(e.getMessage()));
            if (context.getAttribute(WRITING) == null) {
                return new Result(SendOutcome.retry("could not reach the SMS provider (" + what + "); nothing was sent", null), null);
            }
            return new Result(SendOutcome.unknown("no answer from the SMS provider after the text was sent (" + what
                    + "); it may have been delivered"), null);
        } catch (RuntimeException e) {
            // a URL or configuration the client refuses before writing anything
            return new Result(SendOutcome.retry("the SMS request could not be made: " + e, null), null);
        }
    }

    Result interpret(int status, String body, Header retryAfter) {
        JsonNode json = parse(body);
        Integer code = json != null && json.get("code") != null && json.get("code").isNumber() ? json.get("code").getIntValue() : null;
        String message = json != null && json.get("message") != null ? json.get("message").getTextValue() : null;
        String detail = "HTTP " + status + (code == null ? "" : ", error " + code)
                + (message == null ? "" : ": " + PersonalDataMask.text(message));
        if (status >= 200 && status < 300) {
            String sid = json != null && json.get("sid") != null ? json.get("sid").getTextValue() : null;
            return new Result(SendOutcome.accepted(sid == null || sid.length() > 64 ? null : sid), null);
        }
        if (status == 429 || status >= 500) {
            return new Result(SendOutcome.retry(detail, retryAfter(retryAfter)), code);
        }
        if (status == 401) {
            return new Result(SendOutcome.retry(detail + " (check cartrecovery.sms.provider.account-sid and auth-token)", null), code);
        }
        boolean numberError = (status == 400 || status == 404) && code != null && NUMBER_ERRORS.contains(code);
        return new Result(SendOutcome.rejected(detail, numberError), code);
    }

    /** Seconds or an HTTP date; null when absent or unreadable. */
    Duration retryAfter(Header header) {
        if (header == null || header.getValue() == null) {
            return null;
        }
        String value = header.getValue().trim();
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? null : Duration.ofSeconds(Math.min(seconds, 86400));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration wait = Duration.between(clock.instant(), at);
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isEmpty()) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (IOException | RuntimeException notJson) {
            return null;
        }
    }

    private static String read(HttpEntity entity) throws IOException {
        if (entity == null) {
            return null;
        }
        try (InputStream in = entity.getContent()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            for (int n = in.read(buffer); n >= 0 && bytes.size() < MAX_BODY_BYTES; n = in.read(buffer)) {
                bytes.write(buffer, 0, n);
            }
            return new String(bytes.toByteArray(), StandardCharsets.UTF_8);
        }
    }

    private synchronized CloseableHttpClient client() {
        if (http == null) {
            PoolingHttpClientConnectionManager connections = new PoolingHttpClientConnectionManager();
            connections.setMaxTotal(8);
            connections.setDefaultMaxPerRoute(8);
            // a pooled connection idle for a second is checked before use: a stale one would fail after the request
            // was written and turn a clean retry into an UNKNOWN
            connections.setValidateAfterInactivity(1000);
            http = HttpClients.custom()
                    .setConnectionManager(connections)
                    .setDefaultRequestConfig(requestConfig)
                    .setRequestExecutor(new MarkingRequestExecutor())
                    .disableAutomaticRetries()
                    .disableRedirectHandling()
                    .disableCookieManagement()
                    .disableAuthCaching()
                    .setUserAgent("cart-recovery-sms")
                    .build();
        }
        return http;
    }

    /** Closes the connections; the next send opens new ones. */
    @Override
    public synchronized void close() {
        if (http != null) {
            try {
                http.close();
            } catch (IOException e) {
                // nothing left to release
            }
            http = null;
        }
    }

    static String encode(String value) {
        try {
            return URLEncoder.encode(value, "UTF-8");
        } catch (java.io.UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Marks the request context once the connection is open and the request is about to be written. */
    private static final class MarkingRequestExecutor extends HttpRequestExecutor {
        @Override
        protected HttpResponse doSendRequest(HttpRequest request, HttpClientConnection connection, HttpContext context)
                throws IOException, HttpException {
            context.setAttribute(WRITING, Boolean.TRUE);
            return super.doSendRequest(request, connection, context);
        }
    }
}
