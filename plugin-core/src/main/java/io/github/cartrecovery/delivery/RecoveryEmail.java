package io.github.cartrecovery.delivery;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.commons.mail.HtmlEmail;

/** A Commons Email HTML+text message whose Message-ID is ours (stable per planned message), not random. */
class RecoveryEmail extends HtmlEmail {

    private final String messageId;

    RecoveryEmail(String messageId) {
        this.messageId = messageId;
    }

    @Override
    protected MimeMessage createMimeMessage(Session session) {
        return new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
    }
}
