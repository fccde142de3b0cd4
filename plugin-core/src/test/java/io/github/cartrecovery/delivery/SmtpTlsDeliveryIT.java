package io.github.cartrecovery.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.broadleafcommerce.core.order.domain.Order;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.cartrecovery.campaign.RecoveryPlanner;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;

/** A delivery refused for TLS reasons loses nothing: the message waits, says why, and goes once TLS is right. */
@BroadleafWithPlugin
class SmtpTlsDeliveryIT {

    @TempDir
    Path dir;

    RecoveryFixture fixture;
    RecoveryPlanner planner;

    @BeforeEach
    void fixture(PluginContext broadleaf) {
        fixture = new RecoveryFixture(broadleaf);
        planner = broadleaf.bean("crRecoveryPlanner", RecoveryPlanner.class);
    }

    @Test
    void aMessageRefusedForTlsReasonsWaitsWithTheReasonAndIsSentOnceTheServerHasTheRightCertificate() throws Exception {
        TestCertificates ca = new TestCertificates(dir, "Delivery CA");
        Path trustStore = ca.trustStore();
        Instant abandoned = fixture.nextMorning();
        String email = RecoveryFixture.uniqueEmail("tls");
        Order cart = fixture.abandonedCart(email);
        planner.planDue();
        fixture.clock.set(abandoned.plus(Duration.ofHours(1)));

        try (TlsSmtpServer wrongName = new TlsSmtpServer(TlsSmtpServer.Mode.STARTTLS, ca.serverKeyStore("mail.example.org"))) {
            MessageDelivery delivery = fixture.deliveryWith(mailer(wrongName.port(), trustStore),
                    fixture.broadleaf.bean("crExitRules", ExitRules.class), "tls-node");
            assertThat(delivery.deliverDue(1000)).isZero();
            assertThat(wrongName.delivered()).isEmpty();
        }
        assertThat(fixture.messageStatus(cart.getId(), 1)).isEqualTo("PLANNED");
        assertThat(fixture.jdbc.queryForObject("SELECT LAST_ERROR FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? AND STEP_NO = 1",
                String.class, cart.getId())).contains("TLS to SMTP server localhost:").contains("refused")
                .contains("cartrecovery.delivery.smtp.trust-store");

        fixture.clock.advance(Duration.ofMinutes(10)); // past the first back-off
        try (TlsSmtpServer rightName = new TlsSmtpServer(TlsSmtpServer.Mode.STARTTLS, ca.serverKeyStore("localhost"))) {
            MessageDelivery delivery = fixture.deliveryWith(mailer(rightName.port(), trustStore),
                    fixture.broadleaf.bean("crExitRules", ExitRules.class), "tls-node");
            delivery.deliverDue(1000);
            // earlier tests of this JVM may have left due messages; this one's must be among the delivered, once
            assertThat(rightName.delivered()).containsOnlyOnce(email.toLowerCase());
        }
        assertThat(fixture.messageStatus(cart.getId(), 1)).isEqualTo("SENT");
    }

    private static SmtpMailer mailer(int port, Path trustStore) {
        return new SmtpMailer("localhost", port, "STARTTLS", "", "", 2000, 5000, trustStore.toString(),
                TestCertificates.PASSWORD, "PKCS12");
    }
}
