package io.github.cartrecovery.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;

import javax.annotation.Resource;
import jakarta.mail.internet.MimeMessage;
import javax.sql.DataSource;

import org.broadleafcommerce.core.catalog.domain.CrossSaleProductImpl;
import org.broadleafcommerce.core.catalog.domain.Product;
import org.broadleafcommerce.core.catalog.domain.RelatedProduct;
import org.broadleafcommerce.core.catalog.domain.UpSaleProductImpl;
import org.broadleafcommerce.core.catalog.service.CatalogService;
import org.broadleafcommerce.core.order.domain.Order;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.icegreen.greenmail.util.GreenMail;

import io.github.cartrecovery.campaign.Campaign;
import io.github.cartrecovery.campaign.CampaignRepository;
import io.github.cartrecovery.campaign.CampaignStatus;
import io.github.cartrecovery.campaign.CampaignStep;
import io.github.cartrecovery.campaign.QuietHours;
import io.github.cartrecovery.campaign.ShopperTimeZones;
import io.github.cartrecovery.campaign.TriggerType;
import io.github.cartrecovery.capture.CaptureBuffer;
import io.github.cartrecovery.postpurchase.PostPurchasePlanner;
import io.github.cartrecovery.rendering.ProductListReader;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;

/**
 * Post-purchase follow-up in the Broadleaf context: a configured time after an order, one email of an enabled
 * POST_PURCHASE campaign with products related to the order (cross-sales, up-sales), never the order's own, never to a
 * suppressed address, exactly once, and only for recovered orders when so configured; never credited as cart recovery.
 */
@BroadleafWithPlugin
class PostPurchaseIT {

    private static final int DELAY_HOURS = 48;

    @Resource(name = "crCampaignRepository")
    CampaignRepository campaigns;

    @Resource(name = "blCatalogService")
    CatalogService catalog;

    @Resource(name = "blTransactionManager")
    PlatformTransactionManager blTransactions;

    RecoveryFixture fixture;
    GreenMail smtp;
    MessageDelivery delivery;
    Campaign campaign;
    String email;
    Product kettle;
    Product mug;
    Product teapot;
    Order order;

    @BeforeEach
    void anOrderWithRelatedProducts(PluginContext broadleaf) {
        fixture = new RecoveryFixture(broadleaf);
        int port = RecoveryFixture.freePort();
        smtp = RecoveryFixture.greenMail(port);
        delivery = fixture.deliveryTo(port);
        delivery.setProductLists(broadleaf.bean("crProductListReader", ProductListReader.class));
        fixture.nextMorning();
        campaign = campaigns.save(new Campaign(null, "Follow-up " + RecoveryFixture.uniqueEmail("c"), CampaignStatus.ENABLED,
                50, fixture.clock.instant()).triggeredBy(TriggerType.POST_PURCHASE)
                .addStep(new CampaignStep(null, 1, 10, "post-purchase", Collections.singletonMap("*", "Goes well with it"))));
        email = RecoveryFixture.uniqueEmail("bought");
        kettle = fixture.store.product("Copper Kettle", "40.00");
        mug = fixture.store.product("Enamel Mug", "12.00");
        teapot = fixture.store.product("Glass Teapot", "34.00");
        new TransactionTemplate(blTransactions).execute(status -> {
            Product related = catalog.findProductById(kettle.getId());
            related.getCrossSaleProducts().add(relation(new CrossSaleProductImpl(), related, mug, 1));
            related.getUpSaleProducts().add(relation(new UpSaleProductImpl(), related, teapot, 1));
            return null;
        });
        Order cart = fixture.store.cartWithEmail(email);
        cart = fixture.store.add(cart, kettle, 1);
        order = fixture.store.add(cart, mug, 1); // the mug is bought too: never recommended back
        fixture.broadleaf.bean("crCaptureBuffer", CaptureBuffer.class).flush();
    }

    @AfterEach
    void stop() {
        smtp.stop();
        fixture.jdbc.update("UPDATE CR_CAMPAIGN SET STATUS = 'DISABLED' WHERE ID = ?", campaign.getId());
    }

    private void bought(String status) {
        Timestamp now = new Timestamp(fixture.clock.instant().toEpochMilli());
        fixture.jdbc.update("UPDATE BLC_ORDER SET ORDER_STATUS = 'SUBMITTED', SUBMIT_DATE = ? WHERE ORDER_ID = ?", now,
                order.getId());
        fixture.jdbc.update("UPDATE CR_CAPTURED_CART SET STATUS = ?, STATUS_CHANGED_AT = ?, MARKETING_CONSENT = 'GRANTED' "
                + "WHERE ORDER_ID = ?", status, now, order.getId());
    }

    private PostPurchasePlanner planner(boolean onlyRecovered) {
        return new PostPurchasePlanner(fixture.broadleaf.bean("crDataSource", DataSource.class),
                fixture.broadleaf.bean("crTransactionManager", PlatformTransactionManager.class), campaigns, fixture.clock,
                fixture.broadleaf.bean("crQuietHours", QuietHours.class),
                fixture.broadleaf.bean("crShopperTimeZones", ShopperTimeZones.class), DELAY_HOURS, onlyRecovered, 7, 500);
    }

    private void later(Duration duration) {
        fixture.clock.set(fixture.clock.instant().plus(duration));
    }

    private int followUps() {
        return fixture.jdbc.queryForObject("SELECT COUNT(*) FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? "
                + "AND TRIGGER_TYPE = 'POST_PURCHASE'", Integer.class, order.getId());
    }

