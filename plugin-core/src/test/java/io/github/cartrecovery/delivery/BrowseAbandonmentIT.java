package io.github.cartrecovery.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;

import javax.annotation.Resource;
import jakarta.mail.internet.MimeMessage;
import javax.sql.DataSource;

import org.apache.commons.logging.LogFactory;
import org.broadleafcommerce.core.catalog.domain.Product;
import org.broadleafcommerce.core.order.domain.Order;
import org.broadleafcommerce.profile.core.domain.Customer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.PlatformTransactionManager;

import com.icegreen.greenmail.util.GreenMail;

import io.github.cartrecovery.browse.BrowseBuffer;
import io.github.cartrecovery.browse.BrowsePlanner;
import io.github.cartrecovery.browse.BrowseSessions;
import io.github.cartrecovery.browse.BrowseView;
import io.github.cartrecovery.campaign.Campaign;
import io.github.cartrecovery.campaign.CampaignRepository;
import io.github.cartrecovery.campaign.CampaignStatus;
import io.github.cartrecovery.campaign.CampaignStep;
import io.github.cartrecovery.campaign.QuietHours;
import io.github.cartrecovery.campaign.ShopperTimeZones;
import io.github.cartrecovery.campaign.TriggerType;
import io.github.cartrecovery.capture.CaptureBuffer;
import io.github.cartrecovery.capture.ThrottledLog;
import io.github.cartrecovery.rendering.ProductListReader;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;

/**
 * Browse abandonment in the Broadleaf context, through the whole engine: a known shopper's product views wait in
 * memory until flushed, a session idle past the configured time with no cart gets one email of an enabled BROWSE
 * campaign with its products, at most one per period, and none once a product of it is in a cart or the shopper
 * ordered.
 */
@BroadleafWithPlugin
class BrowseAbandonmentIT {

    private static final int IDLE_MINUTES = 60;

    @Resource(name = "crCampaignRepository")
    CampaignRepository campaigns;

    RecoveryFixture fixture;
    GreenMail smtp;
    int port;
    MessageDelivery delivery;
    BrowseSessions sessions;
    BrowseBuffer buffer;
    Campaign campaign;
    String email;
    Customer customer;
    Product lamp;
    Product vase;

    @BeforeEach
    void knownShopper(PluginContext broadleaf) {
        fixture = new RecoveryFixture(broadleaf);
        port = RecoveryFixture.freePort();
        smtp = RecoveryFixture.greenMail(port);
        delivery = fixture.deliveryTo(port);
        delivery.setProductLists(broadleaf.bean("crProductListReader", ProductListReader.class));
        fixture.nextMorning();
        sessions = broadleaf.bean("crBrowseSessions", BrowseSessions.class);
        buffer = new BrowseBuffer(sessions, true, 0, 1000,
                new ThrottledLog(LogFactory.getLog(BrowseAbandonmentIT.class), fixture.clock, Duration.ofMinutes(1)));
        campaign = campaigns.save(new Campaign(null, "Browse " + RecoveryFixture.uniqueEmail("c"), CampaignStatus.ENABLED, 50,
                fixture.clock.instant()).triggeredBy(TriggerType.BROWSE)
                .addStep(new CampaignStep(null, 1, 10, "browse-reminder", Collections.singletonMap("*", "Still thinking?"))));
        email = RecoveryFixture.uniqueEmail("browse");
        customer = fixture.store.cartFor(fixture.store.anonymousCustomer()).getCustomer();
        lamp = fixture.store.product("Brass Lamp", "45.00");
        vase = fixture.store.product("Clay Vase", "19.00");
    }

    @AfterEach
    void stop() {
        smtp.stop();
        fixture.jdbc.update("UPDATE CR_CAMPAIGN SET STATUS = 'DISABLED' WHERE ID = ?", campaign.getId());
    }

    private BrowsePlanner planner(boolean consentRequired) {
        return new BrowsePlanner(fixture.broadleaf.bean("crDataSource", DataSource.class),
                fixture.broadleaf.bean("crTransactionManager", PlatformTransactionManager.class), sessions, campaigns,
                fixture.clock, fixture.broadleaf.bean("crQuietHours", QuietHours.class),
                fixture.broadleaf.bean("crShopperTimeZones", ShopperTimeZones.class), true, IDLE_MINUTES, 168,
                consentRequired, 500);
    }

    private void views(Product... products) {
        for (Product product : products) {
            buffer.offer(new BrowseView(email, customer.getId(), product.getId(), "en_US", "USD", fixture.clock.instant()));
        }
        buffer.flush();
    }

    private void idle() {
        fixture.clock.set(fixture.clock.instant().plus(Duration.ofMinutes(IDLE_MINUTES + 1)));
    }

    private String sessionColumn(String column) {
        // the latest session of this shopper (other tests' sessions share the database)
        return fixture.jdbc.queryForList("SELECT " + column + " FROM CR_BROWSE_SESSION WHERE EMAIL = ? ORDER BY ID DESC",
                String.class, email).get(0);
    }

