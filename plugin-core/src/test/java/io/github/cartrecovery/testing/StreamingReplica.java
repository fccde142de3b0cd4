package io.github.cartrecovery.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Two PostgreSQL clusters of the test's own on this machine: a primary and a hot-standby streaming replica made from it
 * with {@code pg_basebackup -R}, each on a free loopback port, in a temporary directory; {@link #close()} stops both
 * ({@code pg_ctl stop -m immediate}) and deletes the directory. The machine's own server is never touched (its
 * pg_hba.conf allows no replication connections, and other tests use it). The clusters run as the {@code postgres} OS
 * user when the test runs as root ({@code initdb} refuses root), with trust authentication on loopback, fsync off.
 * Binaries: {@code -Dcartrecovery.test.postgresql.bin}, else the newest {@code /usr/lib/postgresql/<version>/bin}.
 */
public final class StreamingReplica implements AutoCloseable {

    private static final long COMMAND_SECONDS = 60;

    private final Path directory;
    private final Path bin;
    private final int primaryPort;
    private final int replicaPort;
    private boolean replicaRunning;

    private StreamingReplica(Path directory, Path bin, int primaryPort, int replicaPort) {
        this.directory = directory;
        this.bin = bin;
        this.primaryPort = primaryPort;
        this.replicaPort = replicaPort;
    }

