package io.github.cartrecovery.site.storefront;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.annotation.Resource;
import javax.sql.DataSource;

import org.broadleafcommerce.core.order.domain.Order;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.transaction.PlatformTransactionManager;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.github.cartrecovery.campaign.CampaignRepository;
import io.github.cartrecovery.campaign.RecoveryPlanner;
import io.github.cartrecovery.delivery.ClaimQuery;
import io.github.cartrecovery.delivery.ExitRules;
import io.github.cartrecovery.delivery.MessageDelivery;
import io.github.cartrecovery.delivery.RecoveryLinks;
import io.github.cartrecovery.delivery.RecoveryMessageBuilder;
import io.github.cartrecovery.delivery.SmtpMailer;
import io.github.cartrecovery.detection.AbandonmentDetector;
import io.github.cartrecovery.metrics.PluginMetrics;
import io.github.cartrecovery.rendering.EmailRenderer;
import io.github.cartrecovery.rendering.RecoveryCartReader;
import io.github.cartrecovery.state.PluginActivation;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;
import io.github.cartrecovery.testing.TestClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;

/**
 * The metrics move with real events: a shopper's cart is captured, detected abandoned, planned, delivered to a real
 * SMTP server (GreenMail) and opened; each step moves its counter by what the database recorded, in the registry and
 * in the Prometheus text at {@code GET /cart-recovery/metrics}, which only allowed callers may read.
 */
