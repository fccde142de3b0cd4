package io.github.cartrecovery.benchmarks;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

import org.broadleafcommerce.common.util.ApplicationContextHolder;
import org.broadleafcommerce.core.catalog.domain.Product;
import org.broadleafcommerce.core.order.domain.Order;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ApplicationEventMulticaster;
import org.springframework.context.support.AbstractApplicationContext;

import io.github.cartrecovery.capture.CaptureBuffer;
import io.github.cartrecovery.detection.AbandonmentDetector;
import io.github.cartrecovery.state.PluginActivation;
import io.github.cartrecovery.testing.PluginContext;
import io.github.cartrecovery.testing.Store;

/**
 * benchmarks/run capture
 * <ol>
 *   <li>What the plugin adds to the shopper's request: Broadleaf's {@code OrderService.addItem} timed with and
 *   without the plugin's capture listener (its only code on the request path) in one Broadleaf, alternating
 *   rounds, capture buffer flushing every second as in production. Two Broadleaf contexts cannot be compared
 *   fairly in one JVM (they share Ehcache's singleton manager and Hibernate's regions). Goal: median ratio at
 *   most 1.02.</li>
 *   <li>Detection cost against the size of the order table: 10,000 due carts detected among 200,000 and among
 *   1,000,000 other orders (BLC_ORDER and CR_CAPTURED_CART), two PostgreSQL databases measured alternately.
 *   Goal: the larger costs at most 1.5x the smaller.</li>
 * </ol>
 */
final class CaptureBenchmark implements Benchmarks.Benchmark {

    static final int ROUNDS = 12;
    static final int ADDS_PER_ROUND = 150;
    static final int DUE = 10_000;

    @Override
    public void run() throws Exception {
        double addItemRatio = addItemOverhead();
        double detectionRatio = detectionScaling();
        boolean goal = addItemRatio <= 1.02 && detectionRatio <= 1.5;
        System.out.printf(Locale.ROOT, "RESULT capture add_item_median_ratio=%.3f detection_1m_vs_200k_ratio=%.3f goal_met=%s%n",
                addItemRatio, detectionRatio, goal);
    }

    // ---------------------------------------------------------------- addItem with and without the plugin

    private double addItemOverhead() {
        System.setProperty("cartrecovery.test.db", "hsqldb");
        try (PluginContext broadleaf = PluginContext.boot(Collections.singletonList("bl-cartrecovery-applicationContext.xml"),
                Map.of("cartrecovery.capture.flush-interval-ms", "1000"))) {
            Shop shop = new Shop(broadleaf);
            ApplicationEventMulticaster events = broadleaf.bean(
                    AbstractApplicationContext.APPLICATION_EVENT_MULTICASTER_BEAN_NAME, ApplicationEventMulticaster.class);
            ApplicationListener<?> capture = broadleaf.bean("crOrderEventCapture", ApplicationListener.class);
            CaptureBuffer buffer = broadleaf.bean("crCaptureBuffer", CaptureBuffer.class);
            List<Long> without = new ArrayList<>();
            List<Long> with = new ArrayList<>();
            shop.measure(ADDS_PER_ROUND, new ArrayList<>()); // warm-up, not recorded
            // prove the switch works: no capture with the listener removed, capture with it back
            plugin(events, capture, false);
            buffer.flush();
            shop.measure(1, new ArrayList<>());
            int capturedWithout = buffer.pendingCount();
            plugin(events, capture, true);
            shop.measure(1, new ArrayList<>());
            if (capturedWithout != 0 || buffer.pendingCount() == 0) {
                throw new IllegalStateException("could not switch the plugin's capture listener off and on");
            }
            for (int round = 0; round < ROUNDS; round++) {
                // alternate which variant goes first, so neither always runs on a warmer JVM
                for (int half = 0; half < 2; half++) {
                    boolean pluginOn = (round + half) % 2 == 0;
                    plugin(events, capture, pluginOn);
                    shop.measure(ADDS_PER_ROUND, pluginOn ? with : without);
                }
            }
            plugin(events, capture, true);
            double ratio = median(with) / median(without);
            System.out.println();
            System.out.println("OrderService.addItem, " + ROUNDS + " rounds x " + ADDS_PER_ROUND
                    + " adds per variant, alternating (HSQLDB, capture flushing every second)");
            System.out.println("'without' removes the plugin's capture listener, its only code on the shopper's request path,");
            System.out.println("from Broadleaf's event multicaster; everything else (JVM, database, caches) is the same.");
            System.out.println("| Broadleaf            | samples | median (ms) | p99 (ms) |");
            System.out.println("|----------------------|---------|-------------|----------|");
            row("without the plugin", without);
            row("with the plugin", with);
            System.out.printf(Locale.ROOT, "median ratio with/without: %.3f (goal <= 1.02)%n", ratio);
            return ratio;
        }
    }

