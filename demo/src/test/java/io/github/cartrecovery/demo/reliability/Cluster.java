package io.github.cartrecovery.demo.reliability;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Every process the suite starts: the SMTP sink ({@link MailSink}) and the Broadleaf nodes ({@code DemoStore --node}),
 * each its own JVM on the demo's classpath, logging to {@code target/reliability/<name>.log}. {@link #close()} (and a
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
    final int smtpPort;
    final Path mailLog;
    private Process sink;
    private final Map<String, Process> nodes = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> nodeSettings = new LinkedHashMap<>();
    private int restarts;

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
        this.smtpPort = freePort();
        this.mailLog = workDir.resolve("received-mail.log");
    }

    // ------------------------------------------------------------------ SMTP sink

    void startSink() {
        sink = start("smtp-sink", List.of("-Xmx768m", "-XX:+UseSerialGC", MailSink.class.getName(),
                String.valueOf(smtpPort), mailLog.toString()), "SINK READY", Duration.ofSeconds(30));
    }

    /** Stops the SMTP server the way an operator does (SIGTERM), and waits until its port is closed. */
    void stopSink() {
        stop(sink);
        sink = null;
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

    boolean alive(String name) {
        Process node = nodes.get(name);
        return node != null && node.isAlive();
    }

    List<String> nodeNames() {
        return new ArrayList<>(nodes.keySet());
    }

    @Override
    public void close() {
        for (Process node : nodes.values()) {
            node.destroyForcibly();
        }
        nodes.clear();
        if (sink != null) {
            stop(sink);
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

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
