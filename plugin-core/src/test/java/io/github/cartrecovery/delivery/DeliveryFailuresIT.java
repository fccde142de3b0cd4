package io.github.cartrecovery.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import javax.annotation.Resource;

import org.broadleafcommerce.core.order.domain.Order;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;

import io.github.cartrecovery.campaign.RecoveryPlanner;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;

/** SMTP outages, permanent rejections and crashed nodes: retried when safe, never sent twice. */
@BroadleafWithPlugin
class DeliveryFailuresIT {

    @Resource(name = "crRecoveryPlanner")
    RecoveryPlanner planner;

    RecoveryFixture fixture;

    @BeforeEach
    void fixture(PluginContext broadleaf) {
        fixture = new RecoveryFixture(broadleaf);
    }

    @Test
    void messagesWaitingWhileSmtpIsDownAreDeliveredOnceWhenItComesBack() {
        int port = RecoveryFixture.freePort();
        MessageDelivery delivery = fixture.deliveryTo(port);
        Instant abandoned = fixture.nextMorning();
        String email = RecoveryFixture.uniqueEmail("outage");
        Order cart = fixture.abandonedCart(email);
        planner.planDue();
        fixture.clock.set(abandoned.plus(Duration.ofHours(1)));

        assertThat(delivery.deliverDue(1000)).isZero(); // nothing listens on the port
        assertThat(fixture.messageStatus(cart.getId(), 1)).isEqualTo("PLANNED");

        GreenMail smtp = RecoveryFixture.greenMail(port);
        try {
            delivery.deliverDue(1000); // back-off: not due again yet
            assertThat(smtp.getReceivedMessagesForDomain(email)).isEmpty();
            fixture.clock.advance(Duration.ofMinutes(5));
            delivery.deliverDue(1000);
            fixture.clock.advance(Duration.ofMinutes(30));
            delivery.deliverDue(1000);
            assertThat(smtp.getReceivedMessagesForDomain(email)).hasSize(1);
            assertThat(fixture.messageStatus(cart.getId(), 1)).isEqualTo("SENT");
            assertThat(fixture.jdbc.queryForObject("SELECT ATTEMPTS FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? AND STEP_NO = 1",
                    Integer.class, cart.getId())).isEqualTo(2);
        } finally {
            smtp.stop();
        }
    }

    @Test
    void aPermanentRejectionSuppressesThatAddressAndOthersAreStillDelivered() throws Exception {
        try (RejectingSmtpServer smtp = new RejectingSmtpServer()) {
            MessageDelivery delivery = fixture.deliveryTo(smtp.port());
            Instant abandoned = fixture.nextMorning();
            String bouncing = RecoveryFixture.uniqueEmail("bounce");
            String fine = RecoveryFixture.uniqueEmail("fine");
            Order bouncingCart = fixture.abandonedCart(bouncing);
            Order fineCart = fixture.abandonedCart(fine);
            planner.planDue();
            fixture.clock.set(abandoned.plus(Duration.ofHours(1)));

            delivery.deliverDue(1000);

            assertThat(smtp.delivered()).contains(fine).doesNotContain(bouncing);
            assertThat(fixture.messageStatus(bouncingCart.getId(), 1)).isEqualTo("FAILED");
            assertThat(fixture.messageStatus(fineCart.getId(), 1)).isEqualTo("SENT");
            assertThat(fixture.jdbc.queryForObject("SELECT REASON FROM CR_SUPPRESSION WHERE EMAIL = ?", String.class,
                    bouncing.toLowerCase())).isEqualTo("BOUNCED");

            fixture.clock.set(abandoned.plus(Duration.ofHours(25)));
            delivery.deliverDue(1000);
            assertThat(fixture.messageOutcome(bouncingCart.getId(), 2)).isEqualTo(ExitReason.SUPPRESSED.name());
            assertThat(smtp.delivered()).filteredOn(fine::equals).hasSize(2);
        }
    }

