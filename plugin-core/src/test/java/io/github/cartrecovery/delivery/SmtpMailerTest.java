package io.github.cartrecovery.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;

import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;

import io.github.cartrecovery.links.LinkTokens;
import io.github.cartrecovery.links.SignedRecoveryLinks;
import io.github.cartrecovery.links.SigningKeys;
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
            RecoveryMessageBuilder messages = new RecoveryMessageBuilder(
                    new SignedRecoveryLinks(new StoreUrls("https://shop.example.com", "", ""), "u@example.com",
                            new LinkTokens(SigningKeys.parse(PluginContext.TEST_SIGNING_KEYS)), Clock.systemUTC(), 30, 400), "shop@example.com", "Shop", "cr.test");
            try (SmtpMailer.Connection connection = mailer.open()) {
                for (int i = 1; i <= 3; i++) {
                    connection.send(messages.build(mailer.session(), i, "a" + i + "@example.com",
                            new RenderedEmail("Hi", "<p>hi</p>", "hi")));
                }
            }
            assertThat(greenMail.getReceivedMessages()).hasSize(3);
            assertThat(greenMail.getReceivedMessages()[0].getMessageID()).isEqualTo("<cr-1@cr.test>");
        } finally {
            greenMail.stop();
        }
    }
}
