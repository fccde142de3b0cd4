package io.github.cartrecovery.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;

import javax.mail.Message;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.cartrecovery.delivery.TlsSmtpServer.Mode;

/**
 * TLS to the mail server against a local SMTP server that really does TLS (SMTPS and STARTTLS), with
 * certificates made by keytool: one for "localhost" and one for "mail.example.org" from a private test CA the
 * plugin trusts through cartrecovery.delivery.smtp.trust-store, and one for "localhost" from a CA it does
 * not trust. The mailer always connects to "localhost".
 */
class SmtpTlsTest {

    @TempDir
    static Path dir;

    static Path trustedCa;
    static Path localhost;
    static Path otherHost;
    static Path untrustedLocalhost;

    @BeforeAll
    static void certificates() throws Exception {
        TestCertificates privateCa = new TestCertificates(dir, "Test Private CA");
        trustedCa = privateCa.trustStore();
        localhost = privateCa.serverKeyStore("localhost");
        otherHost = privateCa.serverKeyStore("mail.example.org");
        untrustedLocalhost = new TestCertificates(dir, "Unknown CA").serverKeyStore("localhost");
    }

    @Test
    void smtpsAcceptsACertificateForTheHostFromThePrivateCaInTheTrustStore() throws Exception {
        try (TlsSmtpServer server = new TlsSmtpServer(Mode.SMTPS, localhost)) {
            send(trusting("SSL", server), "a@example.com");
            assertThat(server.handshakes()).containsExactly("smtps");
            assertThat(server.delivered()).containsExactly("a@example.com");
        }
    }

    @Test
    void startTlsAcceptsACertificateForTheHostFromThePrivateCaInTheTrustStore() throws Exception {
        try (TlsSmtpServer server = new TlsSmtpServer(Mode.STARTTLS, localhost)) {
            send(trusting("STARTTLS", server), "a@example.com");
            assertThat(server.handshakes()).containsExactly("starttls");
            assertThat(server.delivered()).containsExactly("a@example.com");
        }
    }

    @Test
    void smtpsIsAlsoAcceptedAsTheNameOfTheSslMode() throws Exception {
        try (TlsSmtpServer server = new TlsSmtpServer(Mode.SMTPS, localhost)) {
            send(trusting("smtps", server), "a@example.com");
            assertThat(server.delivered()).containsExactly("a@example.com");
        }
    }

    @Test
    void startTlsRefusesACertificateIssuedForAnotherHostName() throws Exception {
        try (TlsSmtpServer server = new TlsSmtpServer(Mode.STARTTLS, otherHost)) {
            assertRefused(trusting("STARTTLS", server));
            assertThat(server.delivered()).isEmpty();
        }
    }

    @Test
    void smtpsRefusesACertificateIssuedForAnotherHostName() throws Exception {
        try (TlsSmtpServer server = new TlsSmtpServer(Mode.SMTPS, otherHost)) {
            assertRefused(trusting("SSL", server));
            assertThat(server.delivered()).isEmpty();
        }
    }

    @Test
    void startTlsRefusesACertificateFromACaThatIsNotInTheTrustStore() throws Exception {
        try (TlsSmtpServer server = new TlsSmtpServer(Mode.STARTTLS, untrustedLocalhost)) {
            assertRefused(trusting("STARTTLS", server));
            assertThat(server.handshakes()).isEmpty();
            assertThat(server.delivered()).isEmpty();
        }
    }

    @Test
    void smtpsRefusesACertificateFromACaThatIsNotInTheTrustStore() throws Exception {
        try (TlsSmtpServer server = new TlsSmtpServer(Mode.SMTPS, untrustedLocalhost)) {
            assertRefused(trusting("SSL", server));
            assertThat(server.handshakes()).isEmpty();
            assertThat(server.delivered()).isEmpty();
        }
    }

    @Test
    void withoutATrustStoreSettingOnlyTheJvmsCasAreTrustedSoAPrivateCaIsRefused() throws Exception {
        try (TlsSmtpServer server = new TlsSmtpServer(Mode.STARTTLS, localhost)) {
            assertRefused(new SmtpMailer("localhost", server.port(), "STARTTLS", "", "", 2000, 5000, "", "", ""));
            assertThat(server.delivered()).isEmpty();
        }
    }

    @Test
    void startTlsIsRequiredSoAServerThatDoesNotOfferItGetsNothing() throws Exception {
        try (TlsSmtpServer server = new TlsSmtpServer(Mode.PLAIN_ONLY, localhost)) {
            assertRefused(trusting("STARTTLS", server));
            assertThat(server.delivered()).isEmpty();
        }
    }

    @Test
    void aTrustStoreThatCannotBeReadStopsStartupNamingTheSetting() {
        assertThatThrownBy(() -> new SmtpMailer("localhost", 25, "STARTTLS", "", "", 2000, 5000,
                dir.resolve("missing.p12").toString(), TestCertificates.PASSWORD, "PKCS12"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cartrecovery.delivery.smtp.trust-store").hasMessageContaining("missing.p12");
        assertThatThrownBy(() -> new SmtpMailer("localhost", 25, "SSL", "", "", 2000, 5000,
                trustedCa.toString(), "wrong password", "PKCS12"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cartrecovery.delivery.smtp.trust-store-password");
        assertThatThrownBy(() -> new SmtpMailer("localhost", 25, "TLS", "", "", 2000, 5000, "", "", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cartrecovery.delivery.smtp.security must be NONE, STARTTLS or SSL");
    }

    private static SmtpMailer trusting(String security, TlsSmtpServer server) {
        return new SmtpMailer("localhost", server.port(), security, "", "", 2000, 5000, trustedCa.toString(),
                TestCertificates.PASSWORD, "PKCS12");
    }

    private static void assertRefused(SmtpMailer mailer) {
        Throwable refused = catchThrowable(() -> send(mailer, "a@example.com"));
        assertThat(refused).isInstanceOf(SmtpMailer.TlsRefused.class)
                .hasMessageContaining("TLS to SMTP server localhost:")
                .hasMessageContaining("cartrecovery.delivery.smtp.trust-store");
    }

    private static void send(SmtpMailer mailer, String to) throws Exception {
        try (SmtpMailer.Connection connection = mailer.open()) {
            MimeMessage message = new MimeMessage(mailer.session());
            message.setFrom(new InternetAddress("shop@example.com"));
            message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
            message.setSubject("Hi");
            message.setText("hi");
            connection.send(message);
        }
    }
}
