package io.github.cartrecovery.coupon;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.UUID;
import java.util.concurrent.Callable;

import javax.sql.DataSource;

import org.broadleafcommerce.common.time.SystemTime;
import org.broadleafcommerce.core.offer.domain.Offer;
import org.broadleafcommerce.core.offer.service.OfferService;
import org.broadleafcommerce.core.order.domain.Order;
import org.broadleafcommerce.core.order.service.OrderService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.cartrecovery.campaign.Campaign;
import io.github.cartrecovery.campaign.CampaignCondition;
import io.github.cartrecovery.campaign.CampaignRepository;
import io.github.cartrecovery.campaign.CampaignStatus;
import io.github.cartrecovery.campaign.CampaignStep;
import io.github.cartrecovery.campaign.ConditionType;
import io.github.cartrecovery.rendering.CartLine;
import io.github.cartrecovery.rendering.RecoveryCart;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.Offers;
import io.github.cartrecovery.testing.PluginContext;
import io.github.cartrecovery.testing.Store;
import io.github.cartrecovery.testing.TestClock;

/**
 * A recovery code never takes off more than its step's maximum discount, whatever cart it lands on, in the
 * real Broadleaf context: a 20% template offer, a step capping the discount at 10.00, a code issued for a 40.00
 * cart (8.00 off, within the cap), then applied to carts ten times bigger by the plugin (a restore) and typed
 * in by hand (Broadleaf's own OrderService, as its checkout does).
 */
@BroadleafWithPlugin
class CouponCapIT {

    private static final BigDecimal CAP = new BigDecimal("10.00");

    PluginContext broadleaf;
    Store store;
    TestClock clock;
    JdbcTemplate jdbc;
    TransactionTemplate transactions;
    OrderService orders;
    OfferService offers;
    RecoveryCoupons coupons;
    Campaign campaign;
    Offer template;
    Instant clockBefore;

    @BeforeEach
    void start(PluginContext broadleaf) {
        this.broadleaf = broadleaf;
        store = broadleaf.store();
        clock = broadleaf.clock();
        jdbc = new JdbcTemplate(broadleaf.bean("crDataSource", DataSource.class));
        transactions = new TransactionTemplate(broadleaf.bean("crTransactionManager", PlatformTransactionManager.class));
        orders = broadleaf.bean("blOrderService", OrderService.class);
        offers = broadleaf.bean("blOfferService", OfferService.class);
        coupons = broadleaf.bean("crRecoveryCoupons", RecoveryCoupons.class);
        // Broadleaf judges code dates by SystemTime: both follow the test clock, set to real time (products
        // are active from the real yesterday) and put back afterwards
        clockBefore = clock.instant();
        Instant realNow = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        if (clock.instant().isBefore(realNow)) {
            clock.set(realNow);
        }
        SystemTime.setGlobalTimeSource(() -> clock.millis());
        template = Offers.templateOffer(offers, transactions, "20");
        // locale "xx": no captured cart matches, so the campaign plans nothing for other tests
        campaign = broadleaf.bean("crCampaignRepository", CampaignRepository.class).save(new Campaign(null,
                "Capped " + UUID.randomUUID(), CampaignStatus.ENABLED, 0, clock.instant())
                .addCondition(new CampaignCondition(ConditionType.LOCALE, null, null, "xx"))
                .addStep(new CampaignStep(null, 1, 60, "gentle-reminder", Collections.singletonMap("*", "Your cart")))
                .addStep(new CampaignStep(null, 2, 60, "value-reminder", Collections.singletonMap("*", "A little something"))
                        .withCoupon("ANY", template.getName(), CAP, null)));
    }

    @AfterEach
    void stop() {
        jdbc.update("UPDATE CR_CAMPAIGN SET STATUS = 'DISABLED' WHERE ID = ?", campaign.getId());
        SystemTime.reset();
        clock.set(clockBefore);
    }

