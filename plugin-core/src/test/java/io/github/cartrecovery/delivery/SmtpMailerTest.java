package io.github.cartrecovery.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;

import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;

import io.github.cartrecovery.keys.SigningKeys;
import io.github.cartrecovery.links.LinkTokens;
import io.github.cartrecovery.links.SignedRecoveryLinks;
import io.github.cartrecovery.links.StoreUrls;
import io.github.cartrecovery.rendering.RenderedEmail;
import io.github.cartrecovery.testing.PluginContext;

class SmtpMailerTest {

    @Test
    void sendsSeveralMessagesOverOneConnection() throws Exception {
        int port = RecoveryFixture.freePort();
        GreenMail greenMail = RecoveryFixture.greenMail(port);
        try {
            SmtpMailer mailer = new SmtpMailer("127.0.0.1", port, "NONE", "", "", 2000, 5000);
            RecoveryMessageBuilder messages = messageBuilder();
            try (SmtpMailer.Connection connection = mailer.open()) {
                for (int i = 1; i <= 3; i++) {
                    connection.send(messages.build(mailer.session(), i, "a" + i + "@example.com",
                            new RenderedEmail("Hi", "<p>hi</p>", "hi")));
                }
            }
            assertThat(greenMail.getReceivedMessages()).hasSize(3);
            assertThat(greenMail.getReceivedMessages()[0].getMessageID()).startsWith("<cr.1.").endsWith("@cr.test>");
        } finally {
            greenMail.stop();
        }
    }

    @Test
    void reconnectsAfterTheServerWentAwayAndCallsAMessageThatFoundItDownATemporaryFailure() throws Exception {
        int port = RecoveryFixture.freePort();
        GreenMail greenMail = RecoveryFixture.greenMail(port);
        SmtpMailer mailer = new SmtpMailer("127.0.0.1", port, "NONE", "", "", 2000, 5000);
        RecoveryMessageBuilder messages = messageBuilder();
        try (SmtpMailer.Connection connection = mailer.open()) {
            connection.send(messages.build(mailer.session(), 1, "a1@example.com", new RenderedEmail("Hi", "<p>hi</p>", "hi")));
            greenMail.stop();
            javax.mail.MessagingException lost = org.assertj.core.api.Assertions.catchThrowableOfType(
                    () -> connection.send(messages.build(mailer.session(), 2, "a2@example.com",
                            new RenderedEmail("Hi", "<p>hi</p>", "hi"))), javax.mail.MessagingException.class);
            assertThat(lost).isNotNull(); // the message in flight: the server may or may not have it
            javax.mail.MessagingException down = org.assertj.core.api.Assertions.catchThrowableOfType(
                    () -> connection.send(messages.build(mailer.session(), 3, "a3@example.com",
                            new RenderedEmail("Hi", "<p>hi</p>", "hi"))), javax.mail.MessagingException.class);
            assertThat(SmtpFailure.of(down)).isEqualTo(SmtpFailure.TEMPORARY); // never left: retried later
            greenMail = RecoveryFixture.greenMail(port);
            connection.send(messages.build(mailer.session(), 4, "a4@example.com", new RenderedEmail("Hi", "<p>hi</p>", "hi")));
            assertThat(greenMail.getReceivedMessages()).hasSize(1);
        } finally {
            greenMail.stop();
        }
    }

    @Test
    void declaresEachTextPartsTransferEncodingSoSendingNeedNotScanIt() throws Exception {
        SmtpMailer mailer = new SmtpMailer("127.0.0.1", 25, "NONE", "", "", 2000, 5000);
        RecoveryMessageBuilder messages = messageBuilder();
        javax.mail.internet.MimeMessage message = messages.build(mailer.session(), 7, "a@example.com",
                new RenderedEmail("Hi", "<p>plain ascii</p>", "Grüße, 12,50 €"));
        java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
        message.writeTo(raw);
        String mime = raw.toString("US-ASCII");
        assertThat(mime).contains("Content-Transfer-Encoding: 7bit").contains("Content-Transfer-Encoding: quoted-printable")
                .contains("Gr=C3=BC=C3=9Fe");
        assertThat(message.getMessageID()).startsWith("<cr.7.").endsWith("@cr.test>");
        assertThat(RecoveryMessageBuilder.sevenBit("a\r\nb")).isTrue();
        assertThat(RecoveryMessageBuilder.sevenBit("a\rb")).isFalse();
        assertThat(RecoveryMessageBuilder.sevenBit("x".repeat(999))).isFalse();
    }

    @Test
    void connectionsSendWithTcpNoDelaySoAMessagesLastBytesDoNotWaitForAnAcknowledgement() throws Exception {
        for (String security : new String[] {"NONE", "STARTTLS"}) {
            SmtpMailer mailer = new SmtpMailer("127.0.0.1", 25, security, "", "", 2000, 5000);
            Object factory = mailer.session().getProperties().get("mail.smtp.socketFactory");
            assertThat(factory).as(security).isInstanceOf(javax.net.SocketFactory.class);
            try (java.net.Socket socket = ((javax.net.SocketFactory) factory).createSocket()) {
                assertThat(socket.getTcpNoDelay()).as(security).isTrue();
            }
        }
        // SMTPS: the TLS socket is the TCP socket
        SmtpMailer smtps = new SmtpMailer("127.0.0.1", 465, "SSL", "", "", 2000, 5000);
        Object tls = smtps.session().getProperties().get("mail.smtps.ssl.socketFactory");
        assertThat(tls).isInstanceOf(javax.net.ssl.SSLSocketFactory.class);
        try (java.net.Socket socket = ((javax.net.ssl.SSLSocketFactory) tls).createSocket()) {
            assertThat(socket.getTcpNoDelay()).as("SSL").isTrue();
        }
        // and a batch over such a connection arrives whole (the timing is printed, not asserted: it depends on the kernel)
        int port = RecoveryFixture.freePort();
        GreenMail greenMail = RecoveryFixture.greenMail(port);
        try {
            SmtpMailer mailer = new SmtpMailer("127.0.0.1", port, "NONE", "", "", 2000, 5000);
            RecoveryMessageBuilder messages = messageBuilder();
            String html = "<p>" + "Enamel Mug, 2 x 12.50 USD<br/>\n".repeat(400) + "</p>";
            long start = System.nanoTime();
            try (SmtpMailer.Connection connection = mailer.open()) {
                for (int i = 1; i <= 100; i++) {
                    connection.send(EncodedMessage.of(mailer.session(), messages.build(mailer.session(), i, "n" + i + "@example.com",
                            new RenderedEmail("Hi", html, "hi"))));
                }
            }
            System.out.printf("100 messages of about 13 KB with TCP_NODELAY: %.1f ms each%n", (System.nanoTime() - start) / 1e8);
            assertThat(greenMail.getReceivedMessages()).hasSize(100);
        } finally {
            greenMail.stop();
        }
    }

    private static RecoveryMessageBuilder messageBuilder() {
        return new RecoveryMessageBuilder(
                new SignedRecoveryLinks(new StoreUrls("https://shop.example.com", "", ""), "u@example.com",
                        new LinkTokens(SigningKeys.parse(PluginContext.TEST_SIGNING_KEYS)), Clock.systemUTC(), 30, 400),
                "shop@example.com", "Shop", "cr.test");
    }
}