    private static void plugin(ApplicationEventMulticaster events, ApplicationListener<?> capture, boolean on) {
        events.removeApplicationListenerBean("crOrderEventCapture");
        events.removeApplicationListener(capture);
        if (on) {
            events.addApplicationListener(capture);
        }
    }

    private static void row(String label, List<Long> samples) {
        System.out.printf(Locale.ROOT, "| %-20s | %7d | %11.3f | %8.3f |%n", label, samples.size(),
                median(samples), percentile(samples, 0.99));
    }

    /** A catalog and carts; a fresh cart every few adds keeps carts small and the work per add constant. */
    private static final class Shop {
        final Store store;
        final List<Product> products = new ArrayList<>();

        Shop(PluginContext broadleaf) {
            this.store = broadleaf.store();
            for (int i = 0; i < 5; i++) {
                products.add(store.product("Product " + i, "1" + i + ".00"));
            }
        }

        void measure(int adds, List<Long> samples) {
            Order cart = null;
            for (int i = 0; i < adds; i++) {
                if (i % 5 == 0) {
                    cart = store.cartWithEmail("bench" + i + "@example.com");
                }
                Product product = products.get(i % products.size());
                long start = System.nanoTime();
                cart = store.add(cart, product, 1);
                samples.add(System.nanoTime() - start);
            }
        }
    }

    // ---------------------------------------------------------------- detection among 200k vs 1M orders

