package io.github.cartrecovery.delivery;

import java.util.Properties;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.Transport;
import javax.mail.internet.MimeMessage;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;

/**
 * The SMTP server, from properties: host, port, security (NONE, STARTTLS, SSL), optional auth, timeouts.
 * {@link #open()} connects once; the returned connection sends a whole batch over one transport.
 * <p>
 * With STARTTLS (required: a server that does not offer it is refused) or SSL (SMTPS), the server's
 * certificate must chain to the trust store (the JVM's default, or cartrecovery.delivery.smtp.trust-store
 * for a private CA) and name the configured host; nothing is ever trusted blindly (no ssl.trust "*").
 * A refused handshake is a {@link TlsRefused}: nothing was sent, the messages are retried later.
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
        this(host, port, security, username, password, connectTimeoutMs, timeoutMs, "", "", "");
    }

    public SmtpMailer(String host, int port, String security, String username, String password,
                      int connectTimeoutMs, int timeoutMs, String trustStore, String trustStorePassword,
                      String trustStoreType) {
        this.host = host;
        this.port = port;
        String mode = security == null ? "NONE" : security.trim().toUpperCase(java.util.Locale.ROOT);
        this.security = "SMTPS".equals(mode) ? "SSL" : mode;
        this.username = username == null || username.trim().isEmpty() ? null : username.trim();
        // No user, no password: javax.mail would otherwise log in as the OS user.
        this.password = this.username == null ? null : password;
        boolean ssl = "SSL".equals(this.security);
        boolean startTls = "STARTTLS".equals(this.security);
        if (!ssl && !startTls && !"NONE".equals(this.security)) {
            throw new IllegalArgumentException("cartrecovery.delivery.smtp.security must be NONE, STARTTLS or SSL, not '"
                    + security + "'");
        }
        String protocol = ssl ? "smtps" : "smtp";
        Properties properties = new Properties();
        properties.setProperty("mail.transport.protocol", protocol);
        properties.setProperty("mail." + protocol + ".host", host);
        properties.setProperty("mail." + protocol + ".port", String.valueOf(port));
        properties.setProperty("mail." + protocol + ".connectiontimeout", String.valueOf(connectTimeoutMs));
        properties.setProperty("mail." + protocol + ".timeout", String.valueOf(timeoutMs));
        properties.setProperty("mail." + protocol + ".writetimeout", String.valueOf(timeoutMs));
        properties.setProperty("mail." + protocol + ".auth", String.valueOf(this.username != null));
        if (!ssl) {
            properties.put("mail.smtp.socketFactory", NoDelaySockets.INSTANCE);
        }
        if (startTls) {
            properties.setProperty("mail.smtp.starttls.enable", "true");
            properties.setProperty("mail.smtp.starttls.required", "true");
        }
        if (ssl || startTls) {
            // javax.mail 1.5 checks only the chain unless told to: the host name is checked here, for both modes
            properties.setProperty("mail." + protocol + ".ssl.checkserveridentity", "true");
            SSLSocketFactory trusting = SmtpTrustStore.socketFactory(trustStore, trustStorePassword, trustStoreType);
            if (ssl) {
                // SMTPS: the TLS socket is the TCP socket, so it gets TCP_NODELAY here (STARTTLS layers TLS over a
                // plain socket that already has it)
                properties.put("mail.smtps.ssl.socketFactory", new NoDelayTlsSockets(
                        trusting != null ? trusting : (SSLSocketFactory) SSLSocketFactory.getDefault()));
            } else if (trusting != null) {
                properties.put("mail.smtp.ssl.socketFactory", trusting);
            }
        }
        this.session = Session.getInstance(properties);
    }

    public Session session() {
        return session;
    }

    /**
     * SMTPS sockets with TCP_NODELAY, for the reason {@link NoDelaySockets} gives; everything else (trust, protocols,
     * cipher suites) is the wrapped factory's.
     */
    static final class NoDelayTlsSockets extends SSLSocketFactory {
        private final SSLSocketFactory tls;

        NoDelayTlsSockets(SSLSocketFactory tls) {
            this.tls = tls;
        }

        private static java.net.Socket noDelay(java.net.Socket socket) throws java.io.IOException {
            socket.setTcpNoDelay(true);
            return socket;
        }

        @Override
        public java.net.Socket createSocket() throws java.io.IOException {
            return noDelay(tls.createSocket());
        }

        @Override
        public java.net.Socket createSocket(java.net.Socket socket, String host, int port, boolean autoClose)
                throws java.io.IOException {
            return noDelay(tls.createSocket(socket, host, port, autoClose));
        }

        @Override
        public java.net.Socket createSocket(String host, int port) throws java.io.IOException {
            return noDelay(tls.createSocket(host, port));
        }

        @Override
        public java.net.Socket createSocket(String host, int port, java.net.InetAddress localHost, int localPort)
                throws java.io.IOException {
            return noDelay(tls.createSocket(host, port, localHost, localPort));
        }

        @Override
        public java.net.Socket createSocket(java.net.InetAddress host, int port) throws java.io.IOException {
            return noDelay(tls.createSocket(host, port));
        }

        @Override
        public java.net.Socket createSocket(java.net.InetAddress address, int port, java.net.InetAddress localAddress,
                                            int localPort) throws java.io.IOException {
            return noDelay(tls.createSocket(address, port, localAddress, localPort));
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return tls.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return tls.getSupportedCipherSuites();
        }
    }

    /**
     * Plain SMTP sockets (NONE, and STARTTLS before its handshake) with TCP_NODELAY. javax.mail writes a message through
     * an 8 KB buffer and then the rest with the final dot; with Nagle's algorithm that rest waits until the server
     * acknowledges the first part, which a server in delayed-ACK mode does only after tens of milliseconds: a wait per
     * message (docs/performance.md, delivery). The commands and the message are written in whole buffers anyway.
     */
    static final class NoDelaySockets extends javax.net.SocketFactory {
        static final NoDelaySockets INSTANCE = new NoDelaySockets();

        @Override
        public java.net.Socket createSocket() throws java.io.IOException {
            java.net.Socket socket = new java.net.Socket();
            socket.setTcpNoDelay(true);
            return socket;
        }

        @Override
        public java.net.Socket createSocket(String host, int port) throws java.io.IOException {
            return connected(new java.net.InetSocketAddress(host, port), null);
        }

        @Override
        public java.net.Socket createSocket(String host, int port, java.net.InetAddress localHost, int localPort)
                throws java.io.IOException {
            return connected(new java.net.InetSocketAddress(host, port), new java.net.InetSocketAddress(localHost, localPort));
        }

        @Override
        public java.net.Socket createSocket(java.net.InetAddress host, int port) throws java.io.IOException {
            return connected(new java.net.InetSocketAddress(host, port), null);
        }

        @Override
        public java.net.Socket createSocket(java.net.InetAddress address, int port, java.net.InetAddress localAddress,
                                            int localPort) throws java.io.IOException {
            return connected(new java.net.InetSocketAddress(address, port), new java.net.InetSocketAddress(localAddress, localPort));
        }

        private java.net.Socket connected(java.net.InetSocketAddress remote, java.net.InetSocketAddress local)
                throws java.io.IOException {
            java.net.Socket socket = createSocket();
            if (local != null) {
                socket.bind(local);
            }
            socket.connect(remote);
            return socket;
        }
    }

    /** Connects (and authenticates); throws when the server cannot be reached: nothing was sent. */
    public Connection open() throws MessagingException {
        Transport transport = session.getTransport();
        connect(transport);
        return new Connection(transport);
    }

    private void connect(Transport transport) throws MessagingException {
        try {
            transport.connect(host, port, username, password);
        } catch (MessagingException e) {
            if (TlsRefused.causedBy(e)) {
                throw new TlsRefused(host, port, e);
            }
            throw e;
        }
    }

    /**
     * The server's TLS certificate was refused (not issued by a trusted CA, or for another host name), or the
     * server would not start TLS: nothing was sent. Retried like an unreachable server, so an operator who
     * fixes the trust store or the host name loses no message.
     */
    public static final class TlsRefused extends MessagingException {
        private static final long serialVersionUID = 1L;

        TlsRefused(String host, int port, MessagingException cause) {
            super("TLS to SMTP server " + host + ":" + port + " refused: its certificate must be issued for '" + host
                    + "' by a CA in the trust store (cartrecovery.delivery.smtp.trust-store, default the JVM's): "
                    + describe(cause), cause);
        }

        private static String describe(Throwable failure) {
            StringBuilder text = new StringBuilder();
            for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (text.length() > 0) {
                    text.append(" / ");
                }
                text.append(t.getMessage());
            }
            return text.toString();
        }

        static boolean causedBy(Throwable failure) {
            for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
                String message = t.getMessage() == null ? "" : t.getMessage();
                if (t instanceof SSLException || t instanceof java.security.cert.CertificateException
                        || message.startsWith("Can't verify identity of server")
                        || message.contains("STARTTLS is required but host does not support STARTTLS")) {
                    return true;
                }
            }
            return false;
        }
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
                    connect(transport);
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
