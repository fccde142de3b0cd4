package io.github.cartrecovery.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpRetryException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;

import javax.net.ssl.SSLException;

import io.github.cartrecovery.channel.SendOutcome;
import io.github.cartrecovery.personaldata.PersonalDataMask;

/**
 * POSTs one webhook and says what became of it. Never follows a redirect (a 3xx is the receiver's answer, and the
 * document never reaches another host). Outcomes:
 * <ul>
 * <li>2xx: accepted;</li>
 * <li>408, 429 and 5xx: retried, after at least the receiver's Retry-After (seconds or an HTTP date, at most
 *     {@link #MAX_RETRY_AFTER});</li>
 * <li>no connection (refused, connect timeout, unknown host, a refused TLS certificate): retried, nothing was
 *     sent;</li>
 * <li>no answer within the read timeout, or the connection broke after the request went out: retried too. The
 *     receiver may have processed it, but it drops the repeat by its Idempotency-Key. (Email and SMS never retry an
 *     unknown outcome: a repeated email or SMS cannot be taken back.)</li>
 * <li>any other status (4xx, 3xx): rejected, never retried.</li>
 * </ul>
 * Uses the JDK's HttpURLConnection: it keeps connections alive per host between requests (its own pool), needs no
 * library beside Broadleaf's (whose Solr client pins Apache HttpClient 4.3), and, in fixed-length streaming mode,
 * never re-sends a POST on its own. Thread-safe: every post has its own connection object.
 */
public class WebhookPoster {

    public static final String USER_AGENT = "CartRecovery-Webhook/1";
    /** The longest Retry-After honoured; a receiver asking for more is tried again after this. */
    public static final Duration MAX_RETRY_AFTER = Duration.ofHours(12);

    /** Response bytes read (for the outcome's detail, and to keep the connection reusable); more: disconnect. */
    private static final int MAX_RESPONSE_BYTES = 16 * 1024;
    private static final int MAX_DETAIL_BODY = 200;

    private final int connectTimeoutMs;
    private final int readTimeoutMs;
    private final Clock clock;

    /**
     * @param connectTimeoutMs {@code cartrecovery.webhook.connect-timeout-ms}
     * @param readTimeoutMs {@code cartrecovery.webhook.read-timeout-ms}: how long to wait for the answer
     */
    public WebhookPoster(int connectTimeoutMs, int readTimeoutMs, Clock clock) {
        if (connectTimeoutMs < 1 || readTimeoutMs < 1) {
            throw new IllegalStateException("cartrecovery.webhook.connect-timeout-ms and read-timeout-ms must be at least 1"
                    + " (were " + connectTimeoutMs + " and " + readTimeoutMs + ")");
        }
        this.connectTimeoutMs = connectTimeoutMs;
        this.readTimeoutMs = readTimeoutMs;
        this.clock = clock;
    }

    /** POSTs {@code body} with these headers; never throws for the request's own fate. */
    public SendOutcome post(URL url, Map<String, String> headers, byte[] body) {
        String host = url.getHost();
        HttpURLConnection connection;
        try {
            connection = (HttpURLConnection) url.openConnection();
            connection.setRequestMethod("POST");
        } catch (IOException e) {
            return SendOutcome.retry("webhook: cannot open a connection to " + host + ": " + describe(e), null);
        }
        connection.setInstanceFollowRedirects(false);
        connection.setUseCaches(false);
        connection.setDoOutput(true);
        connection.setConnectTimeout(connectTimeoutMs);
        connection.setReadTimeout(readTimeoutMs);
        connection.setFixedLengthStreamingMode(body.length);
        for (Map.Entry<String, String> header : headers.entrySet()) {
            connection.setRequestProperty(header.getKey(), header.getValue());
        }
        try {
            connection.connect();
        } catch (SocketTimeoutException e) {
            connection.disconnect();
            return SendOutcome.retry("webhook: no connection to " + host + " within " + connectTimeoutMs + " ms", null);
        } catch (SSLException e) {
            connection.disconnect();
            return SendOutcome.retry("webhook: TLS with " + host + " refused: " + describe(e), null);
        } catch (IOException e) {
            connection.disconnect();
            return SendOutcome.retry("webhook: cannot connect to " + host + ": " + describe(e), null);
        }
        int status;
        try {
            OutputStream out = connection.getOutputStream();
            out.write(body);
            out.close();
            status = connection.getResponseCode();
        } catch (HttpRetryException e) {
            status = e.responseCode(); // an authentication challenge in streaming mode: the status is all we need
        } catch (SocketTimeoutException e) {
            connection.disconnect();
            return SendOutcome.retry("webhook: no answer from " + host + " within " + readTimeoutMs
                    + " ms (retried: the receiver drops a repeat by its Idempotency-Key)", null);
        } catch (IOException e) {
            connection.disconnect();
            return SendOutcome.retry("webhook: connection to " + host + " failed: " + describe(e)
                    + " (retried: the receiver drops a repeat by its Idempotency-Key)", null);
        }
        if (status < 100) {
            connection.disconnect();
            return SendOutcome.retry("webhook: no valid HTTP answer from " + host, null);
        }
        String retryAfter = connection.getHeaderField("Retry-After");
        String location = connection.getHeaderField("Location");
        String responseBody = readResponse(connection, status);
        return outcome(status, host, retryAfter, location, responseBody, Instant.now(clock));
    }

