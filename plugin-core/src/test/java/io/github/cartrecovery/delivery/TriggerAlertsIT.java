package io.github.cartrecovery.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import javax.annotation.Resource;
import javax.sql.DataSource;

import org.broadleafcommerce.common.money.Money;
import org.broadleafcommerce.core.catalog.domain.Product;
import org.broadleafcommerce.core.catalog.domain.Sku;
import org.broadleafcommerce.core.catalog.service.CatalogService;
import org.broadleafcommerce.core.order.domain.Order;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.icegreen.greenmail.util.GreenMail;

import io.github.cartrecovery.campaign.Campaign;
import io.github.cartrecovery.campaign.CampaignCondition;
import io.github.cartrecovery.campaign.CampaignRepository;
import io.github.cartrecovery.campaign.CampaignStatus;
import io.github.cartrecovery.campaign.CampaignStep;
import io.github.cartrecovery.campaign.ConditionType;
import io.github.cartrecovery.campaign.RecoveryPlanner;
import io.github.cartrecovery.campaign.TriggerPlanner;
import io.github.cartrecovery.campaign.TriggerType;
import io.github.cartrecovery.capture.CaptureBuffer;
import io.github.cartrecovery.config.CurrencyAmounts;
import io.github.cartrecovery.rendering.CatalogPrices;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;
import io.github.cartrecovery.triggers.CartItemWatch;
import io.github.cartrecovery.triggers.PriceDropRule;
import jakarta.mail.internet.MimeMessage;

/**
 * Price-drop and back-in-stock alerts in the Broadleaf context: a cart is captured and abandoned, then Broadleaf's
 * catalog changes (a sale price on BLC_SKU, a SKU made unavailable and available again), the watch job runs, and the
 * alert goes through delivery like every message. Each test has its own locale, so its campaigns match only its carts.
 */
@BroadleafWithPlugin
class TriggerAlertsIT {

    private static final AtomicInteger LOCALES = new AtomicInteger(300);

    @Resource(name = "crCampaignRepository")
    CampaignRepository campaigns;

    @Resource(name = "crRecoveryPlanner")
    RecoveryPlanner planner;

    @Resource(name = "crCartItemWatch")
    CartItemWatch watch;

    @Resource(name = "blCatalogService")
    CatalogService catalog;

    @Resource(name = "crTransactionManager")
    PlatformTransactionManager transactions;

    RecoveryFixture fixture;
    GreenMail smtp;
    MessageDelivery delivery;
    String locale;
    Campaign recovery;
    Campaign priceDrop;
    Campaign backInStock;

    @BeforeEach
    void campaignsForThisTestsLocale(PluginContext broadleaf) {
        fixture = new RecoveryFixture(broadleaf);
        int port = RecoveryFixture.freePort();
        smtp = RecoveryFixture.greenMail(port);
        delivery = fixture.deliveryTo(port);
        fixture.nextMorning();
        locale = "zy_" + LOCALES.incrementAndGet();
        recovery = campaign("Recovery " + locale, TriggerType.ABANDONED_CART, 900, "gentle-reminder", 600, "You left something");
        priceDrop = campaign("Price drop " + locale, TriggerType.PRICE_DROP, 1000, "price-drop", 0, "A price dropped");
        backInStock = campaign("Back " + locale, TriggerType.BACK_IN_STOCK, 1000, "back-in-stock", 0, "It is back");
    }

    @AfterEach
    void stop() {
        smtp.stop();
        for (Campaign campaign : new Campaign[] {recovery, priceDrop, backInStock}) {
            fixture.jdbc.update("UPDATE CR_CAMPAIGN SET STATUS = 'DISABLED' WHERE ID = ?", campaign.getId());
        }
    }

    @Test
    void aHigherPriorityPriceDropCampaignIsNotUsedForAnAbandonedCart() {
        Order cart = abandonedAndPlanned("Oak Board", "40.00");
        assertThat(fixture.jdbc.queryForList("SELECT DISTINCT CAMPAIGN_ID FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ?",
                Long.class, cart.getId())).containsExactly(recovery.getId());
    }

