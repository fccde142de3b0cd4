package io.github.cartrecovery.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import javax.annotation.Resource;

import org.broadleafcommerce.core.order.domain.Order;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;

import io.github.cartrecovery.campaign.RecoveryPlanner;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;

/** The Message-ID names one email: kept for a message's retries, never given again to a row that starts over. */
@BroadleafWithPlugin
class MessageIdIT {

    @Resource(name = "crRecoveryPlanner")
    RecoveryPlanner planner;

    RecoveryFixture fixture;
    GreenMail smtp;
    MessageDelivery delivery;
    String email;
    Order cart;

    @BeforeEach
    void sendTheFirstMessage(PluginContext broadleaf) {
        fixture = new RecoveryFixture(broadleaf);
        int port = RecoveryFixture.freePort();
        smtp = RecoveryFixture.greenMail(port);
        delivery = fixture.deliveryTo(port);
        Instant abandoned = fixture.nextMorning();
        email = RecoveryFixture.uniqueEmail("message-id");
        cart = fixture.abandonedCart(email);
        planner.planDue();
        fixture.clock.set(abandoned.plus(Duration.ofHours(1)));
        delivery.deliverDue(1000);
        assertThat(fixture.messageStatus(cart.getId(), 1)).isEqualTo("SENT");
    }

    @AfterEach
    void stop() {
        smtp.stop();
    }

    @Test
    void aMessageThatStartsOverInARestoredDatabaseGetsANewMessageId() throws Exception {
        String first = storedMessageId();
        // the row as a backup taken before its send holds it (a reset database would reuse the id for another email)
        fixture.jdbc.update("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'PLANNED', SENT_AT = NULL, MESSAGE_ID = NULL, "
                + "CLAIMED_BY = NULL, LEASE_UNTIL = NULL WHERE ORDER_ID = ? AND STEP_NO = 1", cart.getId());

        delivery.deliverDue(1000);

        assertThat(receivedMessageIds()).hasSize(2).doesNotHaveDuplicates().contains(first, storedMessageId());
    }

    @Test
    void aRetryOfTheSameRowKeepsItsMessageId() throws Exception {
        String first = storedMessageId();
        fixture.jdbc.update("UPDATE CR_PLANNED_MESSAGE SET STATUS = 'PLANNED', SENT_AT = NULL, CLAIMED_BY = NULL, "
                + "LEASE_UNTIL = NULL WHERE ORDER_ID = ? AND STEP_NO = 1", cart.getId());

        delivery.deliverDue(1000);

        assertThat(receivedMessageIds()).containsExactly(first, first);
        assertThat(storedMessageId()).isEqualTo(first);
    }

    private String storedMessageId() {
        return fixture.jdbc.queryForObject("SELECT MESSAGE_ID FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? AND STEP_NO = 1",
                String.class, cart.getId());
    }

    private java.util.List<String> receivedMessageIds() throws Exception {
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (jakarta.mail.internet.MimeMessage message : smtp.getReceivedMessagesForDomain(email)) {
            ids.add(message.getMessageID());
        }
        return ids;
    }
}