    /** What an HTTP answer means for the message. */
    static SendOutcome outcome(int status, String host, String retryAfter, String location, String responseBody,
                               Instant now) {
        if (status >= 200 && status < 300) {
            return SendOutcome.accepted(null);
        }
        String answered = "webhook: " + host + " answered HTTP " + status + excerpt(responseBody);
        if (status == 408 || status == 429 || (status >= 500 && status < 600)) {
            return SendOutcome.retry(answered, retryAfter(retryAfter, now));
        }
        if (status >= 300 && status < 400) {
            return SendOutcome.rejected("webhook: " + host + " answered HTTP " + status + " (a redirect"
                    + redirectTarget(location) + "): redirects are never followed; set cartrecovery.webhook.url to "
                    + "the final URL", false);
        }
        return SendOutcome.rejected(answered, false);
    }

    /** A Retry-After value (delay in seconds, or an HTTP date) as a duration from now; null when absent or past. */
    static Duration retryAfter(String value, Instant now) {
        if (value == null || value.trim().isEmpty()) {
            return null;
        }
        String text = value.trim();
        Duration wait;
        if (text.matches("\\d{1,18}")) {
            wait = Duration.ofSeconds(Long.parseLong(text));
        } else {
            try {
                wait = Duration.between(now, ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        if (wait.isNegative() || wait.isZero()) {
            return null;
        }
        return wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait;
    }

    /** Reads (part of) the answer, so the connection can be reused; disconnects when that is not possible. */
    private static String readResponse(HttpURLConnection connection, int status) {
        byte[] buffer = new byte[MAX_RESPONSE_BYTES];
        int length = 0;
        boolean whole = false;
        InputStream in = null;
        try {
            in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            if (in == null) {
                return "";
            }
            int read = 0;
            while (length < buffer.length && (read = in.read(buffer, length, buffer.length - length)) >= 0) {
                length += read;
            }
            whole = read < 0 || in.read() < 0;
        } catch (IOException e) {
            whole = false;
        } finally {
            if (in != null) {
                try {
                    in.close();
                } catch (IOException e) {
                    whole = false;
                }
            }
            if (!whole) {
                connection.disconnect();
            }
        }
        return new String(buffer, 0, length, StandardCharsets.UTF_8);
    }

    /** The first words of a response body, on one line, with any address in it masked. */
    private static String excerpt(String body) {
        if (body == null || body.trim().isEmpty()) {
            return "";
        }
        String line = body.trim().replaceAll("[\\p{Cntrl}\\s]+", " ");
        line = line.length() > MAX_DETAIL_BODY ? line.substring(0, MAX_DETAIL_BODY) + "..." : line;
        return ": " + PersonalDataMask.text(line);
    }

    private static String redirectTarget(String location) {
        if (location == null) {
            return "";
        }
        try {
            String host = URI.create(location.trim()).getHost();
            return host == null ? " within the same host" : " to " + host.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : " " + PersonalDataMask.text(message));
    }
}
