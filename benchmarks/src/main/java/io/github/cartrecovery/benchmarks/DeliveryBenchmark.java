package io.github.cartrecovery.benchmarks;

import java.io.IOException;
import java.math.BigDecimal;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import javax.mail.Address;
import javax.mail.Session;
import javax.mail.Transport;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import javax.sql.DataSource;

import org.broadleafcommerce.core.order.domain.Order;
import org.springframework.jdbc.core.JdbcTemplate;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.user.UserManager;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.github.cartrecovery.campaign.RecoveryPlanner;
import io.github.cartrecovery.capture.CaptureBuffer;
import io.github.cartrecovery.delivery.DeliveryTimings;
import io.github.cartrecovery.delivery.MessageDelivery;
import io.github.cartrecovery.delivery.RecoveryMessageBuilder;
import io.github.cartrecovery.delivery.RecoveryPreview;
import io.github.cartrecovery.delivery.SmtpMailer;
import io.github.cartrecovery.rendering.CartLine;
import io.github.cartrecovery.rendering.EmailRenderer;
import io.github.cartrecovery.rendering.RecoveryCart;
import io.github.cartrecovery.rendering.RenderedEmail;
import io.github.cartrecovery.testing.PluginContext;
import io.github.cartrecovery.testing.Store;

/**
 * benchmarks/run delivery
 * <p>
 * Messages per second end to end: the plugin's {@link MessageDelivery#deliverDue(int)} in batches, as the
 * delivery job runs it (claim, exit rules against Broadleaf's tables, render with Thymeleaf, build the MIME
 * message, send, record SENT and its event), against a bare loop that sends one pre-rendered recovery
 * message again and again with plain javax.mail over one reused connection, each to a new recipient as the
 * plugin's messages are. Both send to the same SMTP sink
 * (GreenMail, in this JVM, on a loopback port) from one Broadleaf; rounds alternate which variant goes first.
 * The sink is emptied of messages and mailboxes after every half, so it costs the same in every round.
 * Both variants are warmed up until the JIT compiler has settled (steady state, as in a store's JVM that has
 * run for a while), and the table shows how busy the compiler still was in each variant's rounds. The JVM's
 * heap is fixed and pre-touched (benchmarks/pom.xml): a heap that G1 grows again after each half's System.gc()
 * made whichever half paid for the growth (the plugin's, which allocates more) up to three times slower.
 * Goal: the plugin reaches at least 70% of the bare loop and at least 300 messages/s.
 * <p>
 * The due messages are real planned messages: one cart is built through Broadleaf's services and captured,
 * then cloned row by row (BLC_ORDER, BLC_ORDER_ITEM, CR_CAPTURED_CART, CR_CAPTURED_CART_ITEM) with its own
 * order id and email, abandoned, and planned by {@link RecoveryPlanner#planDue()}.
 * Database: HSQLDB, or PostgreSQL with {@code benchmarks/run delivery -Dbenchmark.db=postgresql}.
 */
final class DeliveryBenchmark implements Benchmarks.Benchmark {

    /** Rounds per variant (-Dcartrecovery.benchmark.rounds; 8 unless a loaded machine needs shorter runs). */
    static final int ROUNDS = Integer.getInteger("cartrecovery.benchmark.rounds", 8);
    static final int MESSAGES_PER_ROUND = 1_000;
    /** Warm-up: halves of this many messages per variant, at least MIN messages per variant and at most MAX long... */
    static final int WARM_UP_HALF = 250;
    static final int MIN_WARM_UP = 1_000;
    static final Duration MAX_WARM_UP = Duration.ofSeconds(Long.getLong("cartrecovery.benchmark.max-warm-up-seconds", 300));
    /** ...until the JIT compiler's threads were busy for less than this share of a warm-up round's time... */
    static final double SETTLED_JIT_SHARE = 0.05;
    /** ...in this many warm-up rounds in a row. */
    static final int QUIET_ROUNDS = 3;
    /** The delivery job's default batch (cartrecovery.delivery.batch-size). */
    static final int BATCH = Integer.getInteger("cartrecovery.benchmark.batch", 50);
    static final long FIRST_CLONE_ID = 900_000_000L;
    /** The hand-over window of the configuration the goal is judged at (-Dbenchmark.window). */
    static final int WINDOW = Integer.getInteger("cartrecovery.benchmark.window", 1);
    /** The senders of the configuration the goal is judged at (-Dbenchmark.senders). */
    static final int SENDERS = Integer.getInteger("cartrecovery.benchmark.senders", 4);

    /** One plugin configuration measured: senders per channel and hand-over window. */
    record Config(int senders, int window) {
        String label() {
            return "plugin s=" + senders + " w=" + window;
        }

        int crashBound() {
            return senders * window;
        }
    }