    @Test
    void anAlertOnAnotherCartIsNoCooldownForTheShoppersNextAbandonedCart() {
        Product tray = fixture.store.product("Maple Tray", "40.00");
        Order first = abandonedAndPlanned(tray);
        salePrice(tray, "20.00");
        assertThat(watch.run()).isEqualTo(1);
        String email = email(first);
        // the recovery sequence of the first cart is what the cooldown is about: take it out of the way
        fixture.jdbc.update("UPDATE CR_PLANNED_MESSAGE SET CREATED_AT = ? WHERE ORDER_ID = ? AND TRIGGER_TYPE = 'ABANDONED_CART'",
                new Timestamp(fixture.clock.instant().minus(Duration.ofDays(30)).toEpochMilli()), first.getId());

        Order second = fixture.store.cartWithEmail(email);
        fixture.store.add(second, fixture.store.product("Maple Bowl", "15.00"), 1);
        fixture.broadleaf.bean("crCaptureBuffer", CaptureBuffer.class).flush();
        fixture.jdbc.update("UPDATE CR_CAPTURED_CART SET STATUS = 'ABANDONED', ABANDONED_AT = ?, LOCALE_CODE = ? WHERE ORDER_ID = ?",
                new Timestamp(fixture.clock.instant().toEpochMilli()), locale, second.getId());
        planner.planDue();

        assertThat(fixture.jdbc.queryForObject("SELECT STATUS FROM CR_CAPTURED_CART WHERE ORDER_ID = ?", String.class,
                second.getId())).isEqualTo("IN_RECOVERY");
    }

    @Test
    void aSalePriceInBroadleafsCatalogSendsOneAlertWithTheOldAndNewPrice() throws Exception {
        Product tray = fixture.store.product("Walnut Tray", "40.00");
        Order cart = abandonedAndPlanned(tray, fixture.store.product("Linen Napkin", "8.00"));
        salePrice(tray, "30.00");

        assertThat(watch.run()).isEqualTo(1);

        Map<String, Object> event = fixture.jdbc.queryForMap("SELECT TRIGGER_TYPE, SKU_ID, PRICE_BEFORE, PRICE_NOW, OUTCOME, "
                + "CAMPAIGN_ID FROM CR_TRIGGER_EVENT WHERE ORDER_ID = ?", cart.getId());
        assertThat(event.get("TRIGGER_TYPE")).isEqualTo("PRICE_DROP");
        assertThat(((Number) event.get("SKU_ID")).longValue()).isEqualTo(tray.getDefaultSku().getId());
        assertThat((BigDecimal) event.get("PRICE_BEFORE")).isEqualByComparingTo("40");
        assertThat((BigDecimal) event.get("PRICE_NOW")).isEqualByComparingTo("30");
        assertThat(event.get("OUTCOME")).isEqualTo("PLANNED");
        assertThat(alerts(cart, "PRICE_DROP")).isEqualTo(1);

        delivery.deliverDue(1000);
        MimeMessage[] received = smtp.getReceivedMessagesForDomain(email(cart));
        assertThat(received).extracting(MimeMessage::getSubject).containsExactly("A price dropped");
        String html = RecoverySequenceIT.htmlPart(received[0]);
        assertThat(html).contains("The price just dropped").contains("Now US$\u00a030.00, was US$\u00a040.00");
        assertThat(fixture.jdbc.queryForObject("SELECT STATUS FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? AND TRIGGER_TYPE = 'PRICE_DROP'",
                String.class, cart.getId())).isEqualTo("SENT");
    }

    @Test
    void theSameDropIsAlertedOnceWhenTheJobRunsTwiceAndOnTwoNodesAtOnce() throws Exception {
        Product tray = fixture.store.product("Birch Tray", "50.00");
        Order cart = abandonedAndPlanned(tray);
        salePrice(tray, "40.00");
        CartItemWatch otherNode = otherNode();

        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(watch::run);
        CompletableFuture<Integer> second = CompletableFuture.supplyAsync(otherNode::run);
        assertThat(first.get() + second.get()).isEqualTo(1);
        assertThat(watch.run()).isZero();
        assertThat(otherNode.run()).isZero();

        assertThat(alerts(cart, "PRICE_DROP")).isEqualTo(1);
        assertThat(fixture.jdbc.queryForObject("SELECT COUNT(*) FROM CR_TRIGGER_EVENT WHERE ORDER_ID = ?", Integer.class,
                cart.getId())).isEqualTo(1);
    }

    @Test
    void aFurtherDropIsANewAlertButASmallerOneIsNot() {
        Product tray = fixture.store.product("Cedar Tray", "100.00");
        Order cart = abandonedAndPlanned(tray);
        salePrice(tray, "85.00");
        assertThat(watch.run()).isEqualTo(1);
        salePrice(tray, "80.00"); // 5.9% below the price already alerted: under the 10% threshold
        assertThat(watch.run()).isZero();
        salePrice(tray, "70.00");
        assertThat(watch.run()).isEqualTo(1);
        assertThat(alerts(cart, "PRICE_DROP")).isEqualTo(2);
    }