    @Test
    void aMessageLeftSendingByACrashedNodeIsNeverSentAgain() {
        int port = RecoveryFixture.freePort();
        GreenMail smtp = RecoveryFixture.greenMail(port);
        try {
            MessageDelivery delivery = fixture.deliveryTo(port);
            Instant abandoned = fixture.nextMorning();
            String email = RecoveryFixture.uniqueEmail("crash");
            Order cart = fixture.abandonedCart(email);
            planner.planDue();
            fixture.clock.set(abandoned.plus(Duration.ofHours(1)));
            fixture.jdbc.update("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'SENDING', CLAIMED_BY = 'dead-node', LEASE_UNTIL = ? "
                    + "WHERE ORDER_ID = ? AND STEP_NO = 1", new Timestamp(fixture.clock.instant().minusSeconds(1).toEpochMilli()),
                    cart.getId());

            delivery.deliverDue(1000);
            fixture.clock.advance(Duration.ofHours(1));
            delivery.deliverDue(1000);

            assertThat(smtp.getReceivedMessagesForDomain(email)).isEmpty();
            assertThat(fixture.messageStatus(cart.getId(), 1)).isEqualTo("UNCONFIRMED");
        } finally {
            smtp.stop();
        }
    }

    @Test
    void aClaimLeftByACrashedNodeBeforeSendingIsTakenOverOnce() {
        int port = RecoveryFixture.freePort();
        GreenMail smtp = RecoveryFixture.greenMail(port);
        try {
            MessageDelivery delivery = fixture.deliveryTo(port);
            Instant abandoned = fixture.nextMorning();
            String email = RecoveryFixture.uniqueEmail("takeover");
            Order cart = fixture.abandonedCart(email);
            planner.planDue();
            fixture.clock.set(abandoned.plus(Duration.ofHours(1)));
            fixture.jdbc.update("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'CLAIMED', CLAIMED_BY = 'dead-node', LEASE_UNTIL = ? "
                    + "WHERE ORDER_ID = ? AND STEP_NO = 1", new Timestamp(fixture.clock.instant().plusSeconds(60).toEpochMilli()),
                    cart.getId());

            delivery.deliverDue(1000);
            assertThat(smtp.getReceivedMessagesForDomain(email)).isEmpty(); // lease still held
            fixture.clock.advance(Duration.ofMinutes(2));
            delivery.deliverDue(1000);
            delivery.deliverDue(1000);
            assertThat(smtp.getReceivedMessagesForDomain(email)).hasSize(1);
        } finally {
            smtp.stop();
        }
    }

    @Test
    void aMessageThatCannotBeBuiltFailsAloneAndTheBatchGoesOn() {
        int port = RecoveryFixture.freePort();
        GreenMail smtp = RecoveryFixture.greenMail(port);
        try {
            MessageDelivery delivery = fixture.deliveryTo(port);
            Instant abandoned = fixture.nextMorning();
            Order broken = fixture.abandonedCart(RecoveryFixture.uniqueEmail("broken"));
            String fine = RecoveryFixture.uniqueEmail("alongside");
            Order fineCart = fixture.abandonedCart(fine);
            planner.planDue();
            fixture.jdbc.update("UPDATE CR_PLANNED_MESSAGE SET EMAIL = 'not an address' WHERE ORDER_ID = ?", broken.getId());
            fixture.clock.set(abandoned.plus(Duration.ofHours(1)));

            delivery.deliverDue(1000);

            assertThat(fixture.messageStatus(broken.getId(), 1)).isEqualTo("FAILED");
            assertThat(fixture.messageOutcome(broken.getId(), 1)).isEqualTo("PREPARE_ERROR");
            assertThat(smtp.getReceivedMessagesForDomain(fine)).hasSize(1);
            assertThat(fixture.messageStatus(fineCart.getId(), 1)).isEqualTo("SENT");
        } finally {
            smtp.stop();
        }
    }
}