    @Override
    public void run() throws Exception {
        String db = System.getProperty("cartrecovery.benchmark.db", "hsqldb");
        System.setProperty("cartrecovery.test.db", db);
        int port = freePort();
        GreenMail sink = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        sink.start();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("cartrecovery.delivery.smtp.host", "127.0.0.1");
        properties.put("cartrecovery.delivery.smtp.port", String.valueOf(port));
        properties.put("cartrecovery.delivery.smtp.security", "NONE");
        try (PluginContext broadleaf = PluginContext.boot(List.of("bl-cartrecovery-applicationContext.xml"), properties)) {
            MessageDelivery delivery = broadleaf.bean("crMessageDelivery", MessageDelivery.class);
            int carts = 2 * MESSAGES_PER_ROUND; // sent messages are planned again after each part
            long setupStart = System.nanoTime();
            DueMessages due = new DueMessages(broadleaf, carts);
            // PostgreSQL: only the CPU of this database's connections counts (other clients share the server)
            String database = db.startsWith("postgres") ? due.jdbc.queryForObject("SELECT current_database()", String.class) : null;
            due.vacuum(); // the statistics and clean pages a store's autovacuum keeps
            System.out.printf(Locale.ROOT, "%nset up %d due messages in %.1f s (%s)%n", due.count,
                    (System.nanoTime() - setupStart) / 1e9, db);
            BareLoop bare = new BareLoop(port, due.prerendered(broadleaf));

            // Warm-up, not recorded: alternating halves of both paths, the plugin's in each measured configuration in
            // turn, until the JIT compiler has settled. After the boot it spends a core for minutes on Broadleaf,
            // Hibernate, Thymeleaf and HSQLDB code; a store's JVM is long past that, so the rounds measure steady state.
            // The warm-up's sent messages are planned again after each half (outside the timing), so warming up longer
            // needs no more carts. The measured configurations: one sender at window 1 (the default), one sender with a
            // window of 8, and the configuration the goal is judged at.
            List<Config> configs = new ArrayList<>(List.of(new Config(1, 1), new Config(1, 8)));
            Config judged = new Config(SENDERS, WINDOW);
            if (!configs.contains(judged)) {
                configs.add(judged);
            }
            int warmed = 0;
            int quietRounds = 0;
            double jitShare = 1;
            long warmStart = System.nanoTime();
            while (warmed < MIN_WARM_UP
                    || (quietRounds < QUIET_ROUNDS && System.nanoTime() - warmStart < MAX_WARM_UP.toNanos())) {
                // each warm-up round runs the next configuration: every one the rounds measure gets its code paths (the
                // senders' threads, the windows' statements) compiled, so the rounds do not pay for recompiling
                Config warming = configs.get((warmed / WARM_UP_HALF) % configs.size());
                delivery.setSenders(warming.senders());
                delivery.setHandOverWindow(warming.window());
                long jitStart = jitMillis();
                long start = System.nanoTime();
                deliver(delivery, WARM_UP_HALF);
                bare.ready();
                bare.send(WARM_UP_HALF);
                jitShare = (jitMillis() - jitStart) / ((System.nanoTime() - start) / 1e6);
                quietRounds = jitShare < SETTLED_JIT_SHARE ? quietRounds + 1 : 0;
                resetSink(sink, 2 * WARM_UP_HALF);
                due.planSentAgain();
                due.vacuum();
                warmed += WARM_UP_HALF;
            }
            System.out.printf(Locale.ROOT, "warm-up: %d messages per variant in %.0f s; the JIT compiler was busy %.0f%% "
                    + "of the last warm-up round (settled: below %.0f%% in %d rounds in a row; or stop after %d s)%n", warmed,
                    (System.nanoTime() - warmStart) / 1e9, jitShare * 100, SETTLED_JIT_SHARE * 100, QUIET_ROUNDS, MAX_WARM_UP.getSeconds());

            // variants: the plugin at each hand-over window, and the bare loop; each round runs them all, in an order
            // that rotates, so none always runs on a warmer JVM
            Map<Config, long[]> threadTimes = new LinkedHashMap<>();
            Map<Config, List<double[]>> pluginRuns = new LinkedHashMap<>();
            for (Config config : configs) {
                pluginRuns.put(config, new ArrayList<>());
            }
            List<double[]> bareRuns = new ArrayList<>();
            Map<Config, long[]> activity = new LinkedHashMap<>(); // PostgreSQL's statistics over each plugin part of round 0
            Map<Config, String> sequentialTables = new HashMap<>(); // the tables those sequential scans read
            long[] vacuumNanos = new long[2]; // DB CPU of re-planning and vacuuming after plugin parts, and their messages
            int variants = configs.size() + 1;
            for (int round = 0; round < ROUNDS; round++) {
                for (int part = 0; part < variants; part++) {
                    int variant = (round + part) % variants; // 0..configs-1: the plugin so configured; last: bare
                    boolean plugin = variant < configs.size();
                    Config config = plugin ? configs.get(variant) : null;
                    if (plugin) {
                        delivery.setSenders(config.senders());
                        delivery.setHandOverWindow(config.window());
                        delivery.timings().reset();
                    }
                    if (!plugin) {
                        bare.ready();
                    }
                    // each part starts with an empty young generation, so none pays for another's garbage
                    System.gc();
                    long cpuStart = processCpuNanos();
                    boolean counting = plugin && round == 0 && database != null;
                    long[] activityStart = counting ? due.activity() : null;
                    Map<String, Long> seqStart = counting ? due.sequentialReads() : null;
                    Map<String, Long> dbCpuStart = DatabaseServerCpu.ticks(db, database);
                    long jitStart = jitMillis();
                    long start = System.nanoTime();
                    int sent = plugin ? deliver(delivery, MESSAGES_PER_ROUND) : bare.send(MESSAGES_PER_ROUND);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
                    double jitSeconds = (jitMillis() - jitStart) / 1e3;
                    double dbCpuSeconds = DatabaseServerCpu.nanosSince(dbCpuStart, db, database) / 1e9;
                    if (counting) {
                        long[] end = due.activity();
                        long[] delta = new long[end.length];
                        for (int i = 0; i < end.length; i++) {
                            delta[i] = end[i] - activityStart[i];
                        }
                        activity.put(config, delta);
                        sequentialTables.put(config, DueMessages.mostRead(seqStart, due.sequentialReads(), MESSAGES_PER_ROUND));
                    }
                    resetSink(sink, sent);
                    (plugin ? pluginRuns.get(config) : bareRuns).add(new double[] {sent, seconds, cpuSeconds, jitSeconds, dbCpuSeconds});
                    if (plugin) {
                        DeliveryTimings t = delivery.timings();
                        long[] sum = threadTimes.computeIfAbsent(config, c -> new long[6]);
                        sum[0] += t.waitingForPreparationNanos();
                        sum[1] += t.committingHandOversNanos();
                        sum[2] += t.handingOverNanos();
                        sum[3] += t.preparingNanos();
                        sum[4] += t.handOverCommits();
                        sum[5] += t.handedOver();
                        int recorded = due.sentCount();
                        if (recorded != sent) {
                            throw new IllegalStateException("expected " + sent + " planned messages recorded SENT, found " + recorded);
                        }
                        Map<String, Long> vacuumStart = DatabaseServerCpu.ticks(db, database);
                        due.planSentAgain(); // the next plugin part finds as many due messages (outside the timing)
                        due.vacuum();
                        vacuumNanos[0] += DatabaseServerCpu.nanosSince(vacuumStart, db, database);
                        vacuumNanos[1] += sent;
                    }
                }
            }
            delivery.setSenders(1);
            delivery.setHandOverWindow(1);
            Breakdown breakdown = new Breakdown(broadleaf, due, bare, sink);
            bare.close();
            double bareRate = rate(bareRuns);
            Config one = configs.get(0);
            double pluginRate = rate(pluginRuns.get(judged));
            double ratio = pluginRate / bareRate;
            double cpuPlugin = cpuPerMessage(pluginRuns.get(judged));
            double cpuOne = cpuPerMessage(pluginRuns.get(one));
            boolean goal = ratio >= 0.70 && pluginRate >= 300;
            System.out.println();
            System.out.println("Recovery emails to a local SMTP sink (GreenMail, same JVM), " + ROUNDS + " rounds x "
                    + MESSAGES_PER_ROUND + " messages per variant, in rotating order, " + db + ", batches of " + BATCH);
            System.out.println("'plugin s=S w=W' = MessageDelivery.deliverBatch with cartrecovery.delivery.senders=S (each its own SMTP "
                    + "connection and share of a batch) and hand-over-window=W: claim, exit rules, render, build, send, record SENT; "
                    + "one commit per W hand-overs per sender;");
            System.out.println("'bare'       = one pre-rendered recovery message sent with plain javax.mail over one connection, a new recipient each time.");
            System.out.println("crash bound = messages a node killed mid-send can leave UNCONFIRMED (maybe arrived, never sent again), per channel: S x W.");
            System.out.println("CPU = this JVM's CPU time (all threads: plugin, SMTP sink, bare loop) while the variant ran; "
                    + "JIT = of it, the compiler's. The sink is emptied of messages and mailboxes after each part.");
            System.out.println("DB CPU = the database server's processes' CPU time (from /proc; 0 for HSQLDB, which runs in this JVM; "
                    + "PostgreSQL: only the backends of this benchmark's database, not the server's WAL writer or checkpointer). "
                    + "CPU ceiling = the messages/s this machine's " + CORES + " cores could reach if every one were busy with this "
                    + "variant's JVM and database CPU per message, and nothing else.");
            System.out.println("| variant          | crash bound | messages | seconds | messages/s | vs bare | CPU ms/message | DB CPU ms/message | JIT ms/message | CPU cores | CPU ceiling (messages/s) | per round (messages/s)                        |");
            System.out.println("|------------------|-------------|----------|---------|------------|---------|----------------|-------------------|----------------|-----------|--------------------------|-----------------------------------------------|");
            for (Map.Entry<Config, List<double[]>> variant : pluginRuns.entrySet()) {
                row(variant.getKey().label(), String.valueOf(variant.getKey().crashBound()), variant.getValue(), bareRate);
            }
            row("bare", "-", bareRuns, bareRate);
            System.out.printf(Locale.ROOT, "%s / bare: %.3f (goal >= 0.70), %.0f messages/s (goal >= 300), crash bound %d; "
                    + "CPU per message %.2f ms vs %.2f ms with one sender and window 1; its CPU ceiling on %d cores: %.0f messages/s "
                    + "= %.3f of bare%n", judged.label(), ratio, pluginRate, judged.crashBound(), cpuPlugin, cpuOne, CORES,
                    ceiling(pluginRuns.get(judged)), ceiling(pluginRuns.get(judged)) / bareRate);
            System.out.println("Per message handed over, summed over the senders: waiting for the chunk being prepared | hand-over "
                    + "commits (SENT + SENDING marks) | in the channel (SMTP); preparing threads: preparing (claimed rows, exit rules, "
                    + "carts, coupons, render, PREPARED marks)");
            for (Map.Entry<Config, long[]> times : threadTimes.entrySet()) {
                long[] t = times.getValue();
                double per = Math.max(1, t[5]) * 1e6;
                System.out.printf(Locale.ROOT, "  %s: waiting %.3f | commits %.3f (%d commits) | channel %.3f || preparing %.3f%n",
                        times.getKey().label(), t[0] / per, t[1] / per, t[4], t[2] / per, t[3] / per);
            }
            breakdown.print();
            if (!activity.isEmpty()) {
                System.out.printf(Locale.ROOT, "PostgreSQL's statistics per message (round 0; pg_stat_database and pg_stat_user_tables of "
                        + "this database, read after their 10 s flush): commits | rows inserted | rows updated (of them HOT) | rows deleted | "
                        + "index scans | sequential scans | rows read by sequential scans%n");
                for (Map.Entry<Config, long[]> counts : activity.entrySet()) {
                    long[] c = counts.getValue();
                    double per = MESSAGES_PER_ROUND;
                    System.out.printf(Locale.ROOT, "  %s: %.2f | %.2f | %.2f (%.2f) | %.2f | %.2f | %.3f | %.1f%n", counts.getKey().label(),
                            c[0] / per, c[1] / per, c[2] / per, c[3] / per, c[4] / per, c[5] / per, c[6] / per, c[7] / per);
                    System.out.printf(Locale.ROOT, "    rows read by sequential scans per message, by table: %s%n",
                            sequentialTables.get(counts.getKey()));
                }
                System.out.printf(Locale.ROOT, "Between plugin parts (outside the timing), planning the sent messages again and VACUUM "
                        + "ANALYZE of the tables they touch (the work of a store's autovacuum; this server has it %s): %.2f ms of DB CPU "
                        + "per message%n", due.jdbc.queryForObject("SHOW autovacuum", String.class),
                        vacuumNanos[0] / 1e6 / Math.max(1, vacuumNanos[1]));
            }
            System.out.printf(Locale.ROOT, "RESULT delivery plugin_msgs_per_s=%.1f bare_msgs_per_s=%.1f ratio=%.3f senders=%d window=%d "
                    + "crash_bound=%d plugin_cpu_ms_per_msg=%.2f one_sender_window1_msgs_per_s=%.1f one_sender_window1_ratio=%.3f "
                    + "one_sender_window1_cpu_ms_per_msg=%.2f cpu_ceiling_msgs_per_s=%.0f cores=%d db=%s goal_met=%s%n",
                    pluginRate, bareRate, ratio, judged.senders(), judged.window(), judged.crashBound(), cpuPlugin,
                    rate(pluginRuns.get(one)), rate(pluginRuns.get(one)) / bareRate, cpuOne, ceiling(pluginRuns.get(judged)), CORES, db, goal);
        } finally {
            sink.stop();
        }
    }

