package io.github.cartrecovery.demo.reliability;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Every process the suite starts: the SMTP sink ({@link MailSink}), the SMS provider ({@link SmsProviderSink}), the
 * webhook receiver ({@link WebhookSink}) and the Broadleaf nodes ({@code DemoStore --node}), each its own JVM on the demo's classpath, logging to {@code target/reliability/<name>.log}. {@link #close()} (and a
 * shutdown hook, for a suite that dies) kills whatever is still running.
 */
final class Cluster implements AutoCloseable {

    private static final List<Process> STARTED = new CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(Process::destroyForcibly), "reliability-cleanup"));
    }

    private final Path workDir;
    private final String classpath;
    private final String java;
    private final String jdbcUrl;
    private final String jdbcUser;
    private final String jdbcPassword;
    /** The fakes' ports: chosen when each first starts (before any node, which is told them), then kept. */
    int smtpPort;
    final Path mailLog;
    int smsPort;
    final Path smsLog;
    /** The SMS account the nodes use and the provider expects (made for this run). */
    final String smsAccountSid = "ACreliability" + Long.toHexString(System.nanoTime());
    final String smsAuthToken = randomHex(32);
    int webhookPort;
    final Path webhookLog;
    /** The nodes' cartrecovery.webhook.secret, which the receiver verifies with (made for this run). */
    final String webhookSecret = randomHex(32);
    private Process sink;
    private Process smsProvider;
    private Process webhookSink;
    private final Map<String, Process> nodes = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> nodeSettings = new LinkedHashMap<>();
    private int restarts;
    private boolean smtpStarted;
    private boolean smsStarted;
    private boolean webhookStarted;

    Cluster(Path workDir, String jdbcUrl, String jdbcUser, String jdbcPassword) {
        this.workDir = workDir;
        this.jdbcUrl = jdbcUrl;
        this.jdbcUser = jdbcUser;
        this.jdbcPassword = jdbcPassword;
        this.java = ProcessHandle.current().info().command().orElse("java");
        Path target = workDir.getParent();
        try {
            String dependencies = Files.readString(target.resolve("demo-classpath.txt")).trim();
            this.classpath = target.resolve("classes") + File.pathSeparator + target.resolve("test-classes")
                    + File.pathSeparator + dependencies;
            deleteRecursively(workDir); // the mailbox and logs of an earlier run would be counted again
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException("run the suite through Maven (it writes target/demo-classpath.txt)", e);
        }
        this.smtpPort = portOutsideEphemeralRange();
        this.mailLog = workDir.resolve("received-mail.log");
        this.smsPort = portOutsideEphemeralRange();
        this.smsLog = workDir.resolve("sms-provider-answers.tsv"); // not <name>.log: that is the process's output
        this.webhookPort = portOutsideEphemeralRange();
        this.webhookLog = workDir.resolve("webhook-receiver-requests.tsv");
    }

    // ------------------------------------------------------------------ SMTP sink

    void startSink() {
        if (smtpStarted) {
            startSinkOn(smtpPort);
        } else {
            smtpPort = firstStart(this::startSinkOn, smtpPort);
            smtpStarted = true;
        }
    }

    private void startSinkOn(int port) {
        sink = start("smtp-sink", List.of("-Xmx768m", "-XX:+UseSerialGC", MailSink.class.getName(),
                String.valueOf(port), mailLog.toString()), "SINK READY", Duration.ofSeconds(30));
    }

    /**
     * Starts a fake on {@code port} for the first time; if another process took that port since it was chosen, on
     * another one. Returns the port it listens on. Only before the nodes are told the port.
     */
    private static int firstStart(java.util.function.IntConsumer startOn, int port) {
        for (int attempt = 1; ; attempt++) {
            try {
                startOn.accept(port);
                return port;
            } catch (IllegalStateException e) {
                if (attempt == 5 || e.getMessage() == null || !e.getMessage().contains("BindException")) {
                    throw e;
                }
                port = portOutsideEphemeralRange();
            }
        }
    }

    /** Stops the SMTP server the way an operator does (SIGTERM), and waits until its port is closed. */
    void stopSink() {
        stop(sink);
        sink = null;
    }

    // ------------------------------------------------------------------ SMS provider and webhook receiver

    /**
     * Starts the SMS provider on its port, healthy; its log keeps what it accepted before a stop. The first start must
     * come before the nodes', which are told its port.
     */
    void startSmsProvider() {
        if (smsStarted) {
            startSmsProviderOn(smsPort);
        } else {
            smsPort = firstStart(this::startSmsProviderOn, smsPort);
            smsStarted = true;
        }
    }

    private void startSmsProviderOn(int port) {
        smsProvider = start("sms-provider", List.of("-Xmx128m", "-XX:+UseSerialGC", SmsProviderSink.class.getName(),
                String.valueOf(port), smsLog.toString(), smsAccountSid, smsAuthToken), "SMS PROVIDER READY",
                Duration.ofSeconds(30));
    }

    /** The provider's outage: stopped (SIGTERM), so connections are refused until it is started again. */
    void stopSmsProvider() {
        stop(smsProvider);
        smsProvider = null;
    }

    /** The same for the webhook receiver; its log keeps the keys it processed before a stop. */
    void startWebhookSink() {
        if (webhookStarted) {
            startWebhookSinkOn(webhookPort);
        } else {
            webhookPort = firstStart(this::startWebhookSinkOn, webhookPort);
            webhookStarted = true;
        }
    }

    private void startWebhookSinkOn(int port) {
        webhookSink = start("webhook-receiver", List.of("-Xmx128m", "-XX:+UseSerialGC", WebhookSink.class.getName(),
                String.valueOf(port), webhookLog.toString(), webhookSecret), "WEBHOOK SINK READY",
                Duration.ofSeconds(30));
    }

    void stopWebhookSink() {
        stop(webhookSink);
        webhookSink = null;
    }

    // ------------------------------------------------------------------ nodes

    /** Starts a node (the first one of a fresh database creates Broadleaf's schema) and waits for READY. */
    void startNode(String name, Map<String, String> settings) {
        Process node = startNodeAsync(name, settings);
        awaitReady(name, node);
    }

    Process startNodeAsync(String name, Map<String, String> settings) {
        nodeSettings.put(name, new LinkedHashMap<>(settings));
        List<String> command = new ArrayList<>(List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dliquibase.changelogLockPollRate=1", "io.github.cartrecovery.demo.DemoStore",
                "--node", name, "--port", "0", "--jdbc-url", jdbcUrl, "--jdbc-user", jdbcUser,
                "--jdbc-password", jdbcPassword, "--smtp", "127.0.0.1:" + smtpPort,
                "--data-dir", workDir.resolve(name + "-data").toString()));
        settings.forEach((key, value) -> {
            command.add("--set");
            command.add(key + "=" + value);
        });
        Process node = launch(name, command);
        nodes.put(name, node);
        return node;
    }

    void awaitReady(String name, Process node) {
        awaitLine(name, node, "READY ", Duration.ofSeconds(240));
    }

    Map<String, String> settingsOf(String name) {
        return new LinkedHashMap<>(nodeSettings.get(name));
    }

    /** kill -9: no shutdown hook, no finally block, claims and open transactions left as they are. */
    void kill9(String name) {
        Process node = nodes.remove(name);
        node.destroyForcibly();
        waitFor(node);
    }

    void stopNode(String name) {
        stop(nodes.remove(name));
    }

    /** A node started again under the same name (a restart), possibly with other settings; waits for READY. */
    void restartNode(String name, Map<String, String> settings) {
        restarts++;
        startNode(name, settings);
    }

    /**
     * Every node stopped (SIGTERM, all at once) and started again with its new settings, the starts in parallel; returns
     * when all are READY. The nodes keep their order in {@link #nodeNames()}.
     */
    void restartAll(Map<String, Map<String, String>> settingsByName) {
        List<Process> stopping = new ArrayList<>();
        for (String name : settingsByName.keySet()) {
            Process node = nodes.remove(name);
            if (node != null) {
                node.destroy();
                stopping.add(node);
            }
        }
        for (Process node : stopping) {
            try {
                if (!node.waitFor(30, TimeUnit.SECONDS)) {
                    node.destroyForcibly();
                    waitFor(node);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        Map<String, Process> starting = new LinkedHashMap<>();
        settingsByName.forEach((name, settings) -> {
            restarts++;
            starting.put(name, startNodeAsync(name, settings));
        });
        starting.forEach(this::awaitReady);
    }

    boolean alive(String name) {
        Process node = nodes.get(name);
        return node != null && node.isAlive();
    }

    List<String> nodeNames() {
        return new ArrayList<>(nodes.keySet());
    }

    /** A running node's base URL ({@code http://localhost:<port>}, its links.base-url), from the READY line it logged. */
    String baseUrlOf(String name) {
        String text = read(logOf(name));
        int ready = text.lastIndexOf("READY http://");
        if (ready < 0) {
            throw new IllegalStateException(name + " is not ready");
        }
        String url = text.substring(ready + "READY ".length()).split("\\s")[0];
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public void close() {
        for (Process node : nodes.values()) {
            node.destroyForcibly();
        }
        nodes.clear();
        for (Process fake : new Process[] {sink, smsProvider, webhookSink}) {
            if (fake != null) {
                stop(fake);
            }
        }
        STARTED.forEach(Process::destroyForcibly);
    }

    // ------------------------------------------------------------------ processes

    private Process start(String name, List<String> args, String readyLine, Duration timeout) {
        Process process = launch(name, args);
        awaitLine(name, process, readyLine, timeout);
        return process;
    }

    private Process launch(String name, List<String> args) {
        List<String> command = new ArrayList<>(List.of(java, "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "--add-opens", "java.base/java.util=ALL-UNNAMED", "-Duser.timezone=UTC", "-cp", classpath));
        command.addAll(args);
        Path log = logOf(name);
        try {
            if (Files.exists(log)) { // a restarted node: keep the log of its previous life
                Files.move(log, workDir.resolve(name + "-until-" + System.currentTimeMillis() + ".log"));
            }
            Files.writeString(log, "");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            STARTED.add(process);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    Path logOf(String name) {
        return workDir.resolve(name + ".log");
    }

    private void awaitLine(String name, Process process, String line, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Path log = logOf(name);
        while (System.nanoTime() < deadline) {
            String text = read(log);
            if (text.contains(line)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before it was ready:\n" + tail(text));
            }
            sleep(250);
        }
        throw new IllegalStateException(name + " was not ready within " + timeout.toSeconds() + " s:\n" + tail(read(log)));
    }

    private static void stop(Process process) {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                waitFor(process);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void waitFor(Process process) {
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }

    private static String tail(String text) {
        String[] lines = text.split("\n");
        StringBuilder tail = new StringBuilder();
        for (int i = Math.max(0, lines.length - 40); i < lines.length; i++) {
            tail.append(lines[i]).append('\n');
        }
        return tail.toString();
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (var paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /**
     * A free loopback port for a fake that is stopped and started again, below the kernel's ephemeral range. While
     * nothing listens on a port in that range, a client connecting to it again and again may get that very port as its
     * own source port and connect to itself (TCP self-connect): it then reads its own request as the answer. A node
     * did exactly that during the SMS provider's outage (one text UNCONFIRMED with "no answer after the text was
     * sent" while the provider was down), which no real provider on another host can cause.
     *
     * <p>{@code -Dreliability.fake-ports=LOW-HIGH} narrows the choice (kept below the ephemeral range). Two suites
     * running at once (CI runs PostgreSQL's and MariaDB's together) get ranges that do not overlap: a fake stopped for
     * its outage leaves its port free, and the other suite must never take it before it starts again.
     */
    static int portOutsideEphemeralRange() {
        int[] range = fakePortRange(System.getProperty("reliability.fake-ports"), ephemeralLow());
        return portOutsideEphemeralRange(range[0], range[1]);
    }

    /** A port in {@code [low, high]} nothing listens on, tried at random; {@link #freePort()} if none is found. */
    static int portOutsideEphemeralRange(int low, int high) {
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = low + random.nextInt(high - low + 1);
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        if (System.getProperty("reliability.fake-ports") != null) {
            // outside the given range another suite may stop and start its fakes: never fall back there
            throw new IllegalStateException("no free port in reliability.fake-ports " + low + "-" + high);
        }
        return freePort();
    }

    /**
     * The ports a fake may get, {@code {low, high}} inclusive: {@code spec} ("LOW-HIGH", from
     * {@code reliability.fake-ports}) or, when null, 10000 up to the ephemeral range; never into that range.
     */
    static int[] fakePortRange(String spec, int ephemeralLow) {
        if (spec == null || spec.isBlank()) {
            return new int[] {10_000, Math.max(10_000, ephemeralLow - 1)};
        }
        String[] bounds = spec.trim().split("-");
        if (bounds.length != 2) {
            throw new IllegalArgumentException("reliability.fake-ports must be LOW-HIGH, was " + spec);
        }
        int low = Integer.parseInt(bounds[0].trim());
        int high = Math.min(Integer.parseInt(bounds[1].trim()), ephemeralLow - 1);
        if (low < 1024 || low > high) {
            throw new IllegalArgumentException("reliability.fake-ports " + spec + " leaves no port between 1024 and "
                    + "the ephemeral range (from " + ephemeralLow + ")");
        }
        return new int[] {low, high};
    }

    /**
     * The first port of the kernel's ephemeral range. Read by lines: {@code Files.readString} trusts the size /proc
     * reports and returned only "3" of "32768 60999" on JDK 17, so every fake was offered port 10000 alone.
     */
    static int ephemeralLow() {
        try {
            return Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException notLinux) {
            return 32768; // the usual Linux bound
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
