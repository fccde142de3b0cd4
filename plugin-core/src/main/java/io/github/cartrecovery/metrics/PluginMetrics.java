package io.github.cartrecovery.metrics;

import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.transaction.support.TransactionSynchronizationAdapter;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.jmx.JmxConfig;
import io.micrometer.jmx.JmxMeterRegistry;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;

/**
 * The plugin's meters, by name, on one Micrometer registry exposed two ways: JMX (domain
 * {@code cartrecovery.metrics.jmx-domain}, as Broadleaf's own beans are) and the Prometheus text format
 * ({@link #scrape()}, served at {@code /cart-recovery/metrics}). Bean {@code crMetrics}; docs/operating.md lists
 * every meter.
 *
 * <p>Counters move where the story happens (capture, detection, planning, delivery, tracking, attribution), after the
 * transaction that records the event commits, so a rolled-back batch counts nothing. Incrementing costs no database
 * round trip. The backlog age gauge reads the database at most once every {@code cartrecovery.metrics.backlog-refresh-seconds},
 * whatever the scrape rate. Meters are per node (each JVM counts what it did); sum them across nodes.
 *
 * <p>Several plugin contexts in one JVM (tests, two nodes of the reliability suite, a storefront and an admin webapp
 * without separate MBean servers) each get their own JMX domain: the configured one if free, else {@code domain-2},
 * {@code domain-3}...
 */
public class PluginMetrics implements AutoCloseable {

    public static final String CARTS_CAPTURED = "cartrecovery.carts.captured";
    public static final String CAPTURE_REJECTED = "cartrecovery.capture.rejected";
    public static final String CARTS_ABANDONED = "cartrecovery.carts.abandoned";
    public static final String CARTS_EXCLUDED = "cartrecovery.carts.excluded";
    public static final String MESSAGES_PLANNED = "cartrecovery.messages.planned";
    public static final String MESSAGES_SENT = "cartrecovery.messages.sent";
    public static final String MESSAGES_SKIPPED = "cartrecovery.messages.skipped";
    public static final String MESSAGES_FAILED = "cartrecovery.messages.failed";
    public static final String MESSAGES_UNCONFIRMED = "cartrecovery.messages.unconfirmed";
    public static final String MESSAGES_OPENED = "cartrecovery.messages.opened";
    public static final String MESSAGES_CLICKED = "cartrecovery.messages.clicked";
    public static final String CARTS_RECOVERED = "cartrecovery.carts.recovered";
    public static final String REVENUE_RECOVERED = "cartrecovery.revenue.recovered";
    public static final String JOB_RUNS = "cartrecovery.job.runs";
    public static final String CHANNEL_SEND = "cartrecovery.channel.send";
    public static final String CAPTURE_BUFFER_SIZE = "cartrecovery.capture.buffer.size";
    public static final String BACKLOG_AGE = "cartrecovery.messages.backlog.age";

    private static final Log LOG = LogFactory.getLog(PluginMetrics.class);

    private final CompositeMeterRegistry registry = new CompositeMeterRegistry();
    /**
     * The meters counted for every message sent, by channel (and outcome), looked up once: building and registering a
     * meter again for each message (its tags normalised by a regular expression, its id looked up in the registry)
     * was about 2.5% of a sending thread's CPU in the delivery benchmark.
     */
    private final ConcurrentMap<String, Counter> sentCounters = new ConcurrentHashMap<String, Counter>();
    private final ConcurrentMap<String, Timer> sendTimers = new ConcurrentHashMap<String, Timer>();
    private final PrometheusMeterRegistry prometheus;
    private final JmxMeterRegistry jmx;
    private final String jmxDomain;
    private final Duration backlogRefresh;

