package io.github.cartrecovery.demo.reliability.hostile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's {@code wrk} load generator, installed with apt-get when {@code /usr/bin/wrk} is missing (CI runs as root),
 * run on loopback with a Lua script that builds each request and, in {@code done()}, prints one machine-readable line:
 * requests, duration, socket errors, non-2xx/3xx answers, 5xx answers (counted per thread in {@code response()}) and
 * latency percentiles.
 */
final class Wrk {

    static final Path BINARY = Path.of("/usr/bin/wrk");
    static final int THREADS = 2;
    static final int CONNECTIONS = 8;

    /** Counts and summarises results; appended by every script this class writes. */
    private static final String REPORTING = String.join("\n",
            "local threads = {}",
            "function setup(thread)",
            "  thread:set('id', #threads)",
            "  table.insert(threads, thread)",
            "end",
            "function init(args)",
            "  fivexx = 0",
            "  n = id",
            "end",
            "function response(status, headers, body)",
            "  if status >= 500 then fivexx = fivexx + 1 end",
            "end",
            "function done(summary, latency, requests)",
            "  local f = 0",
            "  for _, t in ipairs(threads) do f = f + t:get('fivexx') end",
            "  local e = summary.errors",
            "  io.write(string.format('WRK_RESULT requests=%d duration_us=%d connect=%d read=%d write=%d status=%d timeout=%d "
                    + "p50_us=%d p90_us=%d p99_us=%d max_us=%d fivexx=%d\\n', summary.requests, summary.duration, e.connect, e.read, "
                    + "e.write, e.status, e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, f))",
            "end",
            "");

    private Wrk() {
    }

    /** What one run measured. */
    record Result(String endpoint, long requests, double seconds, long socketErrors, long statusErrors, long fivexx,
                  double p50Ms, double p90Ms, double p99Ms, double maxMs) {

        double throughput() {
            return requests / seconds;
        }

        long errors() {
            return socketErrors + statusErrors;
        }

        String row() {
            return String.format(Locale.ROOT, "| %s | %d | %.1f | %.0f | %.1f | %.1f | %.1f | %d | %d |", endpoint, requests, seconds,
                    throughput(), p50Ms, p99Ms, maxMs, errors(), fivexx);
        }
    }

    static final String TABLE_HEAD = "| endpoint | requests | seconds | throughput (req/s) | p50 (ms) | p99 (ms) | max (ms) "
            + "| errors (non-2xx/3xx + socket) | 5xx |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |";

    static synchronized void installIfMissing() throws IOException, InterruptedException {
        if (Files.isExecutable(BINARY)) {
            return;
        }
        run(List.of("apt-get", "update"));
        run(List.of("apt-get", "install", "-y", "--no-install-recommends", "wrk"));
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException("apt-get did not install " + BINARY);
        }
    }

    /** A script: the request-building Lua (a {@code request()} function using the global {@code n}) plus the reporting. */
    static Path script(Path folder, String name, String requestLua) throws IOException {
        Files.createDirectories(folder);
        Path script = folder.resolve(name + ".lua");
        Files.writeString(script, requestLua + "\n" + REPORTING, StandardCharsets.UTF_8);
        return script;
    }

    static Result run(String endpoint, String baseUrl, Path script, int seconds) throws IOException, InterruptedException {
        List<String> command = List.of(BINARY.toString(), "-t" + THREADS, "-c" + CONNECTIONS, "-d" + seconds + "s", "--timeout", "10s",
                "--latency", "-s", script.toString(), baseUrl);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("wrk did not end: " + output);
        }
        System.out.println("wrk " + endpoint + ":\n" + output);
        Matcher line = Pattern.compile("WRK_RESULT (.*)").matcher(output);
        if (process.exitValue() != 0 || !line.find()) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + process.exitValue() + "):\n" + output);
        }
        Map<String, Long> values = new TreeMap<>();
        for (String pair : line.group(1).trim().split(" ")) {
            String[] kv = pair.split("=");
            values.put(kv[0], Long.parseLong(kv[1]));
        }
        return new Result(endpoint, values.get("requests"), values.get("duration_us") / 1e6,
                values.get("connect") + values.get("read") + values.get("write") + values.get("timeout"), values.get("status"),
                values.get("fivexx"), values.get("p50_us") / 1e3, values.get("p90_us") / 1e3, values.get("p99_us") / 1e3,
                values.get("max_us") / 1e3);
    }

    /** A Lua string literal. */
    static String lua(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).inheritIO().start();
        int exit = process.waitFor();
        if (exit != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed with exit code " + exit
                    + " (the load test needs root to install wrk, or wrk installed)");
        }
    }
}
