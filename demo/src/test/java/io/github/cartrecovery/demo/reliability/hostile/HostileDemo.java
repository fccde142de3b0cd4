package io.github.cartrecovery.demo.reliability.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.cartrecovery.demo.DemoOptions;
import io.github.cartrecovery.demo.DemoStore;

/**
 * One demo store (storefront, admin, mailbox) per test JVM for the hostile suite, on a free loopback port and a
 * fresh database, started the way {@code DemoStoreIT} starts it. Two settings differ from {@code demo/run}:
 * <ul>
 * <li>the plugin's scheduler is off, so no background job writes while a test counts rows; tests drive the engine
 * through its beans when they need recovery emails;</li>
 * <li>the guest email endpoint's rate limits are far above what the tests send: the limiter answers 429 before the
 * body is read, which would hide the hostile bodies from the parser (the limiter itself is tested in plugin-site).</li>
 * </ul>
 * Closed when the JVM's test run ends.
 */
final class HostileDemo implements BeforeAllCallback {

    private static DemoStore demo;
    private static String base;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start(context);
    }

    static synchronized void start(ExtensionContext context) throws IOException {
        if (demo != null) {
            return;
        }
        Path data = Files.createTempDirectory("hostile-demo-");
        int port = freePort();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        long started = System.nanoTime();
        demo = DemoStore.start(DemoOptions.of(port, data.toFile(), true, Map.of(
                        "cartrecovery.scheduler.enabled", "false",
                        "cartrecovery.capture.email.rate-limit.per-session", "1000000",
                        "cartrecovery.capture.email.rate-limit.per-client-ip", "1000000")),
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        base = "http://127.0.0.1:" + port;
        System.out.printf("hostile suite: demo store started on port %d in %.1f s%n", port, (System.nanoTime() - started) / 1e9);
        // closed (AutoCloseable) when the root context ends: after the last test class of this JVM
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put("hostile-demo", demo);
    }

    static DemoStore demo() {
        return demo;
    }

    static String base() {
        return base;
    }

    static int port() {
        return Integer.parseInt(base.substring(base.lastIndexOf(':') + 1));
    }

    static <T> T bean(String name, Class<T> type) {
        return demo.storeContext().getBean(name, type);
    }

    /** Writes what the capture buffer holds now (it also writes every 500 ms by itself). */
    static void flushCaptures() {
        bean("crCaptureBuffer", io.github.cartrecovery.capture.CaptureBuffer.class).flush();
    }

    static JdbcTemplate jdbc() {
        return new JdbcTemplate(bean("crDataSource", DataSource.class));
    }

    /** Rows of every table of the plugin (CR_*) and of Broadleaf's BLC_ORDER, by table name. */
    static Map<String, Long> rowCounts() {
        flushCaptures();
        JdbcTemplate jdbc = jdbc();
        Map<String, Long> counts = new TreeMap<>();
        for (String table : pluginTables(jdbc)) {
            counts.put(table, jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Long.class));
        }
        counts.put("BLC_ORDER", jdbc.queryForObject("SELECT COUNT(*) FROM BLC_ORDER", Long.class));
        return counts;
    }

    private static List<String> pluginTables(JdbcTemplate jdbc) {
        return jdbc.execute((Connection connection) -> {
            List<String> tables = new ArrayList<>();
            DatabaseMetaData meta = connection.getMetaData();
            try (ResultSet rs = meta.getTables(null, null, "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    String name = rs.getString("TABLE_NAME");
                    if (name.toUpperCase(Locale.ROOT).startsWith("CR_")) {
                        tables.add(name);
                    }
                }
            } catch (SQLException e) {
                throw e;
            }
            if (tables.size() < 10) {
                throw new IllegalStateException("expected the plugin's CR_ tables, found " + tables);
            }
            return tables;
        });
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