    @Test
    void theConfiguredTimeAfterTheOrderOneEmailRecommendsRelatedProductsButNeverTheBoughtOnes() throws Exception {
        bought("PURCHASED");
        later(Duration.ofHours(DELAY_HOURS - 1));
        planner(false).planDue();
        assertThat(followUps()).as("too early").isZero();
        later(Duration.ofHours(1));

        planner(false).planDue();
        planner(false).planDue();
        assertThat(followUps()).as("exactly once").isEqualTo(1);
        later(Duration.ofMinutes(11));
        delivery.deliverDue(1000);
        delivery.deliverDue(1000);

        MimeMessage[] received = smtp.getReceivedMessagesForDomain(email);
        assertThat(received).as(fixture.describe(order.getId())).hasSize(1);
        String html = RecoverySequenceIT.htmlPart(received[0]);
        assertThat(html).contains("Glass Teapot").doesNotContain("Enamel Mug").doesNotContain("Copper Kettle");
        assertThat(received[0].getSubject()).isEqualTo("Goes well with it");
        assertThat(followUps()).isEqualTo(1);
    }

    @Test
    void twoNodesPlanningAtOnceFollowTheOrderUpOnce() throws Exception {
        bought("PURCHASED");
        later(Duration.ofHours(DELAY_HOURS));
        java.util.concurrent.ExecutorService nodes = java.util.concurrent.Executors.newFixedThreadPool(2);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        try {
            java.util.List<java.util.concurrent.Future<Integer>> runs = new java.util.ArrayList<>();
            for (int node = 0; node < 2; node++) {
                PostPurchasePlanner planner = planner(false);
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

        assertThat(followUps()).isEqualTo(1);
    }

    @Test
    void neverToASuppressedAddress() {
        bought("PURCHASED");
        fixture.jdbc.update("INSERT INTO CR_SUPPRESSION (EMAIL, REASON, SOURCE, CREATED_AT) VALUES (?, 'UNSUBSCRIBED', 'test', ?)",
                email.toLowerCase(), new Timestamp(fixture.clock.instant().toEpochMilli()));
        later(Duration.ofHours(DELAY_HOURS));

        planner(false).planDue();

        assertThat(followUps()).isZero();
        assertThat(fixture.jdbc.queryForObject("SELECT REASON FROM CR_POST_PURCHASE WHERE ORDER_ID = ?", String.class,
                order.getId())).isEqualTo("suppressed");
    }

    @Test
    void anAddressSuppressedAfterPlanningIsSkippedAtSendTime() {
        bought("PURCHASED");
        later(Duration.ofHours(DELAY_HOURS));
        planner(false).planDue();
        fixture.jdbc.update("INSERT INTO CR_SUPPRESSION (EMAIL, REASON, SOURCE, CREATED_AT) VALUES (?, 'UNSUBSCRIBED', 'test', ?)",
                email.toLowerCase(), new Timestamp(fixture.clock.instant().toEpochMilli()));
        later(Duration.ofMinutes(11));

        delivery.deliverDue(1000);

        assertThat(smtp.getReceivedMessagesForDomain(email)).isEmpty();
        assertThat(fixture.messageOutcome(order.getId(), 1)).isEqualTo(ExitReason.SUPPRESSED.name());
    }

    @Test
    void onlyRecoveredOrdersWhenSoConfigured() {
        bought("PURCHASED");
        later(Duration.ofHours(DELAY_HOURS));

        planner(true).planDue();
        assertThat(followUps()).as("a plain purchase").isZero();
        fixture.jdbc.update("UPDATE CR_CAPTURED_CART SET STATUS = 'RECOVERED' WHERE ORDER_ID = ?", order.getId());
        planner(true).planDue();
        assertThat(followUps()).as("a recovered order").isEqualTo(1);
    }

    @Test
    void aClickOnTheFollowUpCreditsTheNextOrderAsRepeatNeverAsCartRecovery() {
        bought("PURCHASED");
        later(Duration.ofHours(DELAY_HOURS));
        planner(false).planDue();
        later(Duration.ofMinutes(11));
        delivery.deliverDue(1000);
        long message = fixture.jdbc.queryForObject("SELECT ID FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? AND TRIGGER_TYPE = "
                + "'POST_PURCHASE'", Long.class, order.getId());
        fixture.jdbc.update("INSERT INTO CR_MESSAGE_EVENT (PLANNED_MESSAGE_ID, EVENT_TYPE, OCCURRED_AT) VALUES (?, 'CLICKED', ?)",
                message, new Timestamp(fixture.clock.instant().toEpochMilli()));
        Order next = fixture.store.add(fixture.store.cartWithEmail(email), teapot, 1);
        fixture.broadleaf.bean("crCaptureBuffer", CaptureBuffer.class).flush();
        later(Duration.ofMinutes(5));
        fixture.jdbc.update("UPDATE CR_CAPTURED_CART SET STATUS = 'PURCHASED', STATUS_CHANGED_AT = ? WHERE ORDER_ID = ?",
                new Timestamp(fixture.clock.instant().toEpochMilli()), next.getId());

        fixture.broadleaf.bean("crOrderAttribution", io.github.cartrecovery.attribution.OrderAttribution.class).run();

        assertThat(fixture.jdbc.queryForObject("SELECT OUTCOME FROM CR_ORDER_ATTRIBUTION WHERE ORDER_ID = ?", String.class,
                next.getId())).isEqualTo("REPEAT_CONVERTED");
    }

    private static RelatedProduct relation(RelatedProduct relation, Product product, Product related, int sequence) {
        relation.setProduct(product);
        relation.setRelatedProduct(related);
        relation.setSequence(BigDecimal.valueOf(sequence));
        return relation;
    }
}
