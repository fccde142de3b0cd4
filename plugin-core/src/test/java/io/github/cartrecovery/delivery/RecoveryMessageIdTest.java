package io.github.cartrecovery.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

import io.github.cartrecovery.rendering.RenderedEmail;

class RecoveryMessageIdTest {

    /** RFC 5322 3.6.4 msg-id: "<" dot-atom-text "@" (dot-atom-text / no-fold-literal) ">" (no-fold-literal unused). */
    private static final String ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]";
    private static final Pattern MSG_ID = Pattern.compile(
            "<" + ATEXT + "+(\\." + ATEXT + "+)*@" + ATEXT + "+(\\." + ATEXT + "+)*>");

    private final RecoveryMessageBuilder messages = new RecoveryMessageBuilder(mock(RecoveryLinks.class),
            "shop@example.com", "Shop", "mail.shop.example");

    @Test
    void twoMessagesWithTheSamePlannedMessageIdGetDifferentMessageIds() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            ids.add(messages.newMessageId(42));
        }
        assertThat(ids).hasSize(1000);
    }

    @Test
    void theMessageIdIsAnRfc5322MsgIdNamingThePlannedMessage() {
        String id = messages.newMessageId(42);
        assertThat(id).matches(MSG_ID).startsWith("<cr.42.").endsWith("@mail.shop.example>");
        assertThat(id.substring("<cr.42.".length(), id.indexOf('@'))).matches("[0-9a-f]{32}");
        assertThat(messages.testMessageId()).matches(MSG_ID);
    }

    @Test
    void theBuiltMessageCarriesTheMessageIdItWasGiven() throws Exception {
        String id = messages.newMessageId(7);
        MimeMessage message = messages.build(Session.getInstance(new java.util.Properties()), id, 7, "a@example.com",
                new RenderedEmail("Hi", "<p>hi</p>", "hi"));
        assertThat(message.getMessageID()).isEqualTo(id);
        assertThat(message.getHeader("Message-ID")).containsExactly(id);
    }

    @Test
    void aDomainThatCannotEndAMessageIdIsRefusedNamingTheSetting() {
        for (String bad : new String[] {"", "shop example.com", "shop..example", ".shop", "shop@example", "[1.2.3.4]"}) {
            assertThatThrownBy(() -> new RecoveryMessageBuilder(mock(RecoveryLinks.class), "s@example.com", "S", bad))
                    .as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cartrecovery.delivery.message-id-domain");
        }
    }
}
