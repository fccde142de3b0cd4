package io.github.cartrecovery.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the exit-intent snippet adds to a page load, in headless Chromium against the demo store.
 * <p>
 * Starts the demo store (built by benchmarks/run into demo/target) in a JVM of its own on a free port, and Debian's
 * chromium (installed with apt-get when missing, as the browser stage does) driven over the DevTools protocol with the
 * JDK's WebSocket client (no driver). One shopper (a desktop User-Agent) puts a product in the cart; then the cart page
 * is loaded {@code RUNS} times with the snippet and {@code RUNS} times without it ({@code /cart?snippet=off}, the demo's
 * switch that leaves the tag out), interleaved (ABBA order), after {@code WARM_UP} loads of each. The browser cache is
 * off, so every load with the snippet fetches exit-intent.js again (after the load event, as the tag asks): the worst
 * case, a shopper's first page. Each load
 * reads the Navigation Timing entry (responseEnd, domContentLoadedEventEnd, loadEventEnd from navigation start) and the
 * script's Resource Timing duration. Goal: the median loadEventEnd with the snippet less than 18 ms above the median
 * without (the seed tracker's cost after optimisation).
 */
final class SnippetBenchmark implements Benchmarks.Benchmark {

    static final int RUNS = Integer.getInteger("cartrecovery.benchmark.snippet.runs", 60);
    static final int WARM_UP = 10;
    static final double GOAL_MS = 18.0;
    static final String USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36";
    private static final Path BROWSER = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final String TIMING = "(function () { if (window.__crOld) { return ''; }"
            + " var n = performance.getEntriesByType('navigation')[0]; if (!n || !n.loadEventEnd) { return ''; }"
            + " var s = performance.getEntriesByType('resource').filter(function (e) { return e.name.indexOf('exit-intent.js') >= 0; })[0];"
            + " var tag = document.querySelector('script[data-exit-intent]') ? 1 : 0;"
            + " return [n.responseEnd, n.domContentLoadedEventEnd, n.loadEventEnd, s ? s.duration : 0, tag].join(','); })()";

    @Override
    public void run() throws Exception {
        Path root = repositoryRoot();
        installChromiumIfMissing();
        Path work = Files.createTempDirectory("cartrecovery-snippet-benchmark");
        int port = freePort();
        String base = "http://localhost:" + port;
        Process demo = startDemo(root, port, work);
        Process chromium = null;
        try {
            chromium = startChromium(work);
            try (DevTools page = DevTools.connect(pageSocket(work))) {
                page.call("Page.enable", "{}");
                page.call("Network.enable", "{}");
                page.call("Network.setCacheDisabled", "{\"cacheDisabled\":true}");
                load(page, base + "/products/french-press");
                page.evaluate("document.getElementById('add-to-cart-button').click(), ''");
                await(page, "location.pathname === '/cart' && document.readyState === 'complete' ? 'yes' : ''");

                double[] with = load(page, base + "/cart");
                double[] without = load(page, base + "/cart?snippet=off");
                if (with[4] != 1 || without[4] != 0) {
                    throw new IllegalStateException("the cart page should carry the exit-intent tag with the snippet ("
                            + with[4] + ") and not without (" + without[4] + ")");
                }
                for (int i = 0; i < WARM_UP; i++) {
                    load(page, base + "/cart");
                    load(page, base + "/cart?snippet=off");
                }
                List<double[]> withRuns = new ArrayList<>();
                List<double[]> withoutRuns = new ArrayList<>();
                for (int i = 0; i < RUNS; i++) {
                    if (i % 2 == 0) {
                        withRuns.add(load(page, base + "/cart"));
                        withoutRuns.add(load(page, base + "/cart?snippet=off"));
                    } else {
                        withoutRuns.add(load(page, base + "/cart?snippet=off"));
                        withRuns.add(load(page, base + "/cart"));
                    }
                }
                report(withRuns, withoutRuns);
            }
        } finally {
            stop(chromium);
            stop(demo);
            try (java.util.stream.Stream<Path> files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static void report(List<double[]> with, List<double[]> without) {
        System.out.println();
        System.out.println("Exit-intent snippet: demo store /cart with one item, headless Chromium, browser cache off, "
                + RUNS + " loads each way (interleaved, after " + WARM_UP + " warm-up loads each)");
        System.out.println(String.format(Locale.ROOT, "%-34s %12s %12s %12s", "milliseconds from navigation start", "with",
                "without", "added"));
        String[] names = {"responseEnd (server answered)", "domContentLoadedEventEnd", "loadEventEnd"};
        double[] added = new double[3];
        for (int metric = 0; metric < 3; metric++) {
            double a = median(with, metric);
            double b = median(without, metric);
            added[metric] = a - b;
            System.out.println(String.format(Locale.ROOT, "%-34s %12.1f %12.1f %+12.1f", names[metric] + ", median", a, b, a - b));
        }
        double withP90 = percentile(with, 2, 0.9);
        double withoutP90 = percentile(without, 2, 0.9);
        System.out.println(String.format(Locale.ROOT, "%-34s %12.1f %12.1f %+12.1f", "loadEventEnd, p90", withP90, withoutP90,
                withP90 - withoutP90));
        System.out.println(String.format(Locale.ROOT, "%-34s %12.1f %12s", "exit-intent.js fetch, median", median(with, 3), "-"));
        double withMs = median(with, 2);
        double withoutMs = median(without, 2);
        double addedMs = withMs - withoutMs;
        System.out.println(String.format(Locale.ROOT, "RESULT snippet with_ms=%.1f without_ms=%.1f added_ms=%.1f runs=%d goal_met=%s",
                withMs, withoutMs, addedMs, RUNS, addedMs < GOAL_MS));
    }

    /** Navigates and returns [responseEnd, domContentLoadedEventEnd, loadEventEnd, script fetch ms, tag present 1/0]. */
    private static double[] load(DevTools page, String url) throws Exception {
        page.evaluate("window.__crOld = true, ''");
        page.call("Page.navigate", "{\"url\":\"" + url + "\"}");
        String[] parts = await(page, TIMING).split(",");
        double[] values = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = Double.parseDouble(parts[i]);
        }
        return values;
    }

    /** Evaluates {@code expression} until it gives a non-empty string (navigations in between are retried). */
    private static String await(DevTools page, String expression) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            String value;
            try {
                value = page.evaluate(expression);
            } catch (IllegalStateException navigating) {
                value = "";
            }
            if (!value.isEmpty()) {
                return value;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("timed out waiting for " + expression);
    }

    private static double median(List<double[]> runs, int metric) {
        return percentile(runs, metric, 0.5);
    }

    private static double percentile(List<double[]> runs, int metric, double p) {
        List<Double> values = new ArrayList<>();
        for (double[] run : runs) {
            values.add(run[metric]);
        }
        Collections.sort(values);
        if (p == 0.5 && values.size() % 2 == 0) {
            return (values.get(values.size() / 2 - 1) + values.get(values.size() / 2)) / 2;
        }
        return values.get(Math.min(values.size() - 1, (int) Math.ceil(p * values.size()) - 1));
    }

    private static Path repositoryRoot() {
        for (Path candidate : new Path[] {Path.of("..").toAbsolutePath().normalize(), Path.of("").toAbsolutePath()}) {
            if (Files.isRegularFile(candidate.resolve("demo/target/demo-classpath.txt"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("demo/target/demo-classpath.txt is missing: run this benchmark with benchmarks/run snippet"
                + " (it builds the demo store first)");
    }

    private static void installChromiumIfMissing() throws IOException, InterruptedException {
        if (Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER)) {
            return;
        }
        for (List<String> command : List.of(List.of("apt-get", "update"),
                List.of("apt-get", "install", "-y", "--no-install-recommends", "chromium", "chromium-driver"))) {
            int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
            if (exit != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed with exit code " + exit
                        + " (the snippet benchmark needs root to install chromium, or chromium installed)");
            }
        }
    }

    private static Process startDemo(Path root, int port, Path work) throws Exception {
        String classpath = root.resolve("demo/target/classes") + ":"
                + Files.readString(root.resolve("demo/target/demo-classpath.txt")).trim();
        Process demo = new ProcessBuilder("java", "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens",
                "java.base/java.util=ALL-UNNAMED", "-Xmx1g", "-Duser.timezone=UTC", "-cp", classpath,
                "io.github.cartrecovery.demo.DemoStore", "--reset", "--port", String.valueOf(port),
                "--data-dir", work.resolve("demo-data").toString())
                .directory(root.toFile()).redirectErrorStream(true).start();
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("READY")) {
                        ready.complete(true);
                    }
                }
            } catch (IOException ignored) {
                // the demo stopped
            }
            ready.complete(false);
        }, "demo-output");
        reader.setDaemon(true);
        reader.start();
        if (!ready.get(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the demo store stopped before it was ready (exit " + demo.waitFor() + ")");
        }
        return demo;
    }

    private static Process startChromium(Path work) throws IOException {
        Path profile = Files.createDirectories(work.resolve("chromium-profile"));
        return new ProcessBuilder(BROWSER.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--remote-debugging-port=0", "--remote-allow-origins=*", "--window-size=1280,1000",
                "--user-agent=" + USER_AGENT, "--user-data-dir=" + profile, "about:blank")
                .redirectErrorStream(true).redirectOutput(work.resolve("chromium.log").toFile()).start();
    }

    /** The DevTools WebSocket of chromium's first page. */
    private static URI pageSocket(Path work) throws Exception {
        Path portFile = work.resolve("chromium-profile").resolve("DevToolsActivePort");
        Instant deadline = Instant.now().plusSeconds(60);
        while (!Files.isRegularFile(portFile) || Files.readAllLines(portFile).isEmpty()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("chromium did not open its DevTools port (see " + work.resolve("chromium.log") + ")");
            }
            Thread.sleep(100);
        }
        String port = Files.readAllLines(portFile).get(0).trim();
        HttpClient http = HttpClient.newHttpClient();
        while (Instant.now().isBefore(deadline)) {
            String targets = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher page = Pattern.compile("\"type\"\\s*:\\s*\"page\"[^}]*?\"webSocketDebuggerUrl\"\\s*:\\s*\"([^\"]+)\"|"
                    + "\"webSocketDebuggerUrl\"\\s*:\\s*\"(ws://[^\"]+/devtools/page/[^\"]+)\"").matcher(targets);
            if (page.find()) {
                return URI.create(page.group(1) != null ? page.group(1) : page.group(2));
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("chromium has no page target");
    }

    private static void stop(Process process) throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** A minimal DevTools protocol client: one page, requests answered by id. */
    static final class DevTools implements WebSocket.Listener, AutoCloseable {
        private static final Pattern ID = Pattern.compile("^\\{\"id\":(\\d+),");
        private static final Pattern STRING_VALUE = Pattern.compile("\"result\":\\{\"result\":\\{\"type\":\"string\",\"value\":\"([^\"\\\\]*)\"");
        private final Map<Integer, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
        private final AtomicInteger ids = new AtomicInteger();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket socket;

        static DevTools connect(URI uri) throws Exception {
            DevTools client = new DevTools();
            client.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30))
                    .buildAsync(uri, client).get(30, TimeUnit.SECONDS);
            return client;
        }

        String call(String method, String params) throws Exception {
            int id = ids.incrementAndGet();
            CompletableFuture<String> answer = new CompletableFuture<>();
            pending.put(id, answer);
            socket.sendText("{\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}", true).get(30, TimeUnit.SECONDS);
            String response = answer.get(60, TimeUnit.SECONDS);
            if (response.contains("\"error\":")) {
                throw new IllegalStateException(method + " failed: " + response);
            }
            return response;
        }

        /** The string an expression gives; throws IllegalStateException while the page is navigating. */
        String evaluate(String expression) throws Exception {
            String response = call("Runtime.evaluate", "{\"expression\":" + quote(expression) + ",\"returnByValue\":true}");
            if (response.contains("\"exceptionDetails\"")) {
                throw new IllegalStateException("page error: " + response);
            }
            Matcher value = STRING_VALUE.matcher(response);
            if (!value.find()) {
                throw new IllegalStateException("not a string: " + response);
            }
            return value.group(1);
        }

        private static String quote(String text) {
            return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String message = partial.toString();
                partial.setLength(0);
                Matcher id = ID.matcher(message);
                if (id.find()) {
                    CompletableFuture<String> answer = pending.remove(Integer.parseInt(id.group(1)));
                    if (answer != null) {
                        answer.complete(message);
                    }
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
    }
}
