package io.github.cartrecovery.demo.reliability;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.github.cartrecovery.webhook.WebhookSigner;

/**
 * The suite's webhook receiver, run as its own JVM on loopback ({@code WebhookSink <port> <log> <secret>}). It does what
 * docs/webhooks.md asks of a receiver: verifies the signature (5-minute tolerance; 401 when it fails), stores the
 * {@code Idempotency-Key} before it answers, and answers a repeated key 200 without processing it again. The keys it
 * processed are read back from its log when it starts, as a real receiver keeps them in a table, so a repeat after a
 * restart is folded too.
 * <p>
 * Two log lines per request, each flushed at once: {@code R} on receipt (request number, epoch ms, key, the document's messageId,
 * signature valid, repeat, the delay it will answer after) before anything is answered, and {@code A} once the answer
 * was written (request number, epoch ms, status, written or not). A request whose process stopped in between has no {@code A}
 * line. Modes ({@code POST /_control?mode=healthy|slow&delayMs=N}): {@code slow} answers after the delay (longer than
 * the nodes' read timeout: they time out and retry, the key folds the repeat). An outage is the process stopped
 * (connection refused) and started again. Prints "WEBHOOK SINK READY" once listening.
 */
public final class WebhookSink {

    private static final Pattern MESSAGE_ID = Pattern.compile("\"messageId\"\\s*:\\s*(\\d+)");

    private volatile String mode = "healthy";
    private volatile long delayMillis = 5000;
    private final Set<String> processed = ConcurrentHashMap.newKeySet();
    /** Names this process's requests in the log: R and A lines of one request carry the same one. */
    private final String life = ProcessHandle.current().pid() + "-";
    private final java.util.concurrent.atomic.AtomicLong requests = new java.util.concurrent.atomic.AtomicLong();
    private final BufferedWriter log;
    private final WebhookSigner signer;

    private WebhookSink(BufferedWriter log, WebhookSigner signer, Set<String> processedBefore) {
        this.log = log;
        this.signer = signer;
        this.processed.addAll(processedBefore);
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path logFile = Paths.get(args[1]);
        Set<String> before = ConcurrentHashMap.newKeySet();
        for (Request request : read(logFile)) {
            if (request.signatureValid() && !request.repeat()) {
                before.add(request.key());
            }
        }
        BufferedWriter out = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        WebhookSink sink = new WebhookSink(out, new WebhookSigner(args[2]), before);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 100);
        server.createContext("/", sink::handle);
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
        System.out.println("WEBHOOK SINK READY " + port + " (" + before.size() + " keys processed before)");
        Thread.currentThread().join();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String key;
        String request = life + requests.incrementAndGet();
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (exchange.getRequestURI().getRawPath().equals("/_control")) {
                Map<String, String> query = SmsProviderSink.form(exchange.getRequestURI().getRawQuery() == null ? ""
                        : exchange.getRequestURI().getRawQuery());
                mode = query.getOrDefault("mode", "healthy");
                delayMillis = Long.parseLong(query.getOrDefault("delayMs", String.valueOf(delayMillis)));
                System.out.println("mode " + mode + " (delay " + delayMillis + " ms)");
                answer(exchange, 204);
                return;
            }
            String header = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            key = header == null || header.isBlank() ? "-" : header.trim();
            boolean valid = signer.verify(exchange.getRequestHeaders().getFirst(WebhookSigner.HEADER), body,
                    System.currentTimeMillis() / 1000, WebhookSigner.DEFAULT_TOLERANCE_SECONDS);
            Matcher id = MESSAGE_ID.matcher(new String(body, StandardCharsets.UTF_8));
            String messageId = id.find() ? id.group(1) : "-";
            boolean repeat = valid && !processed.add(key); // stored before answering: a receiver's "insert if absent"
            long delay = "slow".equals(mode) ? delayMillis : 0;
            write("R\t" + request + "\t" + System.currentTimeMillis() + "\t" + key + "\t" + messageId + "\t" + valid + "\t" + repeat + "\t" + delay);
            if (delay > 0) {
                Thread.sleep(delay);
            }
            int status = valid ? 200 : 401;
            boolean written = false;
            try {
                answer(exchange, status);
                written = true;
            } finally {
                write("A\t" + request + "\t" + System.currentTimeMillis() + "\t" + status + "\t" + written);
            }
        } catch (IOException e) {
            // the client went away (a timeout): nothing more to answer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    private void write(String line) throws IOException {
        synchronized (log) {
            log.write(line + "\n");
            log.flush();
        }
    }

    private static void answer(HttpExchange exchange, int status) throws IOException {
        exchange.sendResponseHeaders(status, -1);
        try (OutputStream out = exchange.getResponseBody()) {
            out.flush();
        }
    }

    // ------------------------------------------------------------------ reading the log (the suite's side)

    /**
     * One request the receiver got: when, its key and messageId, whether the signature held, whether its key was already
     * processed (a repeat, folded), the delay it answered after, and whether the answer was written (false: it was not,
     * the process stopped first or the client had gone) and with which status (0 when unknown).
     */
    record Request(long atMillis, String key, long messageId, boolean signatureValid, boolean repeat, long delayMillis,
                   int status, boolean answered) {
        /** Answered 2xx without delay: the node had every reason to record it SENT. */
        boolean acceptedPromptly() {
            return answered && status >= 200 && status < 300 && delayMillis == 0;
        }
    }

    static List<Request> read(Path log) {
        List<String> lines;
        try {
            lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String[]> received = new ArrayList<>();
        Map<String, String[]> answers = new java.util.HashMap<>();
        for (String line : lines) {
            String[] fields = line.split("\t");
            if (fields[0].equals("R") && fields.length >= 8) {
                received.add(fields);
            } else if (fields[0].equals("A") && fields.length >= 5) {
                answers.put(fields[1], fields);
            }
        }
        List<Request> requests = new ArrayList<>();
        for (String[] r : received) {
            String[] answer = answers.get(r[1]);
            requests.add(new Request(Long.parseLong(r[2]), r[3], r[4].equals("-") ? -1 : Long.parseLong(r[4]),
                    Boolean.parseBoolean(r[5]), Boolean.parseBoolean(r[6]), Long.parseLong(r[7]),
                    answer == null ? 0 : Integer.parseInt(answer[3]), answer != null && Boolean.parseBoolean(answer[4])));
        }
        return requests;
    }

    /** Switches a running receiver's mode (healthy, or slow answering after {@code delayMillis}). */
    static void switchMode(int port, String mode, long delayMillis) {
        Http.post(URI.create("http://127.0.0.1:" + port + "/_control?mode=" + mode + "&delayMs=" + delayMillis), Map.of(),
                "", "text/plain");
    }
}
