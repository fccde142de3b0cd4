package io.github.cartrecovery.delivery;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.broadleafcommerce.core.catalog.domain.Product;
import org.broadleafcommerce.core.order.domain.Order;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.github.cartrecovery.campaign.CampaignRepository;
import io.github.cartrecovery.capture.CaptureBuffer;
import io.github.cartrecovery.rendering.EmailRenderer;
import io.github.cartrecovery.rendering.RecoveryCartReader;
import io.github.cartrecovery.testing.PluginContext;
import io.github.cartrecovery.testing.Store;
import io.github.cartrecovery.testing.TestClock;

/** Arranges abandoned carts and builds a delivery pointed at a test SMTP server. */
final class RecoveryFixture {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    final PluginContext broadleaf;
    final Store store;
    final TestClock clock;
    final JdbcTemplate jdbc;

    RecoveryFixture(PluginContext broadleaf) {
        this.broadleaf = broadleaf;
        this.store = broadleaf.store();
        this.clock = broadleaf.clock();
        this.jdbc = new JdbcTemplate(broadleaf.bean("crDataSource", DataSource.class));
    }

    static String uniqueEmail(String prefix) {
        return prefix + "-" + SEQUENCE.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 6) + "@example.com";
    }

    /** Moves the clock to the next 10:00 UTC, so a 1h/24h/72h sequence stays out of the default quiet hours. */
    Instant nextMorning() {
        Instant next = clock.instant().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1)).plus(Duration.ofHours(10));
        clock.set(next);
        return next;
    }

    /** A cart with one product, captured, then marked abandoned now (as detection would). */
    Order abandonedCart(String email, String productName, String price, int quantity, String locale, String currency) {
        Product product = store.product(productName, price);
        Order cart = store.cartWithEmail(email);
        cart = store.add(cart, product, quantity);
        broadleaf.bean("crCaptureBuffer", CaptureBuffer.class).flush();
        jdbc.update("UPDATE CR_CAPTURED_CART SET STATUS = 'ABANDONED', ABANDONED_AT = ?, LOCALE_CODE = ?, CURRENCY_CODE = ? "
                + "WHERE ORDER_ID = ?", new Timestamp(clock.instant().toEpochMilli()), locale, currency, cart.getId());
        return cart;
    }

    Order abandonedCart(String email) {
        return abandonedCart(email, "Enamel Mug", "12.50", 2, "en_US", "USD");
    }

    String messageStatus(long orderId, int stepNo) {
        return jdbc.queryForObject("SELECT STATUS FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? AND STEP_NO = ?",
                String.class, orderId, stepNo);
    }

    /** Every planned message of a cart with status and outcome, for assertion messages. */
    String describe(long orderId) {
        return jdbc.queryForList("SELECT STEP_NO, STATUS, OUTCOME, DUE_AT, ATTEMPTS, LAST_ERROR FROM CR_PLANNED_MESSAGE "
                + "WHERE ORDER_ID = ? ORDER BY STEP_NO", orderId).toString();
    }

    String messageOutcome(long orderId, int stepNo) {
        return jdbc.queryForObject("SELECT OUTCOME FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? AND STEP_NO = ?",
                String.class, orderId, stepNo);
    }

    /** The context's delivery, but sending to the given local port. */
    MessageDelivery deliveryTo(int smtpPort, ExitRules exitRules) {
        return deliveryTo(smtpPort, exitRules, "test-node");
    }

    MessageDelivery deliveryTo(int smtpPort, ExitRules exitRules, String nodeId) {
        return deliveryWith(new SmtpMailer("127.0.0.1", smtpPort, "NONE", "", "", 2000, 5000), exitRules, nodeId);
    }

    /** The context's delivery, sending through the given mailer. */
    MessageDelivery deliveryWith(SmtpMailer mailer, ExitRules exitRules, String nodeId) {
        return deliveryWith(mailer, exitRules, nodeId, broadleaf.bean("crDataSource", DataSource.class),
                broadleaf.bean("crTransactionManager", PlatformTransactionManager.class));
    }

    /** The same, on another view of the database (one that fails on demand, say) with its own transactions. */
    MessageDelivery deliveryWith(SmtpMailer mailer, ExitRules exitRules, String nodeId, DataSource dataSource,
                                 PlatformTransactionManager transactions) {
        return new MessageDelivery(dataSource, transactions,
                broadleaf.bean("crClaimQuery", ClaimQuery.class), exitRules,
                broadleaf.bean("crCampaignRepository", CampaignRepository.class),
                broadleaf.bean("crRecoveryCartReader", RecoveryCartReader.class),
                broadleaf.bean("crEmailRenderer", EmailRenderer.class),
                broadleaf.bean("crRecoveryLinks", RecoveryLinks.class),
                new RecoveryMessageBuilder(broadleaf.bean("crRecoveryLinks", RecoveryLinks.class),
                        "shop@example.com", "Test Shop", "cartrecovery.test"),
                mailer, clock, nodeId, 5, 8);
    }

    MessageDelivery deliveryTo(int smtpPort) {
        return deliveryTo(smtpPort, broadleaf.bean("crExitRules", ExitRules.class));
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static GreenMail greenMail(int port) {
        GreenMail mail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        return mail;
    }

    /**
     * A pile of due messages for one cart: an enabled campaign no cart matches (locale "xx") with one step per
     * message, and one planned message per step, each to its own address {@code pile-<step>@<domain>}, all due now.
     * Returns the campaign's id.
     */
    long pile(long orderId, int messages, String domain) {
        String name = "Pile " + uniqueEmail("pile");
        Timestamp now = new Timestamp(clock.instant().toEpochMilli());
        jdbc.update("INSERT INTO CR_CAMPAIGN (NAME, STATUS, PRIORITY, CREATED_AT, UPDATED_AT) VALUES (?, 'ENABLED', -100, ?, ?)",
                name, now, now);
        long campaignId = jdbc.queryForObject("SELECT ID FROM CR_CAMPAIGN WHERE NAME = ?", Long.class, name);
        jdbc.update("INSERT INTO CR_CAMPAIGN_CONDITION (CAMPAIGN_ID, CONDITION_TYPE, TEXT_VALUE) VALUES (?, 'LOCALE', 'xx')",
                campaignId);
        List<Object[]> steps = new ArrayList<>();
        for (int i = 1; i <= messages; i++) {
            steps.add(new Object[] {campaignId, i});
        }
        jdbc.batchUpdate("INSERT INTO CR_CAMPAIGN_STEP (CAMPAIGN_ID, STEP_NO, DELAY_MINUTES, CHANNEL, TEMPLATE, COUPON_POLICY) "
                + "VALUES (?, ?, 0, 'EMAIL', 'gentle-reminder', 'NONE')", steps);
        jdbc.update("INSERT INTO CR_CAMPAIGN_STEP_SUBJECT (STEP_ID, LOCALE_CODE, SUBJECT) "
                + "SELECT ID, '*', 'Pile' FROM CR_CAMPAIGN_STEP WHERE CAMPAIGN_ID = ?", campaignId);
        jdbc.update("UPDATE CR_CAPTURED_CART SET STATUS = 'IN_RECOVERY' WHERE ORDER_ID = ?", orderId);
        List<Object[]> rows = new ArrayList<>();
        for (Map<String, Object> step : jdbc.queryForList("SELECT ID, STEP_NO FROM CR_CAMPAIGN_STEP WHERE CAMPAIGN_ID = ?",
                campaignId)) {
            int stepNo = ((Number) step.get("STEP_NO")).intValue();
            rows.add(new Object[] {orderId, campaignId, ((Number) step.get("ID")).longValue(), stepNo,
                    "pile-" + stepNo + "@" + domain, now, now, now});
        }
        jdbc.batchUpdate("INSERT INTO CR_PLANNED_MESSAGE (ORDER_ID, CAMPAIGN_ID, STEP_ID, STEP_NO, EMAIL, LOCALE_CODE, "
                + "STATUS, DUE_AT, ATTEMPTS, CREATED_AT, UPDATED_AT) VALUES (?, ?, ?, ?, ?, 'en_US', 'PLANNED', ?, 0, ?, ?)", rows);
        return campaignId;
    }
}