    /**
     * Where a message's CPU goes, measured after the rounds on one thread each: the two pieces of the
     * plugin's work that need no database (render step one's template, HTML and text parts, with Thymeleaf for a
     * two-line cart; build the MIME
     * message with Commons Email and encode it) against one message of the bare loop (this JVM's CPU, so
     * the sink's share included). Printed under the table so a reader sees what bounds the ratio.
     */
    private static final class Breakdown {
        static final int MESSAGES = 1_000;
        final double renderMicros;
        final double buildMicros;
        final double bareMicros;

        Breakdown(PluginContext broadleaf, DueMessages due, BareLoop bare, GreenMail sink) throws Exception {
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            EmailRenderer renderer = broadleaf.bean("crEmailRenderer", EmailRenderer.class);
            RecoveryMessageBuilder builder = broadleaf.bean("crRecoveryMessageBuilder", RecoveryMessageBuilder.class);
            javax.mail.Session session = broadleaf.bean("crSmtpMailer", SmtpMailer.class).session();
            String template = due.stepOneTemplate();
            RecoveryCart cart = new RecoveryCart("Alex", "en_US", "USD", List.of(
                    new CartLine("Enamel Mug", 2, new BigDecimal("12.50"), new BigDecimal("12.50"), null, null),
                    new CartLine("Linen Apron", 1, new BigDecimal("34.00"), new BigDecimal("34.00"), null, null)));
            RenderedEmail rendered = null;
            long start = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < MESSAGES; i++) {
                rendered = renderer.render(template, "Your cart", cart, "https://shop.example.com/restore?t=" + i,
                        "https://shop.example.com/unsubscribe?t=" + i);
            }
            long rendering = threads.getCurrentThreadCpuTime() - start;
            start = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < MESSAGES; i++) {
                builder.build(session, i + 1, "breakdown" + i + "@example.com", rendered).writeTo(OutputStream.nullOutputStream());
            }
            long building = threads.getCurrentThreadCpuTime() - start;
            bare.reconnect(); // idle since the rounds: the sink may have closed the connection
            start = processCpuNanos();
            bare.send(MESSAGES);
            long sending = processCpuNanos() - start;
            resetSink(sink, MESSAGES);
            this.renderMicros = rendering / 1e3 / MESSAGES;
            this.buildMicros = building / 1e3 / MESSAGES;
            this.bareMicros = sending / 1e3 / MESSAGES;
        }

        void print() {
            System.out.printf(Locale.ROOT, "CPU per message, one thread each, %d messages: render (Thymeleaf, HTML + text) "
                    + "%.0f us, build + encode (Commons Email) %.0f us; one bare-loop message (client + sink) %.0f us%n",
                    MESSAGES, renderMicros, buildMicros, bareMicros);
        }
    }

    /** Runs deliverDue in batches, as the delivery job does, until {@code messages} were sent. */
    private static int deliver(MessageDelivery delivery, int messages) {
        int sent = 0;
        while (sent < messages) {
            int batch = delivery.deliverDue(Math.min(BATCH, messages - sent));
            if (batch == 0) {
                throw new IllegalStateException("delivery sent nothing after " + sent + " of " + messages + " messages");
            }
            sent += batch;
        }
        return sent;
    }

    /**
     * Checks the sink got every message of the half just measured, then empties it of messages and of the
     * mailboxes it made for the recipients (outside the timing): GreenMail looks mailboxes up in a list, so
     * a sink left to fill would get slower with every half and both variants would mostly measure that.
     */
    private static void resetSink(GreenMail sink, int expected) throws Exception {
        int received = sink.getReceivedMessages().length;
        if (received != expected) {
            throw new IllegalStateException("the SMTP sink received " + received + " messages, expected " + expected);
        }
        sink.purgeEmailFromAllMailboxes();
        UserManager users = sink.getUserManager();
        for (GreenMailUser user : new ArrayList<>(users.listUser())) {
            users.deleteUser(user);
        }
    }

    /** Time the JIT compiler's threads have spent compiling, in this JVM, so far. */
    private static long jitMillis() {
        return java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    }

    /** CPU time of this JVM (plugin, sink and bare loop all run in it), all threads. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double rate(List<double[]> runs) {
        double messages = 0;
        double seconds = 0;
        for (double[] run : runs) {
            messages += run[0];
            seconds += run[1];
        }
        return messages / seconds;
    }

    private static double cpuPerMessage(List<double[]> runs) {
        double messages = 0;
        double cpu = 0;
        for (double[] run : runs) {
            messages += run[0];
            cpu += run[2];
        }
        return cpu * 1000 / messages;
    }

    private static void row(String variant, String bound, List<double[]> runs, double bareRate) {
        double messages = 0;
        double seconds = 0;
        double cpu = 0;
        double jit = 0;
        double dbCpu = 0;
        StringBuilder perRound = new StringBuilder();
        for (double[] run : runs) {
            messages += run[0];
            seconds += run[1];
            cpu += run[2];
            jit += run[3];
            dbCpu += run[4];
            perRound.append(perRound.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.0f", run[0] / run[1]));
        }
        System.out.printf(Locale.ROOT, "| %-16s | %11s | %8.0f | %7.2f | %10.1f | %7.3f | %14.2f | %17.2f | %14.2f | %9.2f | %24.0f | %-45s |%n",
                variant, bound, messages, seconds, messages / seconds, messages / seconds / bareRate, cpu * 1000 / messages,
                dbCpu * 1000 / messages, jit * 1000 / messages, cpu / seconds, ceiling(runs), perRound);
    }

    /** Messages/s if all of this machine's cores did nothing but this variant's JVM and database work. */
    private static double ceiling(List<double[]> runs) {
        double messages = 0;
        double cpu = 0;
        for (double[] run : runs) {
            messages += run[0];
            cpu += run[2] + run[4];
        }
        return cpu <= 0 ? 0 : CORES * messages / cpu;
    }

    static final int CORES = Runtime.getRuntime().availableProcessors();

    /**
     * CPU time of the database server's processes (PostgreSQL's postgres, MariaDB's mariadbd), summed over /proc; 0
     * for HSQLDB (in this JVM: its CPU is already in the JVM's) or where /proc cannot be read. Other clients of the
     * same server count too: run the benchmark on a quiet machine.
     */
    static final class DatabaseServerCpu {
        private static final long TICK_NANOS = 10_000_000L; // USER_HZ 100, as on every Linux here

        /**
         * CPU time since {@code start} of the processes running now: a process that started meanwhile counts whole, one
         * that ended meanwhile (a pooled connection retired) is left out rather than subtracted.
         */
        static long nanosSince(Map<String, Long> start, String db, String database) {
            long ticks = 0;
            for (Map.Entry<String, Long> now : ticks(db, database).entrySet()) {
                ticks += now.getValue() - start.getOrDefault(now.getKey(), 0L);
            }
            return ticks * TICK_NANOS;
        }

        /**
         * Ticks of CPU time per process id. {@code database}: PostgreSQL, only the backends connected to it (their
         * title names it); null: every process of the server.
         */
        static Map<String, Long> ticks(String db, String database) {
            Map<String, Long> ticks = new HashMap<>();
            String command = db.startsWith("postgres") ? "postgres" : db.startsWith("maria") || db.startsWith("mysql") ? "mariadbd" : null;
            if (command == null) {
                return ticks;
            }
            java.io.File[] processes = new java.io.File("/proc").listFiles((dir, name) -> name.chars().allMatch(Character::isDigit));
            if (processes == null) {
                return ticks;
            }
            for (java.io.File process : processes) {
                try {
                    String stat = java.nio.file.Files.readString(process.toPath().resolve("stat"));
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    if (open < 0 || close < open || !stat.substring(open + 1, close).equals(command)) {
                        continue;
                    }
                    if (database != null && !new String(java.nio.file.Files.readAllBytes(process.toPath().resolve("cmdline")),
                            java.nio.charset.StandardCharsets.UTF_8).contains(" " + database + " ")) {
                        continue;
                    }
                    String[] fields = stat.substring(close + 2).split(" ");
                    ticks.put(process.getName(), Long.parseLong(fields[11]) + Long.parseLong(fields[12])); // utime, stime (fields 14, 15)
                } catch (IOException | RuntimeException gone) {
                    // the process ended meanwhile
                }
            }
            return ticks;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Plain javax.mail: one session, one transport connected once, the same message sent again and again, each
     * time to a new envelope recipient, as the plugin sends each message to its own shopper (the sink then
     * creates as many mailboxes for either variant).
     */
    private static final class BareLoop {
        final Transport transport;
        final MimeMessage message;
        final int port;
        int recipients;

        BareLoop(int port, MimeMessage message) throws Exception {
            Properties properties = new Properties();
            properties.setProperty("mail.smtp.host", "127.0.0.1");
            properties.setProperty("mail.smtp.port", String.valueOf(port));
            // TCP_NODELAY, as the plugin's SmtpMailer: without it each 10 KB message waits for the sink's delayed ACK
            properties.put("mail.smtp.socketFactory", new NoDelaySockets());
            this.port = port;
            this.transport = Session.getInstance(properties).getTransport("smtp");
            this.transport.connect("127.0.0.1", port, null, null);
            this.message = message;
            this.message.saveChanges();
        }

        /**
         * Before a timed part (outside the timing): the sink closes connections idle for a while, and the plugin's
         * parts between two bare parts may take that long on a slow database; reconnect then, as the plugin does.
         */
        void ready() throws Exception {
            if (!transport.isConnected()) {
                transport.connect("127.0.0.1", port, null, null);
            }
        }

        void reconnect() throws Exception {
            try {
                transport.close();
            } catch (javax.mail.MessagingException alreadyClosed) {
                // the sink closed it first
            }
            transport.connect("127.0.0.1", port, null, null);
        }

        int send(int messages) throws Exception {
            for (int i = 0; i < messages; i++) {
                recipients++;
                transport.sendMessage(message, new Address[] {new InternetAddress("bare" + recipients + "@example.com")});
            }
            return messages;
        }

        void close() throws Exception {
            transport.close();
        }
    }

    /** Unconnected plain sockets with TCP_NODELAY (javax.mail asks for them with createSocket()). */
    private static final class NoDelaySockets extends javax.net.SocketFactory {
        @Override
        public java.net.Socket createSocket() throws IOException {
            java.net.Socket socket = new java.net.Socket();
            socket.setTcpNoDelay(true);
            return socket;
        }

        @Override
        public java.net.Socket createSocket(String host, int port) throws IOException {
            return connect(new java.net.InetSocketAddress(host, port));
        }

        @Override
        public java.net.Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return connect(new java.net.InetSocketAddress(host, port));
        }

        @Override
        public java.net.Socket createSocket(InetAddress host, int port) throws IOException {
            return connect(new java.net.InetSocketAddress(host, port));
        }

        @Override
        public java.net.Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
            return connect(new java.net.InetSocketAddress(address, port));
        }

        private java.net.Socket connect(java.net.InetSocketAddress remote) throws IOException {
            java.net.Socket socket = createSocket();
            socket.connect(remote);
            return socket;
        }
    }

    /** Planned step-one messages due now, one per cart, each cart a clone of one real Broadleaf cart. */
    private static final class DueMessages {
        final JdbcTemplate jdbc;
        final long templateOrderId;
        final int count;

        DueMessages(PluginContext broadleaf, int clones) throws SQLException {
            DataSource dataSource = broadleaf.bean("crDataSource", DataSource.class);
            this.jdbc = new JdbcTemplate(dataSource);
            // the next morning at 10:00 UTC, so step one (one hour later) is outside the default quiet hours
            Instant abandoned = broadleaf.clock().instant().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1))
                    .plus(Duration.ofHours(10));
            broadleaf.clock().set(abandoned);
            Store store = broadleaf.store();
            Order cart = store.cartWithEmail("template@example.com");
            cart = store.add(cart, store.product("Enamel Mug", "12.50"), 2);
            cart = store.add(cart, store.product("Linen Apron", "34.00"), 1);
            broadleaf.bean("crCaptureBuffer", CaptureBuffer.class).flush();
            this.templateOrderId = cart.getId();
            jdbc.update("UPDATE CR_CAPTURED_CART SET STATUS = 'ABANDONED', ABANDONED_AT = ?, LOCALE_CODE = 'en_US', "
                    + "CURRENCY_CODE = 'USD' WHERE ORDER_ID = ?", Timestamp.from(abandoned), templateOrderId);
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                cloneRows(connection, "BLC_ORDER", templateOrderId, clones, null, "EMAIL_ADDRESS");
                cloneRows(connection, "BLC_ORDER_ITEM", templateOrderId, clones, "ORDER_ITEM_ID", null);
                cloneRows(connection, "CR_CAPTURED_CART", templateOrderId, clones, null, "EMAIL");
                cloneRows(connection, "CR_CAPTURED_CART_ITEM", templateOrderId, clones, null, null);
                connection.commit();
            }
            RecoveryPlanner planner = broadleaf.bean("crRecoveryPlanner", RecoveryPlanner.class);
            int planned = 0;
            for (int batch = planner.planDue(); batch > 0; batch = planner.planDue()) {
                planned += batch;
            }
            if (planned != clones + 1) {
                throw new IllegalStateException("planned " + planned + " carts, expected " + (clones + 1));
            }
            Timestamp stepOne = jdbc.queryForObject("SELECT MAX(DUE_AT) FROM CR_PLANNED_MESSAGE WHERE STEP_NO = 1",
                    Timestamp.class);
            broadleaf.clock().set(stepOne.toInstant());
            this.count = jdbc.queryForObject("SELECT COUNT(*) FROM CR_PLANNED_MESSAGE WHERE STATUS = 'PLANNED' AND DUE_AT <= ?",
                    Integer.class, stepOne);
            if (count != clones + 1) {
                throw new IllegalStateException(count + " messages due, expected one per cart (" + (clones + 1) + ")");
            }
        }

        /** The template cart's step-one message, rendered and built once by the plugin's own renderer and builder. */
        MimeMessage prerendered(PluginContext broadleaf) {
            Map<String, Object> message = jdbc.queryForMap("SELECT ID, STEP_ID, EMAIL FROM CR_PLANNED_MESSAGE "
                    + "WHERE ORDER_ID = ? AND STEP_NO = 1", templateOrderId);
            long id = ((Number) message.get("ID")).longValue();
            RenderedEmail rendered = broadleaf.bean("crRecoveryPreview", RecoveryPreview.class)
                    .forCart(((Number) message.get("STEP_ID")).longValue(), templateOrderId);
            return broadleaf.bean("crRecoveryMessageBuilder", RecoveryMessageBuilder.class).build(
                    broadleaf.bean("crSmtpMailer", SmtpMailer.class).session(), id, (String) message.get("EMAIL"), rendered);
        }

        /**
         * PostgreSQL: VACUUM ANALYZE of the tables delivery reads and changes, as a store's autovacuum would keep them
         * (this server may have it off, and then every part would run on the dead rows of all parts before it).
         */
        void vacuum() {
            if (jdbc.queryForObject("SELECT version()", String.class).startsWith("PostgreSQL")) {
                jdbc.execute("VACUUM (ANALYZE) CR_PLANNED_MESSAGE, CR_MESSAGE_EVENT, CR_CAPTURED_CART, CR_CAPTURED_CART_ITEM, "
                        + "BLC_ORDER, BLC_ORDER_ITEM, CR_COUPON");
            }
        }

        /**
         * PostgreSQL's counters for this database, after waiting for every connection's statistics to be flushed
         * (an idle backend flushes them within 10 s): commits, rows inserted, updated, HOT-updated, deleted, index
         * scans, sequential scans, rows read by sequential scans.
         */
        long[] activity() throws InterruptedException {
            Thread.sleep(11_000);
            Map<String, Object> tables = jdbc.queryForMap("SELECT SUM(n_tup_ins) AS ins, SUM(n_tup_upd) AS upd, "
                    + "SUM(n_tup_hot_upd) AS hot, SUM(n_tup_del) AS del, SUM(COALESCE(idx_scan, 0)) AS idx, SUM(seq_scan) AS seq, "
                    + "SUM(seq_tup_read) AS seqrows FROM pg_stat_user_tables");
            long commits = jdbc.queryForObject("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()", Long.class);
            return new long[] {commits, number(tables.get("ins")), number(tables.get("upd")), number(tables.get("hot")),
                number(tables.get("del")), number(tables.get("idx")), number(tables.get("seq")), number(tables.get("seqrows"))};
        }

        /** Rows read by sequential scans so far, per table of this database. */
        Map<String, Long> sequentialReads() {
            Map<String, Long> reads = new HashMap<>();
            for (Map<String, Object> row : jdbc.queryForList("SELECT relname, seq_tup_read FROM pg_stat_user_tables")) {
                reads.put((String) row.get("relname"), number(row.get("seq_tup_read")));
            }
            return reads;
        }

        /** The tables whose sequential scans read the most rows between two readings, per message, most first. */
        static String mostRead(Map<String, Long> before, Map<String, Long> after, int messages) {
            List<Map.Entry<String, Long>> grown = new ArrayList<>();
            for (Map.Entry<String, Long> table : after.entrySet()) {
                long delta = table.getValue() - before.getOrDefault(table.getKey(), 0L);
                if (delta > 0) {
                    grown.add(Map.entry(table.getKey(), delta));
                }
            }
            grown.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
            StringBuilder text = new StringBuilder();
            for (Map.Entry<String, Long> table : grown.subList(0, Math.min(5, grown.size()))) {
                text.append(text.length() == 0 ? "" : ", ").append(table.getKey()).append(' ')
                        .append(String.format(Locale.ROOT, "%.1f", table.getValue() / (double) messages));
            }
            return text.length() == 0 ? "none" : text.toString();
        }

        private static long number(Object value) {
            return value == null ? 0 : ((Number) value).longValue();
        }

        /** The warm-up's SENT messages become due again, as if never sent (their events go too). */
        void planSentAgain() {
            jdbc.update("DELETE FROM CR_MESSAGE_EVENT");
            jdbc.update("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'PLANNED', SENT_AT = NULL, MESSAGE_ID = NULL, "
                    + "CLAIMED_BY = NULL, LEASE_UNTIL = NULL, ATTEMPTS = 0 WHERE STATUS = 'SENT'");
        }

        String stepOneTemplate() {
            return jdbc.queryForObject("SELECT s.TEMPLATE FROM CR_CAMPAIGN_STEP s JOIN CR_PLANNED_MESSAGE m ON m.STEP_ID = s.ID "
                    + "WHERE m.ORDER_ID = ? AND m.STEP_NO = 1", String.class, templateOrderId);
        }

        int sentCount() {
            return jdbc.queryForObject("SELECT COUNT(*) FROM CR_PLANNED_MESSAGE WHERE STATUS = 'SENT'", Integer.class);
        }

        /**
         * Copies the template cart's rows of {@code table} (by ORDER_ID) {@code clones} times: clone i belongs
         * to order FIRST_CLONE_ID + i, gets a fresh key in {@code keyColumn} (when the row has its own) and the
         * address shopperN@example.com in {@code emailColumn} (when given).
         */
        private void cloneRows(Connection connection, String table, long templateId, int clones,
                               String keyColumn, String emailColumn) throws SQLException {
            List<Map<String, Object>> rows = new ArrayList<>();
            List<String> columns = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT * FROM " + table + " WHERE ORDER_ID = ?")) {
                select.setLong(1, templateId);
                try (ResultSet result = select.executeQuery()) {
                    ResultSetMetaData meta = result.getMetaData();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        columns.add(meta.getColumnName(i).toUpperCase(Locale.ROOT));
                    }
                    while (result.next()) {
                        Map<String, Object> row = new LinkedHashMap<>();
                        for (int i = 1; i <= columns.size(); i++) {
                            row.put(columns.get(i - 1), result.getObject(i));
                        }
                        rows.add(row);
                    }
                }
            }
            if (rows.isEmpty()) {
                throw new IllegalStateException("the template cart has no " + table + " row");
            }
            String sql = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                    + String.join(", ", java.util.Collections.nCopies(columns.size(), "?")) + ")";
            try (PreparedStatement insert = connection.prepareStatement(sql)) {
                for (int clone = 0; clone < clones; clone++) {
                    long orderId = FIRST_CLONE_ID + clone;
                    for (int r = 0; r < rows.size(); r++) {
                        Map<String, Object> template = rows.get(r);
                        for (int i = 0; i < columns.size(); i++) {
                            String column = columns.get(i);
                            Object value = template.get(column);
                            if (column.equals("ORDER_ID")) {
                                value = orderId;
                            } else if (column.equals(keyColumn)) {
                                value = FIRST_CLONE_ID + (long) clone * rows.size() + r;
                            } else if (column.equals(emailColumn)) {
                                value = "shopper" + orderId + "@example.com";
                            }
                            insert.setObject(i + 1, value);
                        }
                        insert.addBatch();
                    }
                    if (clone % 500 == 499 || clone == clones - 1) {
                        insert.executeBatch();
                    }
                }
            }
        }
    }
}
