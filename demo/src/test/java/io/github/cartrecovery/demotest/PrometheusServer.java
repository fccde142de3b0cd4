package io.github.cartrecovery.demotest;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.DoublePredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Prometheus server (Debian's {@code prometheus} package, installed with apt-get when {@code /usr/bin/prometheus}
 * is missing; CI runs as root) scraping one store's {@code /cart-recovery/metrics} every second, on a free loopback
 * port with its own configuration and data directory. {@link #query} asks its HTTP API ({@code /api/v1/query}) what it
 * scraped, as a dashboard or an alert rule would.
 */
final class PrometheusServer implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/prometheus");
    private static final Pattern SAMPLE = Pattern.compile("\"value\":\\[[^,]+,\"([^\"]+)\"\\]");

    private final Process process;
    private final String api;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PrometheusServer(Process process, int port) {
        this.process = process;
        this.api = "http://127.0.0.1:" + port;
    }

    /** Starts Prometheus scraping {@code 127.0.0.1:storePort/cart-recovery/metrics}; its files go to {@code home}. */
    static PrometheusServer scraping(int storePort, Path home) throws IOException, InterruptedException {
        installIfMissing();
        Files.createDirectories(home);
        Path config = home.resolve("prometheus.yml");
        Files.writeString(config, String.join("\n",
                "global:",
                "  scrape_interval: 1s",
                "  evaluation_interval: 1s",
                "scrape_configs:",
                "  - job_name: cart-recovery",
                "    metrics_path: /cart-recovery/metrics",
                "    static_configs:",
                "      - targets: ['127.0.0.1:" + storePort + "']",
                ""));
        int port = freePort();
        Process process = new ProcessBuilder(BINARY.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + home.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(home.resolve("prometheus.log").toFile()).start();
        PrometheusServer server = new PrometheusServer(process, port);
        server.awaitTargetUp(Duration.ofSeconds(60), home);
        return server;
    }

    /** The value of an instant query that yields one number (0 when it yields nothing, e.g. a series not there yet). */
    double query(String promql) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 503) {
            // Prometheus answers 503 until its storage has started (slow on a busy machine)
            throw new NotReady("Prometheus answered 503 to " + promql + ": " + response.body());
        }
        if (response.statusCode() != 200 || !response.body().contains("\"status\":\"success\"")) {
            throw new IllegalStateException("Prometheus answered " + response.statusCode() + " to " + promql + ": " + response.body());
        }
        Matcher sample = SAMPLE.matcher(response.body());
        return sample.find() ? Double.parseDouble(sample.group(1)) : 0;
    }

    /** Polls {@code promql} until its value passes {@code test} (scrapes run every second); returns the last value. */
    double await(String promql, DoublePredicate test, Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        double value = query(promql);
        while (!test.test(value) && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
            value = query(promql);
        }
        return value;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private void awaitTargetUp(Duration timeout, Path home) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus stopped: " + Files.readString(home.resolve("prometheus.log")));
            }
            try {
                if (query("up{job=\"cart-recovery\"}") == 1) {
                    return;
                }
            } catch (IOException notListeningOrNotReadyYet) {
                // starting
            }
            Thread.sleep(500);
        }
        close();
        throw new IllegalStateException("prometheus did not scrape the store within " + timeout + ": "
                + Files.readString(home.resolve("prometheus.log")));
    }

    private static synchronized void installIfMissing() throws IOException, InterruptedException {
        if (Files.isExecutable(BINARY)) {
            return;
        }
        run(List.of("apt-get", "update"));
        // RUNLEVEL=1: the package's own service is not started (the test runs its own server)
        run(List.of("apt-get", "install", "-y", "--no-install-recommends", "prometheus"));
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException("apt-get did not install " + BINARY);
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).inheritIO();
        builder.environment().putAll(Map.of("DEBIAN_FRONTEND", "noninteractive", "RUNLEVEL", "1"));
        int exit = builder.start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed with exit code " + exit
                    + " (the browser test needs root to install prometheus, or prometheus installed)");
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Prometheus is listening but not ready to answer queries yet (503 while its storage starts). */
    static final class NotReady extends IOException {
        NotReady(String message) {
            super(message);
        }
    }
}