    private String messageOutcome() {
        java.util.Map<String, Object> row = fixture.jdbc.queryForMap("SELECT m.STATUS, m.OUTCOME FROM CR_PLANNED_MESSAGE m "
                + "JOIN CR_BROWSE_SESSION s ON s.ID = m.BROWSE_SESSION_ID WHERE s.EMAIL = ?", email);
        return row.get("STATUS") + ":" + (row.get("OUTCOME") == null ? "" : row.get("OUTCOME"));
    }

    @Test
    void viewsWaitInMemoryUntilFlushedThenOneSessionHoldsEachProductWithItsViews() {
        buffer.offer(new BrowseView(email, customer.getId(), lamp.getId(), "en_US", "USD", fixture.clock.instant()));
        buffer.offer(new BrowseView(email, customer.getId(), lamp.getId(), "en_US", "USD", fixture.clock.instant()));

        assertThat(fixture.jdbc.queryForObject("SELECT COUNT(*) FROM CR_BROWSE_SESSION WHERE EMAIL = ?", Integer.class,
                email)).as("nothing written on the shopper's request").isZero();

        buffer.flush();
        views(vase);

        assertThat(fixture.jdbc.queryForList("SELECT p.PRODUCT_ID, p.VIEWS FROM CR_BROWSE_PRODUCT p JOIN CR_BROWSE_SESSION s "
                + "ON s.ID = p.SESSION_ID WHERE s.EMAIL = ? AND s.STATUS = 'BROWSING' ORDER BY p.PRODUCT_ID", email))
                .extracting(row -> ((Number) row.get("VIEWS")).intValue()).containsExactly(2, 1);
    }

    @Test
    void anIdleSessionWithoutACartGetsOneEmailWithItsProducts() throws Exception {
        views(lamp, vase);
        planner(false).planDue();
        assertThat(sessionColumn("STATUS")).as("not idle yet").isEqualTo("BROWSING");
        idle();

        planner(false).planDue();
        planner(false).planDue();
        delivery.deliverDue(1000);
        delivery.deliverDue(1000);

        MimeMessage[] received = smtp.getReceivedMessagesForDomain(email);
        assertThat(received).as(messageOutcome()).hasSize(1);
        assertThat(received[0].getSubject()).isEqualTo("Still thinking?");
        String html = RecoverySequenceIT.htmlPart(received[0]);
        assertThat(html).contains("Brass Lamp").contains("Clay Vase").contains("$45.00").doesNotContain(">Total<");
        assertThat(fixture.jdbc.queryForObject("SELECT TRIGGER_TYPE FROM CR_PLANNED_MESSAGE WHERE EMAIL = ?",
                String.class, email)).isEqualTo("BROWSE");
    }

    @Test
    void atMostOneBrowseEmailPerPeriod() {
        views(lamp);
        idle();
        planner(false).planDue();
        delivery.deliverDue(1000);
        fixture.clock.set(fixture.clock.instant().plus(Duration.ofHours(2)));
        views(vase);
        idle();

        planner(false).planDue();
        delivery.deliverDue(1000);

        assertThat(smtp.getReceivedMessagesForDomain(email)).hasSize(1);
        assertThat(sessionColumn("EXCLUSION_REASON")).startsWith("a browse email was planned for this address within");
    }

    @Test
    void aShopperWhoPutSomethingInACartWhileBrowsingIsLeftToCartRecovery() {
        views(lamp);
        fixture.clock.set(fixture.clock.instant().plus(Duration.ofMinutes(5)));
        Order cart = fixture.store.cartWithEmail(email);
        fixture.store.add(cart, vase, 1);
        fixture.broadleaf.bean("crCaptureBuffer", CaptureBuffer.class).flush();
        idle();

        planner(false).planDue();

        assertThat(sessionColumn("STATUS")).isEqualTo("EXCLUDED");
        assertThat(sessionColumn("EXCLUSION_REASON")).isEqualTo("added to a cart: cart recovery's");
    }

    @Test
    void noEmailOnceTheViewedProductIsInTheShoppersCartAtSendTime() {
        views(lamp);
        idle();
        planner(false).planDue();
        // the shopper adds the product after planning; capture has not even written it yet
        fixture.store.add(fixture.store.cartFor(customer), lamp, 1);

        delivery.deliverDue(1000);

        assertThat(smtp.getReceivedMessagesForDomain(email)).isEmpty();
        assertThat(messageOutcome()).isEqualTo("SKIPPED:" + ExitReason.PRODUCT_ADDED_TO_CART.name());
    }

    @Test
    void noEmailOnceTheShopperOrderedSinceTheFirstView() {
        views(lamp);
        idle();
        planner(false).planDue();
        Order other = fixture.store.cartWithEmail(email);
        fixture.jdbc.update("UPDATE BLC_ORDER SET ORDER_STATUS = 'SUBMITTED', SUBMIT_DATE = ? WHERE ORDER_ID = ?",
                new Timestamp(fixture.clock.instant().toEpochMilli()), other.getId());

        delivery.deliverDue(1000);

        assertThat(smtp.getReceivedMessagesForDomain(email)).isEmpty();
        assertThat(messageOutcome()).isEqualTo("SKIPPED:" + ExitReason.ORDERED_SINCE.name());
    }

