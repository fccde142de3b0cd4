package io.github.cartrecovery.delivery;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentLinkedDeque;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.springframework.jdbc.core.JdbcTemplate;

import io.github.cartrecovery.channel.Addressee;
import io.github.cartrecovery.channel.Channel;
import io.github.cartrecovery.channel.ChannelMessage;
import io.github.cartrecovery.channel.ChannelUnavailableException;
import io.github.cartrecovery.channel.Recipient;
import io.github.cartrecovery.channel.SendOutcome;
import io.github.cartrecovery.rendering.EmailModel;
import io.github.cartrecovery.rendering.EmailRenderer;
import io.github.cartrecovery.rendering.RenderedEmail;
import io.github.cartrecovery.suppression.SuppressionReason;
import io.github.cartrecovery.suppression.Suppressions;

/**
 * The email channel over SMTP. Builds each message with Thymeleaf and Commons Email and encodes it to its wire form
 * on the render threads ({@link EncodedMessage}); its message key is the Message-ID. One SMTP connection serves a
 * sender's share of a batch: one kept from an earlier batch, when it was used less than 30 s ago and still answers a
 * NOOP, else a new one (as many are kept as senders ran). A 4xx
 * reply is a retry, a 5xx reply refuses the address for good (it is suppressed in the same transaction that marks the
 * message FAILED), any other error while sending leaves the outcome unknown ({@link SmtpFailure}).
 */
public class EmailChannel implements Channel<MimeMessage> {

    public static final String NAME = "EMAIL";
    /** How long an SMTP connection is kept open between batches (well below common server idle timeouts). */
    private static final long IDLE_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final EmailRenderer renderer;
    private final RecoveryMessageBuilder messages;
    private final SmtpMailer mailer;
    /** Connections kept between batches, the most recently used first. */
    private final ConcurrentLinkedDeque<IdleConnection> idle = new ConcurrentLinkedDeque<IdleConnection>();

    public EmailChannel(EmailRenderer renderer, RecoveryMessageBuilder messages, SmtpMailer mailer) {
        this.renderer = renderer;
        this.messages = messages;
        this.mailer = mailer;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Every planned message has an email address; suppression and consent are the exit rules' (ExitRules). */
    @Override
    public Map<Long, Recipient> recipients(JdbcTemplate jdbc, List<Addressee> addressees, Instant now) {
        Map<Long, Recipient> recipients = new HashMap<Long, Recipient>();
        for (Addressee addressee : addressees) {
            recipients.put(addressee.getPlannedMessageId(), Recipient.to(addressee.getEmail()));
        }
        return recipients;
    }

    @Override
    public String newMessageKey(long plannedMessageId) {
        return messages.newMessageId(plannedMessageId);
    }

    @Override
    public MimeMessage build(ChannelMessage message) {
        RenderedEmail rendered = renderer.render(message.getTemplate(),
                new EmailModel(message.getSubject(), message.getCart(), message.getLinks(), message.getCoupon()),
                message.getEditedCopy());
        Session session = mailer.session();
        return EncodedMessage.of(session, messages.build(session, message.getMessageKey(), message.getPlannedMessageId(),
                message.getRecipient().getAddress(), rendered));
    }

    @Override
    public Sender<MimeMessage> open() throws ChannelUnavailableException {
        try {
            return new SmtpSender(connection());
        } catch (MessagingException e) {
            throw new ChannelUnavailableException("SMTP server unreachable: " + e.getMessage(), e);
        }
    }

    /** A 5xx reply: the address is suppressed (BOUNCED) with the message's FAILED record. */
    @Override
    public void recipientRefused(JdbcTemplate jdbc, Recipient recipient, String detail, Instant now) {
        new Suppressions(jdbc).suppress(recipient.getAddress(), SuppressionReason.BOUNCED, "smtp: " + detail, now);
    }

    /** A connection kept from an earlier batch if it is recent and still answers, else a new one. */
    private SmtpMailer.Connection connection() throws MessagingException {
        for (IdleConnection kept = idle.pollFirst(); kept != null; kept = idle.pollFirst()) {
            if (System.nanoTime() - kept.sinceNanos < IDLE_LIMIT_NANOS && kept.connection.isOpen()) {
                return kept.connection;
            }
            kept.connection.close();
        }
        return mailer.open();
    }

    @Override
    public void closeIdle() {
        for (IdleConnection kept = idle.pollFirst(); kept != null; kept = idle.pollFirst()) {
            kept.connection.close();
        }
    }

    /** Sends one batch over one SMTP connection. */
    private final class SmtpSender implements Sender<MimeMessage> {

        private final SmtpMailer.Connection smtp;

        SmtpSender(SmtpMailer.Connection smtp) {
            this.smtp = smtp;
        }

        @Override
        public SendOutcome send(Recipient recipient, long plannedMessageId, MimeMessage content) {
            try {
                smtp.send(content);
                return SendOutcome.accepted(null);
            } catch (MessagingException e) {
                switch (SmtpFailure.of(e)) {
                    case TEMPORARY:
                        return SendOutcome.retry(e.getMessage(), null);
                    case PERMANENT:
                        return SendOutcome.rejected(e.toString(), true);
                    default:
                        return SendOutcome.unknown(e.toString());
                }
            }
        }

        @Override
        public void close(boolean reusable) {
            if (reusable) {
                idle.addFirst(new IdleConnection(smtp, System.nanoTime()));
                while (idle.size() > MessageDelivery.MAX_SENDERS) { // never more than senders ran at once
                    IdleConnection oldest = idle.pollLast();
                    if (oldest != null) {
                        oldest.connection.close();
                    }
                }
            } else {
                smtp.close();
            }
        }
    }

    /** An open SMTP connection waiting for the next batch. */
    private static final class IdleConnection {
        final SmtpMailer.Connection connection;
        final long sinceNanos;

        IdleConnection(SmtpMailer.Connection connection, long sinceNanos) {
            this.connection = connection;
            this.sinceNanos = sinceNanos;
        }
    }
}
