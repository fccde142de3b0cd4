package io.github.cartrecovery.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local stand-in for Twilio's Messages API (JDK HttpServer on 127.0.0.1, a free port): records every request and
 * answers with the next scripted reply, or 201 with a fresh SID when none is scripted. Replies: {@link #accept()},
 * {@link #reply(int, String, String...)} (status, JSON body, header name/value pairs), and {@link #slow(Duration, Reply)}
 * (answers after a delay: longer than the client's read timeout, it is a timeout). Used by plugin-core's and
 * plugin-site's tests; the demo has its own servlet (demo main code cannot use test classes).
 */
public final class FakeTwilio implements AutoCloseable {

    /** One recorded request. */
    public static final class Request {
        public final String method;
        public final String path;
        public final String authorization;
        public final String contentType;
        public final Map<String, String> form;

        Request(String method, String path, String authorization, String contentType, Map<String, String> form) {
            this.method = method;
            this.path = path;
            this.authorization = authorization;
            this.contentType = contentType;
            this.form = form;
        }
    }

    /** One scripted answer. */
    public static final class Reply {
        final int status;
        final String body;
        final String[] headers;
        final Duration delay;

        Reply(int status, String body, String[] headers, Duration delay) {
            this.status = status;
            this.body = body;
            this.headers = headers;
            this.delay = delay;
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "fake-twilio");
        thread.setDaemon(true);
        return thread;
    });
    private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger sids = new AtomicInteger();

    public FakeTwilio() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake provider", e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** 201 with a new SID (SM + 32 hex digits). */
    public static Reply accept() {
        return new Reply(201, null, new String[0], Duration.ZERO);
    }

    public static Reply reply(int status, String json, String... headers) {
        return new Reply(status, json, headers, Duration.ZERO);
    }

    /** Twilio's error body: {"code": ..., "message": ..., "status": ...}. */
    public static Reply error(int status, int code, String message, String... headers) {
        return reply(status, "{\"code\": " + code + ", \"message\": \"" + message + "\", \"more_info\": "
                + "\"https://www.twilio.com/docs/errors/" + code + "\", \"status\": " + status + "}", headers);
    }

    public static Reply slow(Duration delay, Reply reply) {
        return new Reply(reply.status, reply.body, reply.headers, delay);
    }

    /** The next requests get these replies, in order. */
    public FakeTwilio then(Reply... replies) {
        Collections.addAll(script, replies);
        return this;
    }

    public List<Request> requests() {
        return new ArrayList<>(requests);
    }

    /** The SID the n-th accepted message got (1-based). */
    public static String sid(int n) {
        return String.format("SM%032x", n);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            byte[] body = readAll(exchange.getRequestBody());
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"), exchange.getRequestHeaders().getFirst("Content-Type"),
                    form(new String(body, StandardCharsets.UTF_8))));
            Reply reply = script.poll();
            if (reply == null) {
                reply = accept();
            }
            if (!reply.delay.isZero()) {
                Thread.sleep(reply.delay.toMillis());
            }
            String json = reply.body;
            if (reply.status == 201 && json == null) {
                json = "{\"sid\": \"" + sid(sids.incrementAndGet()) + "\", \"status\": \"queued\"}";
            }
            for (int i = 0; i + 1 < reply.headers.length; i += 2) {
                exchange.getResponseHeaders().add(reply.headers[i], reply.headers[i + 1]);
            }
            byte[] out = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status, out.length == 0 ? -1 : out.length);
            try (OutputStream stream = exchange.getResponseBody()) {
                stream.write(out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client gave up (a timeout test): nothing to answer
        } finally {
            exchange.close();
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        in.transferTo(bytes);
        return bytes.toByteArray();
    }

    public static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        if (body.isEmpty()) {
            return form;
        }
        for (String pair : body.split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            form.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return form;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
