package io.github.cartrecovery.site.storefront;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.UUID;

import javax.annotation.Resource;

import org.broadleafcommerce.common.time.SystemTime;
import org.broadleafcommerce.core.offer.domain.Offer;
import org.broadleafcommerce.core.offer.domain.OfferCode;
import org.broadleafcommerce.core.offer.service.OfferService;
import org.broadleafcommerce.core.order.domain.Order;
import org.broadleafcommerce.core.order.service.OrderService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.cartrecovery.campaign.CampaignStep;
import io.github.cartrecovery.coupon.CouponIssuer;
import io.github.cartrecovery.coupon.IssuedCoupon;
import io.github.cartrecovery.delivery.RecoveryLinks;
import io.github.cartrecovery.rendering.CartLine;
import io.github.cartrecovery.rendering.RecoveryCart;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;
import io.github.cartrecovery.testing.Store;
import io.github.cartrecovery.testing.TestClock;

/**
 * The restore landing and the real coupon bean together: a message that carried a unique Broadleaf code
 * brings its cart back on another device with the code applied and the total lowered; a message without
 * a code restores the cart without a discount.
 */
@BroadleafWithPlugin
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestoreAppliesCouponIT {

    @Resource(name = "blOrderService")
    OrderService orderService;
    @Resource(name = "blOfferService")
    OfferService offerService;
    @Resource(name = "crCouponIssuer")
    CouponIssuer issuer;
    @Resource(name = "crRecoveryLinks")
    RecoveryLinks links;

    Storefront site;
    Store store;
    TransactionTemplate transactions;

    @BeforeAll
    void openTheStore(PluginContext broadleaf) {
        site = new Storefront(broadleaf);
    }

    @AfterAll
    void closeTheStore() {
        site.close();
    }

    @BeforeEach
    void arrange(PluginContext broadleaf, TestClock clock) {
        store = broadleaf.store();
        transactions = new TransactionTemplate(broadleaf.bean("crTransactionManager", PlatformTransactionManager.class));
        // codes expire by the plugin's clock and Broadleaf judges them by SystemTime: one time for both
        Instant realNow = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        if (clock.instant().isBefore(realNow)) {
            clock.set(realNow);
        }
        SystemTime.setGlobalTimeSource(clock::millis);
    }

    @AfterEach
    void resetTime() {
        SystemTime.reset();
    }

    @Test
    void theMessagesCodeIsOnTheRestoredCartAndLowersItsTotal() throws Exception {
        Offer template = templateOffer("10");
        String email = "coupon-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        Order abandoned = store.add(store.cartWithEmail(email), store.product("Cast Iron Pan", "40.00"), 1);
        site.flushCaptures();
        long message = site.plannedMessage(abandoned.getId(), email, 2);
        IssuedCoupon coupon = transactions.execute(status -> issuer.issueFor(message, abandoned.getId(), email,
                new CampaignStep(null, 2, 60, "value-reminder", Collections.singletonMap("*", "s"))
                        .withCoupon("ANY", template.getName(), null, null),
                new RecoveryCart(null, "en_US", "USD", Collections.singletonList(
                        new CartLine("Cast Iron Pan", 1, new BigDecimal("40.00"), new BigDecimal("40.00"), null, null)))));
        assertThat(coupon).isNotNull();
        MockHttpSession otherDevice = Storefront.newDevice();

        int status = site.perform(get(Storefront.path(links.restoreUrl(message, abandoned.getId()))).session(otherDevice))
                .getStatus();

        assertThat(status).isEqualTo(302);
        long id = site.seenBy(otherDevice).cart.getId();
        assertThat(id).as("the visitor's own copy of the cart").isNotEqualTo(abandoned.getId());
        transactions.execute(tx -> {
            Order restored = orderService.findOrderById(id);
            assertThat(restored.getAddedOfferCodes()).extracting(OfferCode::getOfferCode).containsExactly(coupon.getCode());
            assertThat(restored.getOrderAdjustmentsValue().getAmount()).isEqualByComparingTo("4.00");
            return null;
        });
    }

    @Test
    void aMessageWithoutACodeRestoresTheCartWithoutADiscount() throws Exception {
        String email = "nocoupon-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        Order abandoned = store.add(store.cartWithEmail(email), store.product("Bread Knife", "25.00"), 1);
        site.flushCaptures();
        long message = site.plannedMessage(abandoned.getId(), email, 1);

        MockHttpSession device = Storefront.newDevice();
        int status = site.perform(get(Storefront.path(links.restoreUrl(message, abandoned.getId())))
                .session(device)).getStatus();

        assertThat(status).isEqualTo(302);
        long id = site.seenBy(device).cart.getId();
        transactions.execute(tx -> {
            assertThat(orderService.findOrderById(id).getAddedOfferCodes()).isEmpty();
            return null;
        });
    }

    private Offer templateOffer(String percentOff) {
        return io.github.cartrecovery.testing.Offers.templateOffer(offerService, transactions, percentOff);
    }
}