    /** Creates and starts both clusters; the replica is streaming when this returns. */
    public static StreamingReplica start() throws IOException, InterruptedException {
        Path bin = binaries();
        Path directory = Files.createTempDirectory(Paths.get("/tmp"), "cr-replica-");
        StreamingReplica clusters = null;
        try {
            if (runningAsRoot()) {
                UserPrincipal postgres = directory.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
                Files.setOwner(directory, postgres);
            }
            int[] ports = freePorts();
            clusters = new StreamingReplica(directory, bin, ports[0], ports[1]);
            clusters.run("initdb", "-D", clusters.primaryDirectory(), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync");
            clusters.startCluster(clusters.primaryDirectory(), clusters.primaryPort, "primary.log");
            clusters.run("pg_basebackup", "-h", "127.0.0.1", "-p", String.valueOf(clusters.primaryPort), "-U", "postgres",
                    "-D", clusters.replicaDirectory(), "-R", "-X", "stream", "-c", "fast");
            clusters.startReplica();
            return clusters;
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (clusters != null) {
                clusters.close();
            } else {
                deleteTree(directory);
            }
            throw e;
        }
    }

    /** The primary as a JDBC server URL ending in "/" (append a database name). */
    public String primaryServerUrl() {
        return "jdbc:postgresql://127.0.0.1:" + primaryPort + "/";
    }

    /** The replica as a JDBC server URL ending in "/". */
    public String replicaServerUrl() {
        return "jdbc:postgresql://127.0.0.1:" + replicaPort + "/";
    }

    /** Waits until the replica has replayed everything the primary has written so far. */
    public void awaitReplayed() throws SQLException, InterruptedException {
        String written;
        try (Connection primary = connect(primaryServerUrl());
             Statement statement = primary.createStatement();
             ResultSet lsn = statement.executeQuery("SELECT pg_current_wal_lsn()::text")) {
            lsn.next();
            written = lsn.getString(1);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (Connection replica = connect(replicaServerUrl());
             PreparedStatement replayed = replica.prepareStatement("SELECT pg_last_wal_replay_lsn() >= ?::pg_lsn")) {
            replayed.setString(1, written);
            while (true) {
                try (ResultSet result = replayed.executeQuery()) {
                    result.next();
                    if (result.getBoolean(1)) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the replica did not replay up to " + written + " within 30 s");
                }
                Thread.sleep(50);
            }
        }
    }

    /** Stops replaying WAL on the replica (it still receives WAL and answers reads, from what it had replayed). */
    public void pauseReplay() throws SQLException {
        onReplica("SELECT pg_wal_replay_pause()");
    }

    public void resumeReplay() throws SQLException {
        onReplica("SELECT pg_wal_replay_resume()");
    }

    /** Stops the replica at once, as a crash would. */
    public void stopReplica() throws IOException, InterruptedException {
        run("pg_ctl", "stop", "-D", replicaDirectory(), "-m", "immediate");
        replicaRunning = false;
    }

    /** Starts the replica again (after {@link #stopReplica()}); it resumes streaming from the primary. */
    public void startReplica() throws IOException, InterruptedException {
        startCluster(replicaDirectory(), replicaPort, "replica.log");
        replicaRunning = true;
    }

    public boolean isReplicaRunning() {
        return replicaRunning;
    }

    @Override
    public void close() {
        for (String cluster : Arrays.asList(replicaDirectory(), primaryDirectory())) {
            if (Files.exists(Paths.get(cluster, "postmaster.pid"))) {
                try {
                    run("pg_ctl", "stop", "-D", cluster, "-m", "immediate");
                } catch (IOException | InterruptedException | RuntimeException e) {
                    // delete what we can below
                }
            }
        }
        deleteTree(directory);
    }

    private void startCluster(String dataDirectory, int port, String log) throws IOException, InterruptedException {
        run("pg_ctl", "start", "-w", "-t", "60", "-D", dataDirectory, "-l", directory.resolve(log).toString(), "-o",
                "-c port=" + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + directory
                        + " -c fsync=off -c synchronous_commit=off -c shared_buffers=32MB"
                        + " -c max_connections=60");
    }

    private String primaryDirectory() {
        return directory.resolve("primary").toString();
    }

    private String replicaDirectory() {
        return directory.resolve("replica").toString();
    }

    private void onReplica(String sql) throws SQLException {
        try (Connection replica = connect(replicaServerUrl()); Statement statement = replica.createStatement()) {
            statement.execute(sql);
        }
    }

    private static Connection connect(String serverUrl) throws SQLException {
        return DriverManager.getConnection(serverUrl + "postgres", "postgres", "");
    }

    /** Runs a PostgreSQL program (as the postgres OS user when root); its output becomes the error when it fails. */
    private void run(String program, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (runningAsRoot()) {
            command.addAll(Arrays.asList(Files.isExecutable(Paths.get("/usr/sbin/runuser")) ? "/usr/sbin/runuser" : "runuser",
                    "-u", "postgres", "--"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(Arrays.asList(arguments));
        Path output = Files.createTempFile("cr-replica-command-", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                    .directory(new java.io.File("/tmp")).start();
            if (!process.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + COMMAND_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (exit " + process.exitValue() + "): "
                        + new String(Files.readAllBytes(output), StandardCharsets.UTF_8));
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static Path binaries() {
        String configured = System.getProperty("cartrecovery.test.postgresql.bin", "").trim();
        if (!configured.isEmpty()) {
            return Paths.get(configured);
        }
        Path root = Paths.get("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                Path newest = versions.filter(version -> Files.isExecutable(version.resolve("bin/initdb")))
                        .max(Comparator.comparingInt(StreamingReplica::versionNumber)).orElse(null);
                if (newest != null) {
                    return newest.resolve("bin");
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot list " + root, e);
            }
        }
        throw new IllegalStateException("no PostgreSQL binaries (initdb, pg_ctl, pg_basebackup) under /usr/lib/postgresql/*/bin;"
                + " install the server package or set -Dcartrecovery.test.postgresql.bin");
    }

    private static int versionNumber(Path version) {
        try {
            return Integer.parseInt(version.getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int[] freePorts() throws IOException {
        try (ServerSocket first = new ServerSocket(0); ServerSocket second = new ServerSocket(0)) {
            return new int[] {first.getLocalPort(), second.getLocalPort()};
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is not worth failing a test for
        }
    }
}
