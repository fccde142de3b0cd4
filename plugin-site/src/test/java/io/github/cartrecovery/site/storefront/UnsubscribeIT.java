package io.github.cartrecovery.site.storefront;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.annotation.Resource;
import javax.sql.DataSource;

import org.broadleafcommerce.core.order.domain.Order;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
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
import io.github.cartrecovery.links.LinkPurpose;
import io.github.cartrecovery.rendering.EmailRenderer;
import io.github.cartrecovery.rendering.RecoveryCartReader;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;
import io.github.cartrecovery.testing.TestClock;
import jakarta.mail.internet.MimeMessage;

/**
 * Unsubscribe end to end with the real planner and delivery engine sending to GreenMail: the exact RFC 8058
 * one-click POST taken from the delivered email's headers stops every pending message for the address at
 * once, and repeating it is harmless; the page flow (GET shows, POST unsubscribes, resubscribe) and invalid links.
 */
@BroadleafWithPlugin
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UnsubscribeIT {

    private static final Pattern HTTPS_TARGET = Pattern.compile("<(https://[^>]+)>");

    @Resource(name = "crRecoveryPlanner")
    RecoveryPlanner planner;

    @Resource(name = "crRecoveryLinks")
    RecoveryLinks links;

    PluginContext broadleaf;
    TestClock clock;
    Storefront site;
    GreenMail smtp;
    MessageDelivery delivery;

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

    @BeforeEach
    void startSmtp() {
        int port = freePort();
        smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        delivery = new MessageDelivery(broadleaf.bean("crDataSource", DataSource.class),
                broadleaf.bean("crTransactionManager", PlatformTransactionManager.class),
                broadleaf.bean("crClaimQuery", ClaimQuery.class), broadleaf.bean("crExitRules", ExitRules.class),
                broadleaf.bean("crCampaignRepository", CampaignRepository.class),
                broadleaf.bean("crRecoveryCartReader", RecoveryCartReader.class),
                broadleaf.bean("crEmailRenderer", EmailRenderer.class), links,
                broadleaf.bean("crRecoveryMessageBuilder", RecoveryMessageBuilder.class),
                new SmtpMailer("127.0.0.1", port, "NONE", "", "", 2000, 5000), clock, "storefront-test", 5, 8);
    }

    @AfterEach
    void stopSmtp() {
        smtp.stop();
    }

    @Test
    void theRfc8058OneClickPostStopsEveryPendingMessageForTheAddressAndRepeatingItIsHarmless() throws Exception {
        Instant abandoned = nextMorning();
        String leaving = "one-click-" + System.nanoTime() + "@example.com";
        String staying = "stays-" + System.nanoTime() + "@example.com";
        Order cart = abandonedCart(leaving);
        Order otherCart = abandonedCart(staying);
        planner.planDue();
        assertThat(statuses(cart)).containsExactly("PLANNED", "PLANNED", "PLANNED");

        clock.set(abandoned.plus(Duration.ofHours(1)));
        delivery.deliverDue(1000);
        MimeMessage email = received(leaving)[0];
        assertThat(email.getHeader("List-Unsubscribe-Post", null)).isEqualTo("List-Unsubscribe=One-Click");
        Matcher https = HTTPS_TARGET.matcher(email.getHeader("List-Unsubscribe", null).replaceAll("\\r?\\n\\s+", " "));
        assertThat(https.find()).isTrue();
        String oneClickUrl = https.group(1);

        // step 2 as a delivering node holds it between its prepare and its hand-over to SMTP: stopped too
        site.jdbc.update("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'PREPARED', CLAIMED_BY = 'busy-node' WHERE ID = ?",
                messageId(cart, 2));
        // what a mailbox provider sends (RFC 8058 section 3.1): no cookies, no session, this exact body
        MockHttpServletResponse response = oneClick(oneClickUrl);

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentAsString()).doesNotContain("<html");
        List<Map<String, Object>> suppressed = site.suppression(leaving);
        assertThat(suppressed).hasSize(1);
        assertThat(suppressed.get(0).get("REASON")).isEqualTo("UNSUBSCRIBED");
        assertThat((String) suppressed.get(0).get("SOURCE")).startsWith("one-click");
        assertThat(((Timestamp) suppressed.get(0).get("CREATED_AT")).toInstant()).isEqualTo(clock.instant());
        assertThat(statuses(cart)).as("immediately, before any delivery run").containsExactly("SENT", "SKIPPED", "SKIPPED");
        assertThat(outcomes(cart)).containsExactly(null, "UNSUBSCRIBED", "UNSUBSCRIBED");
        long first = messageId(cart, 1);
        assertThat(site.events(first, "UNSUBSCRIBED")).isEqualTo(1);

        for (long hours : new long[] {25, 97, 24 * 30}) {
            clock.set(abandoned.plus(Duration.ofHours(hours)));
            delivery.deliverDue(1000);
        }
        assertThat(received(leaving)).hasSize(1);
        assertThat(received(staying)).as("other addresses are untouched").hasSize(3);
        assertThat(statuses(otherCart)).containsExactly("SENT", "SENT", "SENT");

        MockHttpServletResponse again = oneClick(oneClickUrl);
        assertThat(again.getStatus()).isEqualTo(200);
        assertThat(site.suppression(leaving)).hasSize(1);
        assertThat(site.events(first, "UNSUBSCRIBED")).isEqualTo(1);
        assertThat(site.jdbc.queryForObject("SELECT COUNT(*) FROM CR_MESSAGE_EVENT e JOIN CR_PLANNED_MESSAGE m "
                + "ON m.ID = e.PLANNED_MESSAGE_ID WHERE m.ORDER_ID = ? AND e.EVENT_TYPE = 'SKIPPED'", Integer.class, cart.getId()))
                .isEqualTo(2);
    }

    @Test
    void aMultipartOneClickPostUnsubscribesToo() throws Exception {
        String email = "multipart-" + System.nanoTime() + "@example.com";
        Order cart = broadleaf.store().add(broadleaf.store().cartWithEmail(email), broadleaf.store().product("Bowl", "9.00"), 1);
        long message = site.pendingMessage(cart.getId(), email, 1);
        String body = "--XyZ\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--XyZ--\r\n";

        MockHttpServletResponse response = site.perform(post(Storefront.path(links.unsubscribeUrl(message)))
                .contentType(org.springframework.http.MediaType.parseMediaType("multipart/form-data; boundary=XyZ"))
                .content(body.getBytes(StandardCharsets.US_ASCII)));

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentType()).startsWith("text/plain");
        assertThat(site.suppression(email)).hasSize(1);
        assertThat(statusOf(message)).isEqualTo("SKIPPED");
    }

    @Test
    void thePageShowsWhatWillHappenAndOnlyThePostUnsubscribesThenOffersToResubscribe() throws Exception {
        String email = "page-" + System.nanoTime() + "@example.com";
        Order cart = broadleaf.store().add(broadleaf.store().cartWithEmail(email), broadleaf.store().product("Cup", "4.00"), 1);
        long message = site.pendingMessage(cart.getId(), email, 1);
        String path = Storefront.path(links.unsubscribeUrl(message));

        MockHttpServletResponse page = site.perform(get(path));
        assertThat(page.getStatus()).isEqualTo(200);
        assertThat(page.getContentAsString()).contains("Unsubscribe from cart reminders")
                .contains("p***@example.com").doesNotContain(email)
                .contains("Reminders already scheduled for this address are cancelled")
                .contains("method=\"post\"").contains("action=\"" + path + "\"").contains("<button type=\"submit\">Unsubscribe</button>")
                .contains("name=\"csrfToken\"");
        assertThat(page.getHeader("Cache-Control")).isEqualTo("no-store");
        assertThat(page.getHeader("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(site.suppression(email)).as("GET never unsubscribes").isEmpty();
        assertThat(statusOf(message)).isEqualTo("PLANNED");

        MockHttpServletResponse done = site.perform(post(path).param("csrfToken", "from-the-page"));
        assertThat(done.getStatus()).isEqualTo(200);
        assertThat(done.getContentAsString()).contains("You are unsubscribed").contains("Send me cart reminders again");
        assertThat((String) site.suppression(email).get(0).get("SOURCE")).startsWith("page");
        assertThat(statusOf(message)).isEqualTo("SKIPPED");
        assertThat(site.perform(get(path)).getContentAsString()).as("visiting again").contains("You are unsubscribed");

        MockHttpServletResponse back = site.perform(post("/cart-recovery/resubscribe/" + token(path)));
        assertThat(back.getStatus()).isEqualTo(200);
        assertThat(back.getContentAsString()).contains("You are subscribed again");
        assertThat(site.suppression(email)).isEmpty();
    }

    @Test
    void thePageEscapesTheAddress() throws Exception {
        String email = "x@<script>alert(1)</script>.example.com";
        long message = site.plannedMessage(broadleaf.store().cartWithEmail("escape-" + System.nanoTime() + "@example.com").getId(), email, 1);

        String page = site.perform(get(Storefront.path(links.unsubscribeUrl(message)))).getContentAsString();

        assertThat(page).doesNotContain("<script>").contains("x***@&lt;script&gt;alert(1)&lt;/script&gt;.example.com");
    }

    @Test
    void invalidUnsubscribeLinksGetThePlainPageAndChangeNothing() throws Exception {
        String email = "invalid-" + System.nanoTime() + "@example.com";
        Order cart = broadleaf.store().cartWithEmail(email);
        long message = site.pendingMessage(cart.getId(), email, 1);
        String valid = token(links.unsubscribeUrl(message));
        String[] tokens = {
            valid.substring(0, valid.length() - 1),
            site.tokens().issue(LinkPurpose.UNSUBSCRIBE, message, site.now().minusSeconds(1), null),
            token(links.restoreUrl(message, cart.getId())),
            site.tokens().issue(LinkPurpose.UNSUBSCRIBE, 987_654_321L, site.now().plus(Duration.ofDays(1)), null),
        };
        for (String token : tokens) {
            for (MockHttpServletResponse response : new MockHttpServletResponse[] {
                    site.perform(get("/cart-recovery/unsubscribe/" + token)),
                    site.perform(post("/cart-recovery/unsubscribe/" + token)
                            .contentType(org.springframework.http.MediaType.APPLICATION_FORM_URLENCODED)
                            .content("List-Unsubscribe=One-Click")),
                    site.perform(post("/cart-recovery/resubscribe/" + token))}) {
                assertThat(response.getStatus()).isEqualTo(404);
                assertThat(response.getContentAsString()).contains("This link is no longer valid").doesNotContain("invalid-");
            }
        }
        assertThat(site.suppression(email)).isEmpty();
        assertThat(statusOf(message)).isEqualTo("PLANNED");
    }

    // ---- helpers ----

    private MockHttpServletResponse oneClick(String url) throws Exception {
        return site.perform(post(Storefront.path(url))
                .contentType(org.springframework.http.MediaType.APPLICATION_FORM_URLENCODED)
                .content("List-Unsubscribe=One-Click".getBytes(StandardCharsets.US_ASCII)));
    }

    private Instant nextMorning() {
        Instant next = clock.instant().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1)).plus(Duration.ofHours(10));
        clock.set(next);
        return next;
    }

    private Order abandonedCart(String email) {
        Order cart = broadleaf.store().add(broadleaf.store().cartWithEmail(email), broadleaf.store().product("Enamel Mug", "12.50"), 2);
        site.flushCaptures();
        site.jdbc.update("UPDATE CR_CAPTURED_CART SET STATUS = 'ABANDONED', ABANDONED_AT = ?, LOCALE_CODE = 'en_US', "
                + "CURRENCY_CODE = 'USD' WHERE ORDER_ID = ?", new Timestamp(clock.millis()), cart.getId());
        return cart;
    }

    private List<String> statuses(Order cart) {
        return site.jdbc.queryForList("SELECT STATUS FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? ORDER BY STEP_NO", String.class, cart.getId());
    }

    private List<String> outcomes(Order cart) {
        return site.jdbc.queryForList("SELECT OUTCOME FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? ORDER BY STEP_NO", String.class, cart.getId());
    }

    private long messageId(Order cart, int step) {
        return site.jdbc.queryForObject("SELECT ID FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? AND STEP_NO = ?", Long.class, cart.getId(), step);
    }

    private String statusOf(long message) {
        return site.jdbc.queryForObject("SELECT STATUS FROM CR_PLANNED_MESSAGE WHERE ID = ?", String.class, message);
    }

    private MimeMessage[] received(String email) {
        return smtp.getReceivedMessagesForDomain(email);
    }

    private static String token(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
