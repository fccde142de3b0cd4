package io.github.cartrecovery.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import javax.annotation.Resource;

import org.broadleafcommerce.core.catalog.domain.Sku;
import org.broadleafcommerce.core.catalog.service.CatalogService;
import org.broadleafcommerce.core.order.domain.Order;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;

import io.github.cartrecovery.attribution.RestoredCarts;
import io.github.cartrecovery.campaign.RecoveryPlanner;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;

/**
 * Each exit rule stops a planned message at send time. The shopper's action happens after planning and
 * is not seen by capture (its buffer is not flushed), so only Broadleaf's own tables can tell.
 */
@BroadleafWithPlugin
class ExitRulesIT {

    @Resource(name = "crRecoveryPlanner")
    RecoveryPlanner planner;

    @Resource(name = "blCatalogService")
    CatalogService catalog;

    @Resource(name = "crRestoredCarts")
    RestoredCarts restoredCarts;

    RecoveryFixture fixture;
    GreenMail smtp;
    MessageDelivery delivery;
    Instant abandoned;
    String email;
    Order cart;

    @BeforeEach
    void abandonACart(PluginContext broadleaf) {
        fixture = new RecoveryFixture(broadleaf);
        int port = RecoveryFixture.freePort();
        smtp = RecoveryFixture.greenMail(port);
        delivery = fixture.deliveryTo(port);
        abandoned = fixture.nextMorning();
        email = RecoveryFixture.uniqueEmail("exit");
        cart = fixture.abandonedCart(email);
        planner.planDue();
        fixture.clock.set(abandoned.plus(Duration.ofHours(1)));
    }

    @AfterEach
    void stop() {
        smtp.stop();
    }

    private void deliverAndExpectSkipped(ExitReason reason) {
        delivery.deliverDue(1000);
        assertThat(smtp.getReceivedMessagesForDomain(email)).as(fixture.describe(cart.getId())).isEmpty();
        assertThat(fixture.messageStatus(cart.getId(), 1)).isEqualTo("SKIPPED");
        assertThat(fixture.messageOutcome(cart.getId(), 1)).isEqualTo(reason.name());
    }

    @Test
    void sendsWhenNoRuleApplies() {
        delivery.deliverDue(1000);
        assertThat(smtp.getReceivedMessagesForDomain(email)).hasSize(1);
    }

    @Test
    void doesNotSendWhenTheCartWasSubmittedAMomentBeforeTheSend() {
        fixture.jdbc.update("UPDATE BLC_ORDER SET ORDER_STATUS = 'SUBMITTED', SUBMIT_DATE = ? WHERE ORDER_ID = ?",
                new Timestamp(fixture.clock.instant().minusMillis(1).toEpochMilli()), cart.getId());
        assertThat(fixture.jdbc.queryForObject("SELECT STATUS FROM CR_CAPTURED_CART WHERE ORDER_ID = ?", String.class,
                cart.getId())).isEqualTo("IN_RECOVERY");
        deliverAndExpectSkipped(ExitReason.CART_SUBMITTED);
    }

    @Test
    void doesNotSendWhenTheSameAddressPlacedAnotherOrderSinceAbandonment() {
        Order other = fixture.store.cartWithEmail(email.toUpperCase());
        fixture.jdbc.update("UPDATE BLC_ORDER SET ORDER_STATUS = 'SUBMITTED', SUBMIT_DATE = ? WHERE ORDER_ID = ?",
                new Timestamp(abandoned.plus(Duration.ofMinutes(30)).toEpochMilli()), other.getId());
        deliverAndExpectSkipped(ExitReason.ORDERED_SINCE);
    }

    @Test
    void doesNotSendWhenACopyOfTheCartMadeByItsRestoreLinkWasBought() {
        // someone opened this cart's restore link (its lines were copied into their own cart) and bought that cart
        Order copy = fixture.store.cartWithEmail("someone-else-" + email);
        long firstMessage = fixture.jdbc.queryForObject("SELECT MIN(ID) FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ?",
                Long.class, cart.getId());
        restoredCarts.record(firstMessage, cart.getId(), copy.getId(), fixture.clock.instant());
        fixture.jdbc.update("UPDATE BLC_ORDER SET ORDER_STATUS = 'SUBMITTED', SUBMIT_DATE = ? WHERE ORDER_ID = ?",
                new Timestamp(fixture.clock.instant().toEpochMilli()), copy.getId());
        deliverAndExpectSkipped(ExitReason.RESTORED_COPY_BOUGHT);
    }

