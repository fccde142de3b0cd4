package io.github.cartrecovery.delivery;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.commons.mail.EmailException;

import io.github.cartrecovery.rendering.RenderedEmail;

/**
 * Builds the MIME message of a planned message with Commons Email: HTML and text alternatives (UTF-8),
 * the stable Message-ID {@code <cr-<planned message id>@domain>}, {@code List-Unsubscribe} (https and
 * mailto) and {@code List-Unsubscribe-Post: List-Unsubscribe=One-Click} (RFC 8058). Stateless.
 */
public class RecoveryMessageBuilder {

    private final RecoveryLinks links;
    private final String fromAddress;
    private final String fromName;
    private final String messageIdDomain;

    public RecoveryMessageBuilder(RecoveryLinks links, String fromAddress, String fromName, String messageIdDomain) {
        this.links = links;
        this.fromAddress = fromAddress;
        this.fromName = fromName;
        this.messageIdDomain = messageIdDomain;
    }

    public String testMessageId() {
        return "<cr-test-" + java.util.UUID.randomUUID() + "@" + messageIdDomain + ">";
    }

    /** The same on every attempt and every node. */
    public String messageId(long plannedMessageId) {
        return "<cr-" + plannedMessageId + "@" + messageIdDomain + ">";
    }

    public MimeMessage build(Session session, long plannedMessageId, String to, RenderedEmail rendered) {
        return build(session, messageId(plannedMessageId), plannedMessageId, to, rendered);
    }

    /** With an explicit Message-ID (test sends use a fresh one, so they never collide with real messages). */
    public MimeMessage build(Session session, String messageId, long plannedMessageId, String to, RenderedEmail rendered) {
        try {
            RecoveryEmail email = new RecoveryEmail(messageId);
            email.setMailSession(session);
            email.setCharset("UTF-8");
            email.setFrom(fromAddress, fromName);
            email.addTo(to);
            email.setSubject(rendered.getSubject());
            email.setHtmlMsg(rendered.getHtml());
            email.setTextMsg(rendered.getText());
            email.addHeader("List-Unsubscribe", "<" + links.unsubscribeUrl(plannedMessageId) + ">, <"
                    + links.unsubscribeMailto(plannedMessageId) + ">");
            email.addHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
            email.addHeader("Auto-Submitted", "auto-generated");
            email.buildMimeMessage();
            return email.getMimeMessage();
        } catch (EmailException e) {
            throw new IllegalArgumentException("could not build recovery email " + plannedMessageId + " to " + to
                    + ": " + e.getMessage(), e);
        }
    }
}