    /**
     * @param wantedJmxDomain       the JMX domain wanted (a taken one gets a suffix); empty: no JMX
     * @param backlogRefreshSeconds how often at most the backlog gauge reads the database
     */
    public PluginMetrics(String wantedJmxDomain, int backlogRefreshSeconds) {
        if (backlogRefreshSeconds < 1) {
            throw new IllegalArgumentException("cartrecovery.metrics.backlog-refresh-seconds must be at least 1, was "
                    + backlogRefreshSeconds);
        }
        this.backlogRefresh = Duration.ofSeconds(backlogRefreshSeconds);
        prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.add(prometheus);
        String domain = wantedJmxDomain == null ? "" : wantedJmxDomain.trim();
        if (domain.isEmpty()) {
            jmx = null;
            this.jmxDomain = null;
        } else {
            final String free = freeDomain(domain);
            this.jmxDomain = free;
            jmx = new JmxMeterRegistry(new JmxConfig() {
                @Override
                public String get(String key) {
                    return null;
                }

                @Override
                public String domain() {
                    return free;
                }
            }, io.micrometer.core.instrument.Clock.SYSTEM);
            registry.add(jmx);
            if (!free.equals(domain)) {
                LOG.info("Cart Recovery metrics: JMX domain " + domain + " is taken in this JVM; using " + free);
            }
        }
        // the counters an operator alerts on exist from the start (at zero), so a rate() has a baseline
        counter(MESSAGES_UNCONFIRMED, "Messages whose fate is unknown (UNCONFIRMED, never retried)");
        counter(CARTS_ABANDONED, "Carts detected abandoned");
        counter(CARTS_CAPTURED, "Cart changes written to CR_CAPTURED_CART");
        counter(CAPTURE_REJECTED, "Captured carts the database refused (CR_CAPTURE_REJECTION)");
        counter(MESSAGES_OPENED, "Opens of recovery emails (first per replay slot)");
        counter(MESSAGES_CLICKED, "Clicks on recovery links (first per replay slot)");
    }

    /** Meters kept in memory only (no JMX, still scrapeable): unit tests and classes built without Spring. */
    public static PluginMetrics inMemory() {
        return new PluginMetrics("", 30);
    }

    /** The registry every meter lives on (for tests, or a store adding its own registry, e.g. a StatsD one). */
    public MeterRegistry registry() {
        return registry;
    }

    /** The JMX domain of this context's meters, or null without JMX. */
    public String jmxDomain() {
        return jmxDomain;
    }

    /** Every meter in the Prometheus text exposition format 0.0.4. */
    public String scrape() {
        return prometheus.scrape();
    }

    // ----- capture -----

    /** {@code count} cart observations written by capture (a cart counts once per flush in which it changed). */
    public void cartsCaptured(int count) {
        if (count > 0) {
            counter(CARTS_CAPTURED, null).increment(count);
        }
    }

    /** A captured cart (or a consent statement) the database refused. */
    public void captureRejected() {
        counter(CAPTURE_REJECTED, null).increment();
    }

    /** The capture buffer's pending carts, read at each scrape (an in-memory count). */
    public void watchCaptureBuffer(Supplier<Number> pendingCarts) {
        Gauge.builder(CAPTURE_BUFFER_SIZE, pendingCarts).description("Carts waiting in this node's capture buffer")
                .register(registry);
    }

    // ----- detection -----

    public void cartAbandoned() {
        afterCommit(() -> counter(CARTS_ABANDONED, null).increment());
    }

    /** An idle cart excluded from recovery, by the exclusion rule's reason. */
    public void cartExcluded(String reason) {
        afterCommit(() -> Counter.builder(CARTS_EXCLUDED).description("Idle carts excluded from recovery, by rule")
                .tag("reason", tagValue(reason)).register(registry).increment());
    }

    // ----- messages -----

    public void messagePlanned(String channel) {
        afterCommit(() -> Counter.builder(MESSAGES_PLANNED).description("Messages planned, by channel")
                .tag("channel", tagValue(channel)).register(registry).increment());
    }

    /** The channel accepted the message (counted as it happens: it left, whatever the database says later). */
    public void messageSent(String channel) {
        sentCounters.computeIfAbsent(String.valueOf(channel), key -> Counter.builder(MESSAGES_SENT)
                .description("Messages the channel accepted, by channel").tag("channel", tagValue(channel))
                .register(registry)).increment();
    }

    public void messageSkipped(String reason) {
        afterCommit(() -> Counter.builder(MESSAGES_SKIPPED).description("Messages not sent because of an exit rule, by reason")
                .tag("reason", tagValue(reason)).register(registry).increment());
    }

    /** FAILED with its outcome (PERMANENT, TOO_MANY_ATTEMPTS, PREPARE_ERROR). */
    public void messageFailed(String outcome) {
        afterCommit(() -> Counter.builder(MESSAGES_FAILED).description("Messages that ended FAILED")
                .tag("outcome", tagValue(outcome)).register(registry).increment());
    }

    public void messagesUnconfirmed(final int count) {
        if (count > 0) {
            afterCommit(() -> counter(MESSAGES_UNCONFIRMED, null).increment(count));
        }
    }

    public void messageOpened() {
        afterCommit(() -> counter(MESSAGES_OPENED, null).increment());
    }

    public void messageClicked() {
        afterCommit(() -> counter(MESSAGES_CLICKED, null).increment());
    }