    @Test
    void aCopyThatIsStillACartDoesNotStopTheSequence() {
        Order copy = fixture.store.cartWithEmail("still-shopping-" + email);
        long firstMessage = fixture.jdbc.queryForObject("SELECT MIN(ID) FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ?",
                Long.class, cart.getId());
        restoredCarts.record(firstMessage, cart.getId(), copy.getId(), fixture.clock.instant());
        delivery.deliverDue(1000);
        assertThat(smtp.getReceivedMessagesForDomain(email)).hasSize(1);
    }

    @Test
    void doesNotSendWhenBroadleafDeletedTheCart() {
        fixture.store.orders().cancelOrder(fixture.store.orders().findOrderById(cart.getId()));
        deliverAndExpectSkipped(ExitReason.CART_DELETED);
    }

    @Test
    void doesNotSendWhenTheCartWasEmptied() throws Exception {
        Long itemId = fixture.jdbc.queryForObject("SELECT ORDER_ITEM_ID FROM BLC_ORDER_ITEM WHERE ORDER_ID = ?", Long.class,
                cart.getId());
        fixture.store.orders().removeItem(cart.getId(), itemId, true);
        deliverAndExpectSkipped(ExitReason.CART_EMPTIED);
    }

    @Test
    void doesNotSendToASuppressedAddress() {
        fixture.jdbc.update("INSERT INTO CR_SUPPRESSION (EMAIL, REASON, SOURCE, CREATED_AT) VALUES (?, 'UNSUBSCRIBED', 'test', ?)",
                email.toLowerCase(), new Timestamp(fixture.clock.instant().toEpochMilli()));
        deliverAndExpectSkipped(ExitReason.SUPPRESSED);
    }

    @Test
    void doesNotSendWhenConsentWasWithdrawn() {
        fixture.jdbc.update("UPDATE CR_CAPTURED_CART SET MARKETING_CONSENT = 'DENIED' WHERE ORDER_ID = ?", cart.getId());
        deliverAndExpectSkipped(ExitReason.CONSENT_WITHDRAWN);
    }

    @Test
    void doesNotSendWhenTheCampaignWasDisabled() {
        fixture.jdbc.update("UPDATE CR_CAMPAIGN SET STATUS = 'DISABLED' WHERE ID = -1");
        try {
            deliverAndExpectSkipped(ExitReason.CAMPAIGN_DISABLED);
        } finally {
            fixture.jdbc.update("UPDATE CR_CAMPAIGN SET STATUS = 'ENABLED' WHERE ID = -1");
        }
    }

    @Test
    void skipsTheMessageWhenNothingInTheCartIsSoldAnyMore() {
        Long skuId = fixture.jdbc.queryForObject("SELECT SKU_ID FROM CR_CAPTURED_CART_ITEM WHERE ORDER_ID = ?", Long.class,
                cart.getId());
        Sku sku = catalog.findSkuById(skuId);
        sku.setActiveEndDate(new Date(System.currentTimeMillis() - 60_000));
        catalog.saveSku(sku);
        deliverAndExpectSkipped(ExitReason.NO_ITEMS_AVAILABLE);
    }

    @Test
    void doesNotSendMoreThanTheFrequencyCapAllows() {
        MessageDelivery capped = fixture.deliveryTo(smtp.getSmtp().getPort(), new ExitRules(1, 168));
        capped.deliverDue(1000);
        assertThat(smtp.getReceivedMessagesForDomain(email)).hasSize(1);
        fixture.clock.set(abandoned.plus(Duration.ofHours(25)));
        capped.deliverDue(1000);
        assertThat(smtp.getReceivedMessagesForDomain(email)).hasSize(1);
        assertThat(fixture.messageOutcome(cart.getId(), 2)).isEqualTo(ExitReason.FREQUENCY_CAP.name());
    }
}
