package io.github.cartrecovery.delivery;

import java.util.Properties;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.Transport;
import javax.mail.internet.MimeMessage;

/**
 * The SMTP server, from properties: host, port, security (NONE, STARTTLS, SSL), optional auth, timeouts.
 * {@link #open()} connects once; the returned connection sends a whole batch over one transport.
 */
public class SmtpMailer {

    private final String host;
    private final int port;
    private final String security;
    private final String username;
    private final String password;
    private final Session session;

    public SmtpMailer(String host, int port, String security, String username, String password,
                      int connectTimeoutMs, int timeoutMs) {
        this.host = host;
        this.port = port;
        this.security = security == null ? "NONE" : security.trim().toUpperCase(java.util.Locale.ROOT);
        this.username = username == null || username.trim().isEmpty() ? null : username.trim();
        // No user, no password: javax.mail would otherwise log in as the OS user.
        this.password = this.username == null ? null : password;
        boolean ssl = "SSL".equals(this.security);
        String protocol = ssl ? "smtps" : "smtp";
        Properties properties = new Properties();
        properties.setProperty("mail.transport.protocol", protocol);
        properties.setProperty("mail." + protocol + ".host", host);
        properties.setProperty("mail." + protocol + ".port", String.valueOf(port));
        properties.setProperty("mail." + protocol + ".connectiontimeout", String.valueOf(connectTimeoutMs));
        properties.setProperty("mail." + protocol + ".timeout", String.valueOf(timeoutMs));
        properties.setProperty("mail." + protocol + ".writetimeout", String.valueOf(timeoutMs));
        properties.setProperty("mail." + protocol + ".auth", String.valueOf(this.username != null));
        if ("STARTTLS".equals(this.security)) {
            properties.setProperty("mail.smtp.starttls.enable", "true");
            properties.setProperty("mail.smtp.starttls.required", "true");
        } else if (!ssl && !"NONE".equals(this.security)) {
            throw new IllegalArgumentException("cartrecovery.delivery.smtp.security must be NONE, STARTTLS or SSL, not '"
                    + security + "'");
        }
        if (ssl) {
            properties.setProperty("mail.smtps.ssl.checkserveridentity", "true");
        }
        this.session = Session.getInstance(properties);
    }

    public Session session() {
        return session;
    }

    /** Connects (and authenticates); throws when the server cannot be reached: nothing was sent. */
    public Connection open() throws MessagingException {
        Transport transport = session.getTransport();
        transport.connect(host, port, username, password);
        return new Connection(transport);
    }

    /** The connection was lost and could not be opened again: this message was definitely not sent. */
    public static final class NotConnected extends MessagingException {
        private static final long serialVersionUID = 1L;

        NotConnected(MessagingException cause) {
            super("SMTP connection lost and not re-established: " + cause.getMessage(), cause);
        }
    }

    /**
     * One open SMTP transport, reused for every message of a batch. The connection is only probed (a NOOP
     * round trip) before a message that follows a failed one, not before every message.
     */
    public final class Connection implements AutoCloseable {
        private Transport transport;
        private boolean suspect;

        Connection(Transport transport) {
            this.transport = transport;
        }

        public void send(MimeMessage message) throws MessagingException {
            if (suspect && !transport.isConnected()) {
                transport.close();
                transport = session.getTransport();
                try {
                    transport.connect(host, port, username, password);
                } catch (MessagingException e) {
                    throw new NotConnected(e);
                }
            }
            suspect = true;
            transport.sendMessage(message, message.getAllRecipients());
            suspect = false;
        }

        /** True when the server still answers (one NOOP round trip). */
        public boolean isOpen() {
            return transport.isConnected();
        }

        @Override
        public void close() {
            try {
                transport.close();
            } catch (MessagingException ignored) {
                // closing a dead connection
            }
        }
    }
}