    @Test
    void aPercentCouponRestoredIntoACartTenTimesBiggerTakesOffAtMostTheStepsMaximum() {
        Order issuedFor = cart("restore-small", "40.00", 1);
        long message = sentMessageWithCoupon(issuedFor);
        Order bigger = cart("restore-big", "40.00", 10);

        assertThat(coupons.applyTo(bigger, message)).isTrue();

        assertThat(discountOn(bigger)).isEqualByComparingTo(CAP); // 20% of 400.00 would be 80.00
        assertThat(inTx(() -> orders.findOrderById(bigger.getId()).getTotal().getAmount()))
                .isEqualByComparingTo(inTx(() -> orders.findOrderById(bigger.getId()).getSubTotal().getAmount()).subtract(CAP));
    }

    @Test
    void aForwardedCodeTypedAtCheckoutIntoAnotherCartIsCappedTheSame() {
        Order issuedFor = cart("forward-owner", "40.00", 1);
        String code = codeOf(sentMessageWithCoupon(issuedFor));
        Order someoneElses = cart("forward-finder", "150.00", 2);

        inTx(() -> orders.addOfferCode(orders.findOrderById(someoneElses.getId()), offers.lookupOfferCodeByCode(code), true));

        assertThat(discountOn(someoneElses)).isEqualByComparingTo(CAP); // 20% of 300.00 would be 60.00
    }

    @Test
    void theCapFollowsTheCartWhenItGrowsAfterTheCodeWasApplied() {
        Order cart = cart("grows", "40.00", 1);
        long message = sentMessageWithCoupon(cart);
        assertThat(coupons.applyTo(cart, message)).isTrue();
        assertThat(discountOn(cart)).isEqualByComparingTo("8.00");

        store.add(orders.findOrderById(cart.getId()), store.product("Teapot", "120.00"), 1);

        assertThat(discountOn(cart)).isEqualByComparingTo(CAP); // 20% of 160.00 would be 32.00
    }

    @Test
    void onTheCartItWasIssuedForTheCouponStillTakesItsFullPercentage() {
        Order cart = cart("normal", "40.00", 1);
        long message = sentMessageWithCoupon(cart);

        assertThat(coupons.applyTo(cart, message)).isTrue();

        assertThat(discountOn(cart)).isEqualByComparingTo("8.00");
    }

    // ---------------------------------------------------------------- arrangement

    private Order cart(String who, String price, int quantity) {
        Order cart = store.cartWithEmail(who + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com");
        return store.add(cart, store.product("Tea Caddy", price), quantity);
    }

    /** Step 2's message for this cart, sent, with its coupon issued as delivery issues it (the cart as the email showed it). */
    private long sentMessageWithCoupon(Order cart) {
        CampaignStep step = campaign.getSteps().get(1);
        Timestamp now = new Timestamp(clock.millis());
        jdbc.update("INSERT INTO CR_PLANNED_MESSAGE (ORDER_ID, CAMPAIGN_ID, STEP_ID, STEP_NO, EMAIL, STATUS, DUE_AT, "
                + "SENT_AT, CREATED_AT, UPDATED_AT) VALUES (?, ?, ?, 2, ?, 'SENT', ?, ?, ?, ?)", cart.getId(),
                campaign.getId(), step.getId(), cart.getEmailAddress(), now, now, now, now);
        long message = jdbc.queryForObject("SELECT ID FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? AND STEP_NO = 2",
                Long.class, cart.getId());
        RecoveryCart shown = new RecoveryCart(null, "en_US", "USD", Collections.singletonList(
                new CartLine("Tea Caddy", 1, cart.getSubTotal().getAmount(), cart.getSubTotal().getAmount(), null, null)));
        IssuedCoupon coupon = transactions.execute(status -> broadleaf.bean("crCouponIssuer", CouponIssuer.class)
                .issueFor(message, cart.getId(), cart.getEmailAddress(), step, shown));
        assertThat(coupon).as("the step grants a coupon for a %s cart", cart.getSubTotal()).isNotNull();
        return message;
    }

    private String codeOf(long message) {
        return jdbc.queryForObject("SELECT CODE FROM CR_COUPON WHERE PLANNED_MESSAGE_ID = ?", String.class, message);
    }

    private BigDecimal discountOn(Order cart) {
        return inTx(() -> orders.findOrderById(cart.getId()).getOrderAdjustmentsValue().getAmount());
    }

    private <T> T inTx(Callable<T> work) {
        return transactions.execute(status -> {
            try {
                return work.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