@BroadleafWithPlugin
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsIT {

    @Resource(name = "crMetrics")
    PluginMetrics metrics;

    @Resource(name = "crAbandonmentDetector")
    AbandonmentDetector detector;

    @Resource(name = "crRecoveryPlanner")
    RecoveryPlanner planner;

    @Resource(name = "crRecoveryLinks")
    RecoveryLinks links;

    @Resource(name = "crPluginActivation")
    PluginActivation activation;

    PluginContext broadleaf;
    TestClock clock;
    Storefront site;

    @BeforeAll
    void openTheStore(PluginContext broadleaf) {
        this.broadleaf = broadleaf;
        this.clock = broadleaf.clock();
        site = new Storefront(broadleaf);
    }

    @AfterAll
    void closeTheStore() {
        site.close();
    }

    @Test
    void countersMoveAsAShopperLeavesACartAndGetsAnEmail() throws Exception {
        activation.activatedAt();
        Instant morning = clock.instant().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1)).plus(Duration.ofHours(10));
        clock.set(morning);
        String email = "metrics-" + System.nanoTime() + "@example.com";
        MeterRegistry registry = metrics.registry();
        double captured = count(registry, PluginMetrics.CARTS_CAPTURED);
        double abandoned = count(registry, PluginMetrics.CARTS_ABANDONED);
        double planned = count(registry, PluginMetrics.MESSAGES_PLANNED);
        double sent = count(registry, PluginMetrics.MESSAGES_SENT);
        double opened = count(registry, PluginMetrics.MESSAGES_OPENED);
        String scrapedBefore = scrape();
        int plannedEvents = events("PLANNED");
        int sentEvents = events("SENT");

        Order cart = broadleaf.store().add(broadleaf.store().cartWithEmail(email), broadleaf.store().product("Enamel Mug", "12.50"), 2);
        site.flushCaptures();
        assertThat(count(registry, PluginMetrics.CARTS_CAPTURED)).as("the cart's changes written").isGreaterThan(captured);

        clock.advance(Duration.ofMinutes(61));
        detector.detect();
        int abandonedNow = site.jdbc.queryForObject("SELECT COUNT(*) FROM CR_CAPTURED_CART WHERE ABANDONED_AT = ?",
                Integer.class, Timestamp.from(clock.instant()));
        assertThat(abandonedNow).isGreaterThanOrEqualTo(1);
        assertThat(count(registry, PluginMetrics.CARTS_ABANDONED) - abandoned).isEqualTo(abandonedNow);

        planner.planDue();
        assertThat(count(registry, PluginMetrics.MESSAGES_PLANNED) - planned).isEqualTo(events("PLANNED") - plannedEvents);
        assertThat(registry.find(PluginMetrics.MESSAGES_PLANNED).tag("channel", "email").counter()).isNotNull();

        int port = freePort();
        GreenMail smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try {
            MessageDelivery delivery = delivery(port);
            delivery.setMetrics(metrics);
            clock.advance(Duration.ofHours(1));
            delivery.deliverDue(1000);
            assertThat(smtp.getReceivedMessagesForDomain(email)).hasSize(1);
        } finally {
            smtp.stop();
        }
        int sentNow = events("SENT") - sentEvents;
        assertThat(sentNow).isGreaterThanOrEqualTo(1);
        assertThat(count(registry, PluginMetrics.MESSAGES_SENT) - sent).isEqualTo(sentNow);
        assertThat(registry.find(PluginMetrics.CHANNEL_SEND).tag("channel", "email").tag("outcome", "accepted").timer().count())
                .as("SMTP hand-overs timed").isGreaterThanOrEqualTo(sentNow);

        long message = site.jdbc.queryForObject("SELECT ID FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? AND STATUS = 'SENT'",
                Long.class, cart.getId());
        clock.advance(Duration.ofHours(1)); // a visit right after the send is a mail gateway's scanner, not an open
        assertThat(site.perform(get(Storefront.path(links.openPixelUrl(message)))).getStatus()).isEqualTo(200);
        assertThat(count(registry, PluginMetrics.MESSAGES_OPENED) - opened).isEqualTo(1);

        String scraped = scrape();
        assertThat(sample(scraped, "cartrecovery_messages_opened_total")).isEqualTo(sample(scrapedBefore, "cartrecovery_messages_opened_total") + 1);
        assertThat(sample(scraped, "cartrecovery_messages_sent_total{channel=\"email\",}"))
                .isEqualTo(count(registry, PluginMetrics.MESSAGES_SENT));
        assertThat(sample(scraped, "cartrecovery_carts_abandoned_total")).isEqualTo(count(registry, PluginMetrics.CARTS_ABANDONED));
        assertThat(scraped).contains("cartrecovery_channel_send_seconds_count{channel=\"email\",outcome=\"accepted\",}")
                .contains("cartrecovery_capture_buffer_size").contains("cartrecovery_messages_backlog_age_seconds");
    }

    @Test
    void theMetricsAreServedOnlyToAllowedCallers() throws Exception {
        MockHttpServletResponse loopback = site.performAsIs(get("/cart-recovery/metrics").with(request -> {
            request.setRemoteAddr("127.0.0.1");
            return request;
        }));
        assertThat(loopback.getStatus()).isEqualTo(200);
        assertThat(loopback.getContentType()).startsWith("text/plain").contains("version=0.0.4");
        assertThat(loopback.getHeader("Cache-Control")).isEqualTo("no-store");
        assertThat(loopback.getContentAsString()).contains("# TYPE cartrecovery_carts_abandoned_total counter");

        MockHttpServletResponse outsider = site.performAsIs(get("/cart-recovery/metrics").with(request -> {
            request.setRemoteAddr("203.0.113.9");
            return request;
        }));
        assertThat(outsider.getStatus()).isEqualTo(404);
        assertThat(outsider.getContentAsString()).doesNotContain("cartrecovery_");

        MockHttpServletResponse wrongToken = site.performAsIs(get("/cart-recovery/metrics")
                .header("Authorization", "Bearer not-the-operations-token").with(request -> {
                    request.setRemoteAddr("203.0.113.9");
                    return request;
                }));
        assertThat(wrongToken.getStatus()).isEqualTo(404);
    }

    private String scrape() throws Exception {
        return site.performAsIs(get("/cart-recovery/metrics")).getContentAsString();
    }

    /** The value of one sample line (name with its labels as Prometheus writes them), 0 when absent. */
    private static double sample(String scraped, String series) {
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scraped);
        return line.find() ? Double.parseDouble(line.group(1)) : 0;
    }

    private static double count(MeterRegistry registry, String name) {
        return Search.in(registry).name(name).counters().stream().mapToDouble(counter -> counter.count()).sum();
    }

    private int events(String type) {
        return site.jdbc.queryForObject("SELECT COUNT(*) FROM CR_MESSAGE_EVENT WHERE EVENT_TYPE = ?", Integer.class, type);
    }

    private MessageDelivery delivery(int port) {
        return new MessageDelivery(broadleaf.bean("crDataSource", DataSource.class),
                broadleaf.bean("crTransactionManager", PlatformTransactionManager.class),
                broadleaf.bean("crClaimQuery", ClaimQuery.class), broadleaf.bean("crExitRules", ExitRules.class),
                broadleaf.bean("crCampaignRepository", CampaignRepository.class),
                broadleaf.bean("crRecoveryCartReader", RecoveryCartReader.class),
                broadleaf.bean("crEmailRenderer", EmailRenderer.class), links,
                broadleaf.bean("crRecoveryMessageBuilder", RecoveryMessageBuilder.class),
                new SmtpMailer("127.0.0.1", port, "NONE", "", "", 2000, 5000), clock, "metrics-test", 5, 8);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
