package io.github.cartrecovery.operations;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;

import io.github.cartrecovery.delivery.MessageDelivery;
import io.github.cartrecovery.delivery.SmtpMailer;
import io.github.cartrecovery.scheduling.JobRunLog;
import io.github.cartrecovery.scheduling.ScheduledJob;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;
import io.github.cartrecovery.webhook.WebhookEndpoint;
import io.github.cartrecovery.webhook.WebhookPoster;
import io.github.cartrecovery.webhook.WebhookSigner;
import jakarta.mail.internet.MimeMessage;

/**
 * The operator hears once per incident for the whole cluster, and once more when it is over: two nodes on one
 * database, each running the alert job at the same moments; notices beyond the hourly limit are held back; the
 * webhook carries them signed like the webhook channel's.
 */
@BroadleafWithPlugin
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlertsIT {

    static final List<String> PLUGIN = Collections.singletonList("bl-cartrecovery-applicationContext.xml");
    static final String OPS = "ops@example.com";
    static final String SECRET = "alert-secret-0123456789-abcdefghijklmnop";

    private int smtpPort;
    private GreenMail smtp;
    private PluginContext nodeA;
    private JdbcTemplate jdbc;

    @BeforeAll
    void bootTheFirstNode(PluginContext shared) {
        smtpPort = Messages.freePort();
        smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        nodeA = shared.bootAnotherStore(PLUGIN, settings());
        jdbc = new JdbcTemplate(nodeA.bean("crDataSource", DataSource.class));
    }

    @AfterAll
    void closeTheNode() {
        if (nodeA != null) {
            nodeA.close();
        }
        smtp.stop();
    }

    @BeforeEach
    void anHourApart() throws Exception {
        nodeA.clock().advance(Duration.ofHours(2)); // earlier tests' notices are outside the hourly limit's window
        smtp.purgeEmailFromAllMailboxes();
    }

    private Map<String, String> settings() {
        Map<String, String> settings = new HashMap<>();
        settings.put("cartrecovery.delivery.smtp.host", "127.0.0.1");
        settings.put("cartrecovery.delivery.smtp.port", String.valueOf(smtpPort));
        settings.put("cartrecovery.alerts.email-to", OPS);
        settings.put("cartrecovery.alerts.resolve-after-minutes", "10");
        return settings;
    }

    @Test
    void twoNodesRaiseOneAlertPerIncidentAndOneWhenItIsOver() throws Exception {
        Messages messages = new Messages(nodeA);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (PluginContext nodeB = nodeA.bootAnotherNode(PLUGIN, settings())) {
            List<PluginContext> nodes = Arrays.asList(nodeA, nodeB);
            moveBoth(nodes, Duration.ZERO); // one time on both nodes
            messages.dueNow();
            moveBoth(nodes, Duration.ofMinutes(31)); // the message is late: backlog

            for (int run = 0; run < 3; run++) {
                everyJobRanNow(nodeA);
                alertJobOnBothAtOnce(nodes, threads);
            }
            assertThat(jdbc.queryForList("SELECT INCIDENT_KEY, OPEN_NOTICE FROM CR_INCIDENT WHERE INCIDENT_KEY = 'backlog'"))
                    .hasSize(1).first().satisfies(row -> assertThat(row.get("OPEN_NOTICE")).isEqualTo("SENT"));
            assertThat(alertSubjects("are due and not sent")).hasSize(1).first().asString().contains("incident:");

            nodeA.bean("crMessageDelivery", MessageDelivery.class).deliverDue(50); // the backlog is sent
            everyJobRanNow(nodeA);
            alertJobOnBothAtOnce(nodes, threads);
            assertThat(alertSubjects("are due and not sent")).as("not over until clear for 10 minutes").hasSize(1);

            moveBoth(nodes, Duration.ofMinutes(10));
            for (int run = 0; run < 3; run++) {
                everyJobRanNow(nodeA);
                alertJobOnBothAtOnce(nodes, threads);
            }
            List<String> subjects = alertSubjects("are due and not sent");
            assertThat(subjects).hasSize(2);
            assertThat(subjects.get(1)).contains("resolved:");
            assertThat(jdbc.queryForObject("SELECT CLOSE_NOTICE FROM CR_INCIDENT WHERE INCIDENT_KEY = 'backlog'", String.class))
                    .isEqualTo("SENT");
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void noticesBeyondTheHourlyLimitAreHeldBack() throws Exception {
        Problems problems = new Problems();
        AlertWork alerts = alertWork(problems, emailNotifier(), 2);
        problems.now("limit-one", "limit-two", "limit-three");

        assertThat(alerts.run()).isEqualTo(2);
        assertThat(notices("limit-")).containsExactly("limit-one=SENT", "limit-three=SUPPRESSED", "limit-two=SENT");
        assertThat(alertSubjects("test problem limit-")).hasSize(2);
        assertThat(alerts.run()).as("an open incident is announced once").isEqualTo(0);

        nodeA.clock().advance(Duration.ofMinutes(61));
        problems.now("limit-one", "limit-two", "limit-three", "limit-four");
        assertThat(alerts.run()).as("an hour later the limit has room again").isEqualTo(1);
        assertThat(notices("limit-four")).containsExactly("limit-four=SENT");

        problems.now();
        nodeA.clock().advance(Duration.ofMinutes(61));
        assertThat(alerts.run()).isEqualTo(2);
        assertThat(jdbc.queryForList("SELECT CLOSE_NOTICE FROM CR_INCIDENT WHERE INCIDENT_KEY = 'limit-three'", String.class))
                .as("an opening nobody heard of ends silently").containsExactly("SKIPPED");
        // resolved notices in the order the incidents opened (one, two, four): the third is over the limit
        assertThat(jdbc.queryForList("SELECT CLOSE_NOTICE FROM CR_INCIDENT WHERE INCIDENT_KEY IN ('limit-one', 'limit-two',"
                + " 'limit-four') ORDER BY ID", String.class)).containsExactly("SENT", "SENT", "SUPPRESSED");
        assertThat(alertSubjects("resolved: test problem limit-")).hasSize(2);
    }

    @Test
    void theWebhookGetsEachNoticeSignedEvenWhenTheMailServerIsDown() throws Exception {
        List<Map<String, String>> received = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/alerts", exchange -> {
            Map<String, String> request = new HashMap<>();
            try (InputStream body = exchange.getRequestBody()) {
                request.put("body", new String(body.readAllBytes(), StandardCharsets.UTF_8));
            }
            request.put("signature", exchange.getRequestHeaders().getFirst(WebhookSigner.HEADER));
            request.put("key", exchange.getRequestHeaders().getFirst("Idempotency-Key"));
            received.add(request);
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        try {
            Clock clock = nodeA.clock();
            AlertNotifier notifier = new AlertNotifier(new SmtpMailer("127.0.0.1", Messages.freePort(), "NONE", "", "", 1000, 1000),
                    OPS, "shop@example.com", "Test Shop",
                    WebhookEndpoint.of("http://127.0.0.1:" + receiver.getAddress().getPort() + "/alerts", true),
                    AlertNotifier.signer("", SECRET), new WebhookPoster(2000, 2000, clock), clock);
            Problems problems = new Problems();
            AlertWork alerts = alertWork(problems, notifier, 10);

            problems.now("test-webhook");
            assertThat(alerts.run()).isEqualTo(1);
            assertThat(alerts.run()).isEqualTo(0);
            problems.now();
            alerts.run();

            assertThat(received).hasSize(2);
            long id = jdbc.queryForObject("SELECT ID FROM CR_INCIDENT WHERE INCIDENT_KEY = 'test-webhook'", Long.class);
            assertThat(received.get(0).get("key")).isEqualTo("cr-incident-" + id + "-opened");
            assertThat(received.get(0).get("body")).contains("\"type\":\"cartrecovery.incident.opened\"", "\"key\":\"test-webhook\"");
            assertThat(received.get(1).get("key")).isEqualTo("cr-incident-" + id + "-resolved");
            assertThat(received.get(1).get("body")).contains("\"type\":\"cartrecovery.incident.resolved\"");
            WebhookSigner verifier = new WebhookSigner(SECRET);
            for (Map<String, String> request : received) {
                assertThat(verifier.verify(request.get("signature"), request.get("body").getBytes(StandardCharsets.UTF_8),
                        clock.millis() / 1000, 300)).isTrue();
            }
            assertThat(jdbc.queryForObject("SELECT OPEN_NOTICE FROM CR_INCIDENT WHERE ID = ?", String.class, id)).isEqualTo("SENT");
            assertThat(jdbc.queryForObject("SELECT NOTICE_ERROR FROM CR_INCIDENT WHERE ID = ?", String.class, id))
                    .as("the email that could not go is noted").startsWith("email:");
        } finally {
            receiver.stop(0);
        }
    }

    /** Problems the test raises and clears, as a health check of their own. */
    private static final class Problems implements HealthCheck {
        private volatile List<String> keys = Collections.emptyList();

        void now(String... raised) {
            keys = Arrays.asList(raised);
        }

        @Override
        public String name() {
            return "test";
        }

        @Override
        public CheckResult check(Instant now) {
            List<Problem> problems = keys.stream().map(key -> new Problem(key, "test problem " + key, null))
                    .collect(Collectors.toList());
            return CheckResult.of(name(), "test", Collections.emptyMap(), problems);
        }
    }

    /** The alert job of node A, with the test's problems as its only health check and no delay before resolving. */
    private AlertWork alertWork(Problems problems, AlertNotifier notifier, int maxPerHour) {
        return new AlertWork(new Health(Collections.singletonList(problems), nodeA.clock(), 0),
                nodeA.bean("crDeliveryQuality", DeliveryQuality.class), nodeA.bean("crIncidents", Incidents.class), notifier,
                nodeA.clock(), null, "node-a", 10, 0, maxPerHour);
    }

    private AlertNotifier emailNotifier() {
        return new AlertNotifier(new SmtpMailer("127.0.0.1", smtpPort, "NONE", "", "", 2000, 5000), OPS, "shop@example.com",
                "Test Shop", WebhookEndpoint.of("", false), AlertNotifier.signer("", ""), new WebhookPoster(1000, 1000, nodeA.clock()),
                nodeA.clock());
    }

    private List<String> notices(String keyPrefix) {
        return jdbc.queryForList("SELECT CONCAT(INCIDENT_KEY, CONCAT('=', OPEN_NOTICE)) FROM CR_INCIDENT WHERE INCIDENT_KEY LIKE ?"
                + " AND RESOLVED_AT IS NULL ORDER BY INCIDENT_KEY", String.class, keyPrefix + "%");
    }

    private List<String> alertSubjects(String containing) throws Exception {
        List<String> subjects = new ArrayList<>();
        for (MimeMessage message : smtp.getReceivedMessages()) {
            if (message.getAllRecipients()[0].toString().equals(OPS) && message.getSubject().contains(containing)) {
                subjects.add(message.getSubject());
            }
        }
        return subjects;
    }

    private static void moveBoth(List<PluginContext> nodes, Duration by) {
        Instant to = nodes.get(0).clock().instant().plus(by);
        for (PluginContext node : nodes) {
            node.clock().set(to);
        }
    }

    /** The scheduler is healthy: every job ran now (the nodes' schedulers are off in tests). */
    private static void everyJobRanNow(PluginContext node) {
        JobRunLog runs = node.bean("crJobRunLog", JobRunLog.class);
        for (ScheduledJob job : node.context().getBeansOfType(ScheduledJob.class).values()) {
            runs.record(job.getName(), "node-a", node.clock().instant(), 10, JobRunLog.Outcome.SUCCEEDED, 0, null);
        }
    }

    private static void alertJobOnBothAtOnce(List<PluginContext> nodes, ExecutorService threads) throws Exception {
        List<Callable<Integer>> runs = new ArrayList<>();
        for (PluginContext node : nodes) {
            AlertWork work = node.bean("crAlertWork", AlertWork.class);
            runs.add(work::run);
        }
        for (Future<Integer> result : threads.invokeAll(runs)) {
            result.get();
        }
    }
}