    @Test
    void withConsentRequiredAShopperWhoNeverGrantedItGetsNoBrowseEmail() {
        views(lamp);
        idle();

        planner(true).planDue();

        assertThat(sessionColumn("STATUS")).isEqualTo("EXCLUDED");
        assertThat(sessionColumn("EXCLUSION_REASON")).startsWith("no marketing consent");
    }

    @Test
    void aCartMessageSentToTheShopperCountsTowardsTheSameFrequencyCap() {
        MessageDelivery capped = fixture.deliveryTo(port, new ExitRules(1, 24));
        capped.setProductLists(fixture.broadleaf.bean("crProductListReader", ProductListReader.class));
        Timestamp anHourAgo = new Timestamp(fixture.clock.instant().minus(Duration.ofHours(1)).toEpochMilli());
        long cartId = fixture.store.cartWithEmail(email).getId();
        fixture.jdbc.update("INSERT INTO CR_PLANNED_MESSAGE (ORDER_ID, CAMPAIGN_ID, STEP_ID, STEP_NO, EMAIL, LOCALE_CODE, "
                + "STATUS, DUE_AT, ATTEMPTS, SENT_AT, CREATED_AT, UPDATED_AT) VALUES (?, ?, ?, 1, ?, 'en_US', 'SENT', ?, 1, ?, ?, ?)",
                cartId, campaign.getId(), -cartId, email, anHourAgo, anHourAgo, anHourAgo, anHourAgo);
        views(lamp);
        idle();
        planner(false).planDue();

        capped.deliverDue(1000);

        assertThat(smtp.getReceivedMessagesForDomain(email)).isEmpty();
        assertThat(messageOutcome()).isEqualTo("SKIPPED:" + ExitReason.FREQUENCY_CAP.name());
    }

    @Test
    void cappedPerTriggerACartMessageLeavesTheBrowseEmailItsOwnCap() throws Exception {
        ExitRules perTrigger = new ExitRules(1, 24);
        perTrigger.setFrequencyCapPerTrigger(true);
        MessageDelivery capped = fixture.deliveryTo(port, perTrigger);
        capped.setProductLists(fixture.broadleaf.bean("crProductListReader", ProductListReader.class));
        Timestamp anHourAgo = new Timestamp(fixture.clock.instant().minus(Duration.ofHours(1)).toEpochMilli());
        long cartId = fixture.store.cartWithEmail(email).getId();
        fixture.jdbc.update("INSERT INTO CR_PLANNED_MESSAGE (ORDER_ID, CAMPAIGN_ID, STEP_ID, STEP_NO, EMAIL, LOCALE_CODE, "
                + "STATUS, DUE_AT, ATTEMPTS, SENT_AT, CREATED_AT, UPDATED_AT) VALUES (?, ?, ?, 1, ?, 'en_US', 'SENT', ?, 1, ?, ?, ?)",
                cartId, campaign.getId(), -cartId, email, anHourAgo, anHourAgo, anHourAgo, anHourAgo);
        views(lamp);
        idle();
        planner(false).planDue();

        capped.deliverDue(1000);

        assertThat(smtp.getReceivedMessagesForDomain(email)).as(messageOutcome()).hasSize(1);
    }

    @Test
    void twoNodesPlanningAtOnceGiveTheSessionOneMessage() throws Exception {
        views(lamp);
        idle();
        java.util.concurrent.ExecutorService nodes = java.util.concurrent.Executors.newFixedThreadPool(2);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        try {
            java.util.List<java.util.concurrent.Future<Integer>> runs = new java.util.ArrayList<>();
            for (int node = 0; node < 2; node++) {
                BrowsePlanner planner = planner(false);
                runs.add(nodes.submit(() -> {
                    start.await();
                    return planner.planDue();
                }));
            }
            start.countDown();
            for (java.util.concurrent.Future<Integer> run : runs) {
                run.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            nodes.shutdownNow();
        }

        assertThat(fixture.jdbc.queryForObject("SELECT COUNT(*) FROM CR_PLANNED_MESSAGE m JOIN CR_BROWSE_SESSION s "
                + "ON s.ID = m.BROWSE_SESSION_ID WHERE s.EMAIL = ?", Integer.class, email)).isEqualTo(1);
    }

    @Test
    void aViewAfterTheSessionEndedOpensANewOne() {
        views(lamp);
        idle();
        planner(false).planDue();

        views(vase);

        assertThat(fixture.jdbc.queryForList("SELECT STATUS FROM CR_BROWSE_SESSION WHERE EMAIL = ? ORDER BY ID",
                String.class, email)).containsExactly("PLANNED", "BROWSING");
    }
}
