package io.github.cartrecovery.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import javax.persistence.EntityManager;
import javax.persistence.PersistenceContext;

import org.broadleafcommerce.core.order.domain.Order;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.ReflectionUtils;

import com.icegreen.greenmail.util.GreenMail;

import io.github.cartrecovery.campaign.RecoveryPlanner;
import io.github.cartrecovery.consent.Unsubscriptions;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;

/**
 * A suppression holds for every casing of its address, whoever wrote it (the admin screen, a bounce, an
 * unsubscribe) and however the message's address is written, on each database (MariaDB's collation ignores
 * case in SQL, PostgreSQL and HSQLDB do not; neither may matter).
 */
@BroadleafWithPlugin
class SuppressionCaseIT {

    @javax.annotation.Resource(name = "crRecoveryPlanner")
    RecoveryPlanner planner;

    @javax.annotation.Resource(name = "crUnsubscriptions")
    Unsubscriptions unsubscriptions;

    @PersistenceContext(unitName = "blPU")
    EntityManager entities;

    RecoveryFixture fixture;
    GreenMail smtp;
    MessageDelivery delivery;
    String localPart;
    Order cart;

    @BeforeEach
    void abandonACartOfJaneDoe(PluginContext broadleaf) {
        fixture = new RecoveryFixture(broadleaf);
        int port = RecoveryFixture.freePort();
        smtp = RecoveryFixture.greenMail(port);
        delivery = fixture.deliveryTo(port);
        Instant abandoned = fixture.nextMorning();
        localPart = RecoveryFixture.uniqueEmail("jane.doe").replace("@example.com", "");
        cart = fixture.abandonedCart(localPart + "@example.com");
        planner.planDue();
        fixture.clock.set(abandoned.plus(Duration.ofHours(1)));
    }

    @AfterEach
    void stop() {
        smtp.stop();
    }

    @Test
    void anAddressTheAdminSuppressedInCapitalsStopsMailToItsLowerCaseForm(PluginContext broadleaf) {
        String typed = capitalised(localPart) + "@Example.COM";
        suppressAsTheAdminScreenDoes(broadleaf, typed);

        deliverAndExpectSuppressed();
        assertThat(fixture.jdbc.queryForList("SELECT EMAIL FROM CR_SUPPRESSION WHERE EMAIL = ?", String.class,
                localPart + "@example.com")).containsExactly(localPart + "@example.com");
    }

    @Test
    void aBounceRecordedInCapitalsStopsMailToItsLowerCaseForm() {
        // as a 5xx reply records it: the email channel's refusal, in the transaction that marks the message FAILED
        new EmailChannel(null, null, null).recipientRefused(fixture.jdbc,
                io.github.cartrecovery.channel.Recipient.to(localPart.toUpperCase() + "@EXAMPLE.COM"), "550 test",
                fixture.clock.instant());

        deliverAndExpectSuppressed();
    }

    @Test
    void aLowerCaseSuppressionStopsAMessagePlannedForTheAddressInCapitals(PluginContext broadleaf) {
        suppressAsTheAdminScreenDoes(broadleaf, localPart + "@example.com");
        fixture.jdbc.update("UPDATE CR_PLANNED_MESSAGE SET EMAIL = ? WHERE ORDER_ID = ?",
                capitalised(localPart) + "@Example.com", cart.getId());

        deliverAndExpectSuppressed();
    }

    @Test
    void unsubscribingFromAMessageToTheAddressInCapitalsSuppressesEveryCasing() {
        long firstMessage = fixture.jdbc.queryForObject("SELECT ID FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? AND STEP_NO = 1",
                Long.class, cart.getId());
        fixture.jdbc.update("UPDATE CR_PLANNED_MESSAGE SET EMAIL = ? WHERE ID = ?", localPart.toUpperCase() + "@EXAMPLE.COM",
                firstMessage);

        unsubscriptions.unsubscribe(firstMessage, "page");

        assertThat(fixture.jdbc.queryForList("SELECT EMAIL FROM CR_SUPPRESSION WHERE REASON = 'UNSUBSCRIBED' AND EMAIL = ?",
                String.class, localPart + "@example.com")).hasSize(1);
        assertThat(fixture.messageStatus(cart.getId(), 2)).isEqualTo("SKIPPED");
    }

    private void deliverAndExpectSuppressed() {
        delivery.deliverDue(1000);
        assertThat(receivedByJane()).as(fixture.describe(cart.getId())).isEmpty();
        assertThat(fixture.messageStatus(cart.getId(), 1)).isEqualTo("SKIPPED");
        assertThat(fixture.messageOutcome(cart.getId(), 1)).isEqualTo(ExitReason.SUPPRESSED.name());
    }

    /** Messages to this test's address in any casing (other tests' later steps fall due as the clock moves on). */
    private List<String> receivedByJane() {
        List<String> recipients = new ArrayList<>();
        for (MimeMessage message : smtp.getReceivedMessages()) {
            try {
                for (Address to : message.getAllRecipients()) {
                    if (to.toString().toLowerCase().contains(localPart.toLowerCase())) {
                        recipients.add(to.toString());
                    }
                }
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return recipients;
    }

    /** Broadleaf's admin creates the entity with its no-argument constructor and sets each field reflectively. */
    private void suppressAsTheAdminScreenDoes(PluginContext broadleaf, String email) {
        new TransactionTemplate(broadleaf.bean("blTransactionManager", PlatformTransactionManager.class)).execute(status -> {
            Suppression row = new Suppression();
            set(row, "email", email);
            set(row, "reason", "MANUAL");
            set(row, "source", "admin");
            entities.persist(row);
            return null;
        });
    }

    private static void set(Suppression row, String field, Object value) {
        java.lang.reflect.Field f = ReflectionUtils.findField(Suppression.class, field);
        ReflectionUtils.makeAccessible(f);
        ReflectionUtils.setField(f, row, value);
    }

    private static String capitalised(String localPart) {
        return Character.toUpperCase(localPart.charAt(0)) + localPart.substring(1, 5) + Character.toUpperCase(localPart.charAt(5))
                + localPart.substring(6);
    }
}
