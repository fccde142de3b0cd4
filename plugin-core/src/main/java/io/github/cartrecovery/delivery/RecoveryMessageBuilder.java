package io.github.cartrecovery.delivery;

import java.io.IOException;
import java.util.regex.Pattern;

import javax.mail.MessagingException;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.commons.mail.EmailException;

import io.github.cartrecovery.rendering.RenderedEmail;

/**
 * Builds the MIME message of a planned message with Commons Email: HTML and text alternatives (UTF-8),
 * a Message-ID {@code <cr.<planned message id>.<128 random bits>@domain>} (RFC 5322 msg-id), {@code List-Unsubscribe}
 * (https and mailto) and {@code List-Unsubscribe-Post: List-Unsubscribe=One-Click} (RFC 8058). Stateless but for
 * channel.MessageKeys (thread-safe).
 */
public class RecoveryMessageBuilder {

    /** Labels of letters, digits and hyphens joined by single dots: a dot-atom-text every mail system accepts. */
    private static final Pattern DOT_ATOM = Pattern.compile("[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*");

    private final RecoveryLinks links;
    private final String fromAddress;
    private final String fromName;
    private final String messageIdDomain;

    public RecoveryMessageBuilder(RecoveryLinks links, String fromAddress, String fromName, String messageIdDomain) {
        if (messageIdDomain == null || !DOT_ATOM.matcher(messageIdDomain).matches()) {
            throw new IllegalArgumentException("cartrecovery.delivery.message-id-domain: '" + messageIdDomain
                    + "' must be a host name (letters, digits, hyphens and single dots), the right side of a Message-ID");
        }
        this.links = links;
        this.fromAddress = fromAddress;
        this.fromName = fromName;
        this.messageIdDomain = messageIdDomain;
    }

    public String testMessageId() {
        return "<cr.test." + randomPart() + "@" + messageIdDomain + ">";
    }

    /**
     * A Message-ID never used before for a planned message: planned message ids start again at 1 in a reset database
     * and repeat after a restore, so the id alone could name two different emails to a receiver that threads or
     * de-duplicates by Message-ID. Delivery keeps the one it wrote at a message's first prepare for its retries.
     */
    public String newMessageId(long plannedMessageId) {
        return "<cr." + plannedMessageId + "." + randomPart() + "@" + messageIdDomain + ">";
    }

    /** 128 bits from a SecureRandom, as 32 lower-case hex digits. */
    private static String randomPart() {
        return io.github.cartrecovery.channel.MessageKeys.randomHex();
    }

    /** With a new Message-ID (a message's first attempt, a benchmark, a test). */
    public MimeMessage build(Session session, long plannedMessageId, String to, RenderedEmail rendered) {
        return build(session, newMessageId(plannedMessageId), plannedMessageId, to, rendered);
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
            MimeMessage message = email.getMimeMessage();
            declareTransferEncodings(message);
            message.saveChanges();
            return message;
        } catch (MessagingException e) {
            throw new IllegalArgumentException("could not build recovery email " + plannedMessageId + " to " + to
                    + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("could not build recovery email " + plannedMessageId + " to " + to
                    + ": " + e.getMessage(), e);
        } catch (EmailException e) {
            throw new IllegalArgumentException("could not build recovery email " + plannedMessageId + " to " + to
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * Sets each text part's Content-Transfer-Encoding from its text (7bit when it is short-lined ASCII, else
     * quoted-printable), so JavaMail does not stream every part through an encoder just to choose one.
     */
    private static void declareTransferEncodings(Part part) throws MessagingException, IOException {
        Object content = part.getContent();
        if (content instanceof Multipart) {
            Multipart multipart = (Multipart) content;
            for (int i = 0; i < multipart.getCount(); i++) {
                declareTransferEncodings(multipart.getBodyPart(i));
            }
        } else if (content instanceof String && part.getHeader("Content-Transfer-Encoding") == null) {
            part.setHeader("Content-Transfer-Encoding", sevenBit((String) content) ? "7bit" : "quoted-printable");
        }
    }

    /** ASCII only, no line longer than 998 characters (RFC 5322), no bare CR. */
    static boolean sevenBit(String text) {
        int lineLength = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 128 || c == 0) {
                return false;
            }
            if (c == '\n') {
                lineLength = 0;
            } else if (c == '\r') {
                if (i + 1 >= text.length() || text.charAt(i + 1) != '\n') {
                    return false;
                }
            } else if (++lineLength > 998) {
                return false;
            }
        }
        return true;
    }
}