    private double detectionScaling() throws Exception {
        System.setProperty("cartrecovery.test.db", "postgresql");
        List<String> plugin = Collections.singletonList("bl-cartrecovery-applicationContext.xml");
        try (PluginContext small = PluginContext.boot(plugin, Map.<String, String>of());
             PluginContext large = small.bootAnotherStore(plugin, Map.<String, String>of())) {
            Orders smallOrders = new Orders(small, 200_000);
            Orders largeOrders = new Orders(large, 1_000_000);
            List<Long> smallTimes = new ArrayList<>();
            List<Long> largeTimes = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                if (round % 2 == 0) {
                    smallTimes.add(smallOrders.detectDue());
                    largeTimes.add(largeOrders.detectDue());
                } else {
                    largeTimes.add(largeOrders.detectDue());
                    smallTimes.add(smallOrders.detectDue());
                }
            }
            double ratio = median(largeTimes) / median(smallTimes);
            System.out.println();
            System.out.println("Detecting " + DUE + " due carts, 5 alternating rounds (PostgreSQL)");
            System.out.println("| other orders | median (ms) | runs (ms)                              |");
            System.out.println("|--------------|-------------|----------------------------------------|");
            System.out.printf(Locale.ROOT, "| %12d | %11.1f | %-38s |%n", 200_000, median(smallTimes), millis(smallTimes));
            System.out.printf(Locale.ROOT, "| %12d | %11.1f | %-38s |%n", 1_000_000, median(largeTimes), millis(largeTimes));
            System.out.printf(Locale.ROOT, "median ratio 1M/200k: %.3f (goal <= 1.5)%n", ratio);
            return ratio;
        }
    }

    /** A Broadleaf database filled with history plus {@link #DUE} carts that become due on every round. */
    private static final class Orders {
        final PluginContext broadleaf;
        final DataSource dataSource;
        final AbandonmentDetector detector;
        final long firstDue;

        Orders(PluginContext broadleaf, int others) throws SQLException {
            this.broadleaf = broadleaf;
            this.dataSource = broadleaf.database().dataSource();
            this.detector = broadleaf.bean("crAbandonmentDetector", AbandonmentDetector.class);
            broadleaf.bean("crPluginActivation", PluginActivation.class).activatedAt();
            broadleaf.clock().advance(Duration.ofDays(10));
            long customer = 1;
            insertOrders(customer, 1, others);
            firstDue = others + 1L;
            insertOrders(customer, firstDue, DUE);
            try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
                String now = "TIMESTAMP '" + java.sql.Timestamp.from(broadleaf.clock().instant()) + "'";
                // history: half bought, a fifth still shopping (active but recent), the rest abandoned long ago
                sql.execute("INSERT INTO CR_CAPTURED_CART (ORDER_ID, EMAIL, MARKETING_CONSENT, ITEM_COUNT, TOTAL, STATUS,"
                        + " FIRST_SEEN, LAST_ACTIVITY, STATUS_CHANGED_AT, ORIGIN)"
                        + " SELECT g, 'h' || g || '@example.com', 'UNKNOWN', 1, 20.00,"
                        + " CASE WHEN g % 10 < 5 THEN 'PURCHASED' WHEN g % 10 < 7 THEN 'ACTIVE' ELSE 'IN_RECOVERY' END,"
                        + " " + now + " - INTERVAL '20 days',"
                        + " CASE WHEN g % 10 IN (5, 6) THEN " + now + " - INTERVAL '5 minutes' ELSE " + now + " - INTERVAL '20 days' END,"
                        + " " + now + ", 'STOREFRONT' FROM generate_series(1, " + others + ") g");
                sql.execute("INSERT INTO CR_CAPTURED_CART (ORDER_ID, EMAIL, MARKETING_CONSENT, ITEM_COUNT, TOTAL, STATUS,"
                        + " FIRST_SEEN, LAST_ACTIVITY, STATUS_CHANGED_AT, ORIGIN)"
                        + " SELECT g, 'd' || g || '@example.com', 'UNKNOWN', 1, 20.00, 'ACTIVE', " + now + " - INTERVAL '2 hours',"
                        + " " + now + " - INTERVAL '2 hours', " + now + ", 'STOREFRONT'"
                        + " FROM generate_series(" + firstDue + ", " + (firstDue + DUE - 1) + ") g");
                sql.execute("ANALYZE");
            }
        }

        /** Resets the due carts to ACTIVE, then times one detection pass (which must abandon all of them). */
        long detectDue() throws SQLException {
            try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
                sql.executeUpdate("UPDATE CR_CAPTURED_CART SET STATUS = 'ACTIVE', ABANDONED_AT = NULL WHERE ORDER_ID >= " + firstDue);
            }
            new ApplicationContextHolder().setApplicationContext(broadleaf.context());
            long start = System.nanoTime();
            int abandoned = detector.detect().abandoned();
            long elapsed = System.nanoTime() - start;
            if (abandoned != DUE) {
                throw new IllegalStateException("expected " + DUE + " abandoned carts, detection found " + abandoned);
            }
            return elapsed;
        }

        /** BLC_ORDER rows [first, first + count), every NOT NULL column filled with a neutral value. */
        private void insertOrders(long customer, long first, int count) throws SQLException {
            try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
                if (first == 1) {
                    sql.execute("INSERT INTO BLC_CUSTOMER (CUSTOMER_ID, USER_NAME" + extraColumns(connection, "blc_customer",
                            "customer_id", "user_name") + ") VALUES (" + customer + ", 'bench'"
                            + extraValues(connection, "blc_customer", "customer_id", "user_name") + ")");
                }
                sql.execute("INSERT INTO BLC_ORDER (ORDER_ID, ORDER_STATUS, CUSTOMER_ID, EMAIL_ADDRESS"
                        + extraColumns(connection, "blc_order", "order_id", "order_status", "customer_id", "email_address")
                        + ") SELECT g, CASE WHEN g >= " + firstDueOrMax(first) + " THEN 'IN_PROCESS' ELSE 'SUBMITTED' END, "
                        + customer + ", 'o' || g || '@example.com'"
                        + extraValues(connection, "blc_order", "order_id", "order_status", "customer_id", "email_address")
                        + " FROM generate_series(" + first + ", " + (first + count - 1) + ") g");
            }
        }

        private long firstDueOrMax(long first) {
            return first == 1 ? Long.MAX_VALUE : first;
        }

        private static String extraColumns(Connection connection, String table, String... given) throws SQLException {
            StringBuilder columns = new StringBuilder();
            for (String[] column : requiredColumns(connection, table, given)) {
                columns.append(", ").append(column[0]);
            }
            return columns.toString();
        }

        private static String extraValues(Connection connection, String table, String... given) throws SQLException {
            StringBuilder values = new StringBuilder();
            for (String[] column : requiredColumns(connection, table, given)) {
                values.append(", ").append(column[1]);
            }
            return values.toString();
        }

        private static List<String[]> requiredColumns(Connection connection, String table, String... given) throws SQLException {
            List<String[]> required = new ArrayList<>();
            DatabaseMetaData metaData = connection.getMetaData();
            try (ResultSet columns = metaData.getColumns(null, null, table, null)) {
                while (columns.next()) {
                    String name = columns.getString("COLUMN_NAME").toLowerCase(Locale.ROOT);
                    if (Arrays.asList(given).contains(name) || columns.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls
                            || columns.getString("COLUMN_DEF") != null) {
                        continue;
                    }
                    required.add(new String[] {name, neutral(columns.getInt("DATA_TYPE"))});
                }
            }
            return required;
        }

        private static String neutral(int type) {
            switch (type) {
                case Types.BIT:
                case Types.BOOLEAN:
                    return "false";
                case Types.CHAR:
                case Types.VARCHAR:
                    return "'x'";
                case Types.TIMESTAMP:
                case Types.DATE:
                    return "now()";
                default:
                    return "0";
            }
        }
    }

    // ---------------------------------------------------------------- statistics

    static double median(List<Long> nanos) {
        return percentile(nanos, 0.5);
    }

    static double percentile(List<Long> nanos, double p) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1))) / 1_000_000.0;
    }

    private static String millis(List<Long> nanos) {
        StringBuilder text = new StringBuilder();
        for (Long value : nanos) {
            text.append(text.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.0f", value / 1_000_000.0));
        }
        return text.toString();
    }
}