    /** One hand-over to a channel (an SMTP transaction for email): how long it took and how it ended. */
    public void channelSend(String channel, String outcome, long nanos) {
        sendTimers.computeIfAbsent(channel + "\u0000" + outcome, key -> Timer.builder(CHANNEL_SEND)
                .description("Hand-overs to a channel (SMTP for email): latency and outcome")
                .tag("channel", tagValue(channel)).tag("outcome", tagValue(outcome)).register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * The age of the oldest due, unsent message, read through {@code oldestDue} (null: none due) at most once every
     * {@code cartrecovery.metrics.backlog-refresh-seconds}; between reads the gauge shows the last value.
     */
    public void watchBacklog(Callable<Instant> oldestDue, Clock clock) {
        BacklogAge age = new BacklogAge(oldestDue, clock, backlogRefresh);
        Gauge.builder(BACKLOG_AGE, age, BacklogAge::seconds).strongReference(true).baseUnit("seconds")
                .description("Age of the oldest due message not sent yet (0 when none), read at most every "
                        + backlogRefresh.getSeconds() + " s").register(registry);
    }

    // ----- attribution -----

    /** An order credited to a recovery message, with its revenue in its own currency. */
    public void cartRecovered(String currency, final BigDecimal amount) {
        final String code = currency == null || currency.trim().isEmpty() ? "unknown" : currency.trim().toUpperCase(Locale.ROOT);
        afterCommit(() -> {
            Counter.builder(CARTS_RECOVERED).description("Orders credited to a recovery message, by currency")
                    .tag("currency", code).register(registry).increment();
            if (amount != null) {
                Counter.builder(REVENUE_RECOVERED).description("Revenue of recovered orders, by currency")
                        .tag("currency", code).register(registry).increment(amount.doubleValue());
            }
        });
    }

    // ----- jobs -----

    /** One run of a scheduled job on this node. */
    public void jobRun(String job, boolean succeeded, long nanos) {
        Timer.builder(JOB_RUNS).description("Runs of the plugin's scheduled jobs on this node: duration and outcome")
                .tag("job", tagValue(job)).tag("outcome", succeeded ? "succeeded" : "failed")
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        registry.close();
        prometheus.close();
        if (jmx != null) {
            jmx.close(); // unregisters this context's MBeans
        }
    }

    // -----

    private Counter counter(String name, String description) {
        Counter.Builder builder = Counter.builder(name);
        if (description != null) {
            builder.description(description);
        }
        return builder.register(registry);
    }

    /** Runs {@code increment} once the current transaction commits (at once when there is none). */
    static void afterCommit(final Runnable increment) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronizationAdapter() {
                @Override
                public void afterCommit() {
                    increment.run();
                }
            });
        } else {
            increment.run();
        }
    }

    private static final java.util.regex.Pattern NOT_TAG = java.util.regex.Pattern.compile("[^a-z0-9]+");

    /** Label values stay short and stable: lower case, words joined by '_'. */
    static String tagValue(String value) {
        if (value == null || value.trim().isEmpty()) {
            return "none";
        }
        String tag = NOT_TAG.matcher(value.trim().toLowerCase(Locale.ROOT)).replaceAll("_");
        return tag.length() > 40 ? tag.substring(0, 40) : tag;
    }

    /** The wanted domain if no MBean uses it yet, else the first free {@code wanted-n}. */
    private static String freeDomain(String wanted) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        for (int n = 1; ; n++) {
            String candidate = n == 1 ? wanted : wanted + "-" + n;
            try {
                if (server.queryNames(new ObjectName(candidate + ":*"), null).isEmpty()) {
                    return candidate;
                }
            } catch (MalformedObjectNameException e) {
                throw new IllegalArgumentException("cartrecovery.metrics.jmx-domain is not a valid JMX domain: " + wanted, e);
            }
        }
    }

    /** The backlog age, refreshed from the database at most once per period. */
    private static final class BacklogAge {
        private final Callable<Instant> oldestDue;
        private final Clock clock;
        private final Duration refresh;
        private Instant readAt;
        private double seconds;

        BacklogAge(Callable<Instant> oldestDue, Clock clock, Duration refresh) {
            this.oldestDue = oldestDue;
            this.clock = clock;
            this.refresh = refresh;
        }

        synchronized double seconds() {
            Instant now = clock.instant();
            if (readAt == null || !now.isBefore(readAt.plus(refresh))) {
                readAt = now;
                try {
                    Instant oldest = oldestDue.call();
                    seconds = oldest == null || !oldest.isBefore(now) ? 0 : Duration.between(oldest, now).toMillis() / 1000.0;
                } catch (Exception e) {
                    LOG.warn("Cart Recovery metrics: could not read the message backlog (" + e.getClass().getName() + ")");
                    seconds = Double.NaN;
                }
            }
            return seconds;
        }
    }
}
