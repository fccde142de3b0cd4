package io.github.cartrecovery.demo.reliability;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The suite's SMS provider, run as its own JVM on loopback ({@code SmsProviderSink <port> <log> <account sid>
 * <auth token>}): Twilio's Messages resource ({@code POST /2010-04-01/Accounts/<sid>/Messages.json}, a form with
 * {@code To}, {@code From}, {@code Body}, {@code StatusCallback}; HTTP Basic authentication with the account SID and
 * token, 401 otherwise) as the plugin's TwilioClient calls it. It answers according to its mode:
 * <ul>
 * <li>{@code healthy}: 201 with a fresh SID; the text is accepted;</li>
 * <li>{@code 5xx}: 500 and 503 in turn, with Twilio's error body (nothing accepted);</li>
 * <li>{@code 429}: 429 with {@code Retry-After: <seconds>} (nothing accepted).</li>
 * </ul>
 * Every answer is appended to the log and flushed before it is sent (epoch ms, status, planned message id from the
 * StatusCallback's {@code m=}, To, SID or "-"), so the log is the provider's record of what it took, and survives the
 * process being stopped and started again on the same port (an outage: connection refused in between). The mode is
 * switched with {@code POST /_control?mode=healthy|5xx|429&retryAfter=<s>}; a start begins healthy. Prints
 * "SMS PROVIDER READY" once listening.
 */
public final class SmsProviderSink {

    private static final Pattern MESSAGES = Pattern.compile("/2010-04-01/Accounts/([^/]+)/Messages\\.json");
    private static final Pattern PLANNED_ID = Pattern.compile("[?&]m=(\\d+)");

    private volatile String mode = "healthy";
    private volatile int retryAfterSeconds = 10;
    private final AtomicLong answers = new AtomicLong();
    private final BufferedWriter log;
    private final String accountSid;
    private final String authorization;

    private SmsProviderSink(BufferedWriter log, String accountSid, String authToken) {
        this.log = log;
        this.accountSid = accountSid;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((accountSid + ":" + authToken)
                .getBytes(StandardCharsets.UTF_8));
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        BufferedWriter out = Files.newBufferedWriter(Paths.get(args[1]), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        SmsProviderSink provider = new SmsProviderSink(out, args[2], args[3]);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 100);
        server.createContext("/", provider::handle);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(0);
            synchronized (out) {
                try {
                    out.close();
                } catch (IOException e) {
                    // nothing to do
                }
            }
        }));
        System.out.println("SMS PROVIDER READY " + port);
        Thread.currentThread().join();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getRawPath();
            Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            if (path.equals("/_control")) {
                Map<String, String> query = form(exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery());
                mode = query.getOrDefault("mode", "healthy");
                retryAfterSeconds = Integer.parseInt(query.getOrDefault("retryAfter", String.valueOf(retryAfterSeconds)));
                System.out.println("mode " + mode + " (Retry-After " + retryAfterSeconds + " s)");
                answer(exchange, 204, null);
                return;
            }
            Matcher messages = MESSAGES.matcher(path);
            if (!"POST".equals(exchange.getRequestMethod()) || !messages.matches()) {
                answer(exchange, 404, error(20404, "The requested resource was not found"));
                return;
            }
            if (!messages.group(1).equals(accountSid) || !authorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                answer(exchange, 401, error(20003, "Authenticate"));
                return;
            }
            Matcher planned = PLANNED_ID.matcher(form.getOrDefault("StatusCallback", ""));
            String plannedId = planned.find() ? planned.group(1) : "-";
            String to = form.getOrDefault("To", "-");
            long n = answers.incrementAndGet();
            String current = mode;
            if (current.equals("5xx")) {
                int status = n % 2 == 0 ? 500 : 503;
                record(status, plannedId, to, "-");
                answer(exchange, status, error(20500, "Internal Server Error"));
            } else if (current.equals("429")) {
                record(429, plannedId, to, "-");
                exchange.getResponseHeaders().add("Retry-After", String.valueOf(retryAfterSeconds));
                answer(exchange, 429, error(20429, "Too Many Requests"));
            } else {
                String sid = String.format("SM%032x", System.nanoTime() ^ (n << 40));
                record(201, plannedId, to, sid);
                answer(exchange, 201, "{\"sid\": \"" + sid + "\", \"status\": \"queued\", \"to\": \"" + to + "\"}");
            }
        } catch (IOException e) {
            // the client went away: nothing to answer
        } finally {
            exchange.close();
        }
    }

    private void record(int status, String plannedId, String to, String sid) throws IOException {
        String line = System.currentTimeMillis() + "\t" + status + "\t" + plannedId + "\t" + to + "\t" + sid + "\n";
        synchronized (log) {
            log.write(line);
            log.flush();
        }
    }

    private static String error(int code, String message) {
        return "{\"code\": " + code + ", \"message\": \"" + message + "\", \"more_info\": \"https://www.twilio.com/docs/errors/"
                + code + "\", \"status\": " + (code == 20429 ? 429 : code == 20003 ? 401 : code == 20404 ? 404 : 500) + "}";
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            form.put(URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8),
                    URLDecoder.decode(equals < 0 ? "" : pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return form;
    }

    // ------------------------------------------------------------------ reading the log (the suite's side)

    /** One answer the provider gave: {@code accepted()} when it took the text (2xx). */
    record Answer(long atMillis, int status, long plannedId, String to, String sid) {
        boolean accepted() {
            return status >= 200 && status < 300;
        }
    }

    static List<Answer> read(Path log) {
        List<Answer> answers = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String line : lines) {
            String[] fields = line.split("\t");
            if (fields.length < 5) {
                continue; // a line cut short by a stopped provider
            }
            answers.add(new Answer(Long.parseLong(fields[0]), Integer.parseInt(fields[1]),
                    fields[2].equals("-") ? -1 : Long.parseLong(fields[2]), fields[3], fields[4]));
        }
        return answers;
    }

    /** Switches a running provider's mode (healthy, 5xx, 429 with this Retry-After). */
    static void switchMode(int port, String mode, int retryAfterSeconds) {
        Http.post(URI.create("http://127.0.0.1:" + port + "/_control?mode=" + mode + "&retryAfter=" + retryAfterSeconds),
                Map.of(), "", "text/plain");
    }
}