    @Test
    void aDropBelowTheThresholdIsNoAlert() {
        Product tray = fixture.store.product("Pine Tray", "100.00");
        Order cart = abandonedAndPlanned(tray);
        salePrice(tray, "95.00");
        assertThat(watch.run()).isZero();
        assertThat(alerts(cart, "PRICE_DROP")).isZero();
    }

    @Test
    void noAlertAfterPurchase() {
        Product tray = fixture.store.product("Teak Tray", "40.00");
        Order cart = abandonedAndPlanned(tray);
        purchase(cart);
        fixture.jdbc.update("UPDATE CR_CAPTURED_CART SET STATUS = 'PURCHASED' WHERE ORDER_ID = ?", cart.getId());
        salePrice(tray, "20.00");
        watch.run();
        assertThat(alerts(cart, "PRICE_DROP")).isZero();
    }

    @Test
    void anAlertPlannedBeforeThePurchaseIsNotSentAfterIt() {
        Product tray = fixture.store.product("Ash Tray", "40.00");
        Order cart = abandonedAndPlanned(tray);
        salePrice(tray, "20.00");
        assertThat(watch.run()).isEqualTo(1);
        purchase(cart);
        delivery.deliverDue(1000);
        assertThat(smtp.getReceivedMessagesForDomain(email(cart))).isEmpty();
        assertThat(fixture.jdbc.queryForObject("SELECT OUTCOME FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? "
                + "AND TRIGGER_TYPE = 'PRICE_DROP'", String.class, cart.getId())).isEqualTo("CART_SUBMITTED");
    }

    @Test
    void noPriceDropAlertForAnItemOutOfStock() {
        Product tray = fixture.store.product("Elm Tray", "40.00");
        Order cart = abandonedAndPlanned(tray);
        transaction(() -> {
            Sku sku = catalog.findSkuById(tray.getDefaultSku().getId());
            sku.setSalePrice(new Money(new BigDecimal("20.00")));
            sku.setAvailable(false);
            catalog.saveSku(sku);
        });
        watch.run();
        assertThat(alerts(cart, "PRICE_DROP")).isZero();
    }

    @Test
    void anItemThatGoesOutOfStockAndComesBackSendsOneBackInStockAlert() throws Exception {
        Product lamp = fixture.store.product("Brass Lamp", "60.00");
        Order cart = abandonedAndPlanned(lamp);
        available(lamp, false);
        assertThat(watch.run()).isZero();
        assertThat(fixture.jdbc.queryForObject("SELECT COUNT(*) FROM CR_ITEM_OUT_OF_STOCK WHERE ORDER_ID = ?",
                Integer.class, cart.getId())).isEqualTo(1);
        assertThat(watch.run()).isZero();

        available(lamp, true);
        assertThat(watch.run()).isEqualTo(1);
        assertThat(watch.run()).isZero();
        assertThat(otherNode().run()).isZero();
        assertThat(alerts(cart, "BACK_IN_STOCK")).isEqualTo(1);
        assertThat(fixture.jdbc.queryForObject("SELECT COUNT(*) FROM CR_ITEM_OUT_OF_STOCK WHERE ORDER_ID = ?",
                Integer.class, cart.getId())).isZero();

        delivery.deliverDue(1000);
        MimeMessage[] received = smtp.getReceivedMessagesForDomain(email(cart));
        assertThat(received).extracting(MimeMessage::getSubject).containsExactly("It is back");
        assertThat(RecoverySequenceIT.htmlPart(received[0])).contains("Back in stock").contains("Brass Lamp");
    }

    @Test
    void aBackInStockAlertIsNotSentWhenTheItemIsOutOfStockAgainAtSendTime() {
        Product lamp = fixture.store.product("Iron Lamp", "60.00");
        Order cart = abandonedAndPlanned(lamp, fixture.store.product("Lamp Bulb", "5.00"));
        available(lamp, false);
        watch.run();
        available(lamp, true);
        assertThat(watch.run()).isEqualTo(1);
        available(lamp, false);
        delivery.deliverDue(1000);
        assertThat(smtp.getReceivedMessagesForDomain(email(cart))).isEmpty();
        assertThat(fixture.jdbc.queryForObject("SELECT OUTCOME FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? "
                + "AND TRIGGER_TYPE = 'BACK_IN_STOCK'", String.class, cart.getId())).isEqualTo("ITEM_UNAVAILABLE");
    }

