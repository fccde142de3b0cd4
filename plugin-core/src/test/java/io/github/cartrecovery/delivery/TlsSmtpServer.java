package io.github.cartrecovery.delivery;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A tiny SMTP server for TLS tests that really does TLS with the certificate in a given key store: SMTPS
 * (TLS from the first byte), STARTTLS (plain until the client asks), or PLAIN_ONLY (never offers STARTTLS).
 * Records the recipients of every accepted message and the number of finished TLS handshakes. One connection
 * at a time, on the loopback address.
 */
final class TlsSmtpServer implements AutoCloseable {

    enum Mode { SMTPS, STARTTLS, PLAIN_ONLY }

    private final Mode mode;
    private final SSLContext tls;
    private final ServerSocket socket;
    private final List<String> delivered = new CopyOnWriteArrayList<>();
    private final List<String> handshakes = new CopyOnWriteArrayList<>();

    TlsSmtpServer(Mode mode, Path keyStore) throws Exception {
        this.mode = mode;
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            keys.load(in, TestCertificates.PASSWORD.toCharArray());
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, TestCertificates.PASSWORD.toCharArray());
        tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);
        socket = mode == Mode.SMTPS
                ? tls.getServerSocketFactory().createServerSocket(0, 10, InetAddress.getLoopbackAddress())
                : new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread thread = new Thread(this::serve, "tls-smtp");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    /** Recipients of accepted messages, one entry per message and recipient. */
    List<String> delivered() {
        return delivered;
    }

    /** One entry per TLS handshake that completed on the server side. */
    List<String> handshakes() {
        return handshakes;
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket client = socket.accept()) {
                converse(client);
            } catch (IOException e) {
                // closed, the client went away, or it refused our certificate
            }
        }
    }

    private void converse(Socket client) throws IOException {
        Socket current = client;
        if (current instanceof SSLSocket) {
            ((SSLSocket) current).startHandshake();
            handshakes.add("smtps");
        }
        BufferedReader in = reader(current);
        Writer out = writer(current);
        reply(out, "220 tls stub ready");
        List<String> recipients = new CopyOnWriteArrayList<>();
        String line;
        while ((line = in.readLine()) != null) {
            String command = line.toUpperCase(Locale.ROOT);
            if (command.startsWith("EHLO")) {
                if (mode == Mode.STARTTLS && !(current instanceof SSLSocket)) {
                    reply(out, "250-tls stub");
                    reply(out, "250 STARTTLS");
                } else {
                    reply(out, "250 tls stub");
                }
            } else if (command.startsWith("HELO")) {
                reply(out, "250 tls stub");
            } else if (command.startsWith("STARTTLS") && mode == Mode.STARTTLS && !(current instanceof SSLSocket)) {
                reply(out, "220 go ahead");
                SSLSocket upgraded = (SSLSocket) tls.getSocketFactory().createSocket(current,
                        current.getInetAddress().getHostAddress(), current.getPort(), true);
                upgraded.setUseClientMode(false);
                upgraded.startHandshake();
                handshakes.add("starttls");
                current = upgraded;
                in = reader(current);
                out = writer(current);
            } else if (command.startsWith("MAIL FROM")) {
                recipients.clear();
                reply(out, "250 ok");
            } else if (command.startsWith("RCPT TO")) {
                recipients.add(line.substring(line.indexOf('<') + 1, line.indexOf('>')).toLowerCase(Locale.ROOT));
                reply(out, "250 ok");
            } else if (command.startsWith("DATA")) {
                reply(out, "354 go ahead");
                while ((line = in.readLine()) != null && !line.equals(".")) {
                    // message body
                }
                delivered.addAll(recipients);
                reply(out, "250 queued");
            } else if (command.startsWith("RSET") || command.startsWith("NOOP")) {
                reply(out, "250 ok");
            } else if (command.startsWith("QUIT")) {
                reply(out, "221 bye");
                return;
            } else {
                reply(out, "502 not implemented");
            }
        }
    }

    private static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
    }

    private static Writer writer(Socket socket) throws IOException {
        return new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.US_ASCII);
    }

    private static void reply(Writer out, String text) throws IOException {
        out.write(text + "\r\n");
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