    @Test
    void nothingIsWatchedForATriggerWithoutAnEnabledCampaign() {
        Product lamp = fixture.store.product("Tin Lamp", "60.00");
        Order cart = abandonedAndPlanned(lamp);
        List<Campaign> none = Collections.emptyList();
        CartItemWatch withoutCampaigns = new CartItemWatch(fixture.broadleaf.bean("crDataSource", DataSource.class),
                fixture.broadleaf.bean("crCatalogPrices", CatalogPrices.class),
                fixture.broadleaf.bean("crTriggerPlanner", TriggerPlanner.class),
                new CampaignRepository(null, fixture.clock) {
                    @Override
                    public List<Campaign> enabledByPriority(TriggerType trigger) {
                        return none;
                    }
                }, new PriceDropRule(CurrencyAmounts.NONE, BigDecimal.TEN), fixture.clock, 10);
        available(lamp, false);
        assertThat(withoutCampaigns.run()).isZero();
        assertThat(fixture.jdbc.queryForObject("SELECT COUNT(*) FROM CR_ITEM_OUT_OF_STOCK WHERE ORDER_ID = ?",
                Integer.class, cart.getId())).isZero();
    }

    // ----- arrangement -----

    private Campaign campaign(String name, TriggerType trigger, int priority, String template, int delayMinutes,
                              String subject) {
        return campaigns.save(new Campaign(null, name, CampaignStatus.ENABLED, priority, fixture.clock.instant())
                .triggeredBy(trigger)
                .addCondition(new CampaignCondition(ConditionType.LOCALE, null, null, locale))
                .addStep(new CampaignStep(null, 1, delayMinutes, template, Collections.singletonMap("*", subject))));
    }

    private Order abandonedAndPlanned(String name, String price) {
        return abandonedAndPlanned(fixture.store.product(name, price));
    }

    /** A cart with these products, captured, abandoned now and planned (IN_RECOVERY on this test's recovery campaign). */
    private Order abandonedAndPlanned(Product... products) {
        Order cart = fixture.store.cartWithEmail(RecoveryFixture.uniqueEmail("trigger"));
        for (Product product : products) {
            cart = fixture.store.add(cart, product, 1);
        }
        fixture.broadleaf.bean("crCaptureBuffer", CaptureBuffer.class).flush();
        fixture.jdbc.update("UPDATE CR_CAPTURED_CART SET STATUS = 'ABANDONED', ABANDONED_AT = ?, LOCALE_CODE = ?, "
                + "CURRENCY_CODE = 'USD' WHERE ORDER_ID = ?", new Timestamp(fixture.clock.instant().toEpochMilli()), locale,
                cart.getId());
        planner.planDue();
        assertThat(fixture.jdbc.queryForObject("SELECT STATUS FROM CR_CAPTURED_CART WHERE ORDER_ID = ?", String.class,
                cart.getId())).isEqualTo("IN_RECOVERY");
        return cart;
    }

    private CartItemWatch otherNode() {
        return new CartItemWatch(fixture.broadleaf.bean("crDataSource", DataSource.class),
                fixture.broadleaf.bean("crCatalogPrices", CatalogPrices.class),
                fixture.broadleaf.bean("crTriggerPlanner", TriggerPlanner.class), campaigns,
                fixture.broadleaf.bean("crPriceDropRule", PriceDropRule.class), fixture.clock, 3);
    }

    private void salePrice(Product product, String price) {
        transaction(() -> {
            Sku sku = catalog.findSkuById(product.getDefaultSku().getId());
            sku.setSalePrice(new Money(new BigDecimal(price)));
            catalog.saveSku(sku);
        });
    }

    private void available(Product product, boolean available) {
        transaction(() -> {
            Sku sku = catalog.findSkuById(product.getDefaultSku().getId());
            sku.setAvailable(available);
            catalog.saveSku(sku);
        });
    }

    private void transaction(Runnable work) {
        new TransactionTemplate(transactions).execute(status -> {
            work.run();
            return null;
        });
    }

    private void purchase(Order cart) {
        fixture.jdbc.update("UPDATE BLC_ORDER SET ORDER_STATUS = 'SUBMITTED', SUBMIT_DATE = ? WHERE ORDER_ID = ?",
                new Timestamp(fixture.clock.instant().plus(Duration.ofMinutes(1)).toEpochMilli()), cart.getId());
    }

    private String email(Order cart) {
        return fixture.jdbc.queryForObject("SELECT EMAIL FROM CR_CAPTURED_CART WHERE ORDER_ID = ?", String.class, cart.getId());
    }

    private int alerts(Order cart, String trigger) {
        return fixture.jdbc.queryForObject("SELECT COUNT(*) FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? AND TRIGGER_TYPE = ?",
                Integer.class, cart.getId(), trigger);
    }
}
