package io.github.cartrecovery.delivery;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny SMTP server for tests: answers RCPT TO for addresses starting with "bounce" with 550, accepts
 * everything else and records the recipients of every accepted message. One connection at a time.
 */
final class RejectingSmtpServer implements AutoCloseable {

    private final ServerSocket socket;
    private final List<String> delivered = new CopyOnWriteArrayList<>();
    private final List<String> rejected = new CopyOnWriteArrayList<>();
    private final Thread thread;

    RejectingSmtpServer() throws IOException {
        socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        thread = new Thread(this::serve, "rejecting-smtp");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    /** Recipients refused with 550, one entry per attempt. */
    List<String> rejected() {
        return rejected;
    }

    /** Recipients of accepted messages, one entry per message and recipient. */
    List<String> delivered() {
        return delivered;
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket client = socket.accept()) {
                converse(client, delivered, rejected);
            } catch (IOException e) {
                // closed, or the client went away
            }
        }
    }

    /**
     * One SMTP conversation on an accepted connection, until QUIT or the client goes away: recipients starting with
     * "bounce" are refused (added to {@code rejected}), the recipients of accepted messages added to
     * {@code delivered}.
     */
    static void converse(Socket client, List<String> delivered, List<String> rejected) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
        Writer out = new OutputStreamWriter(client.getOutputStream(), StandardCharsets.US_ASCII);
        reply(out, "220 stub ready");
        List<String> recipients = new CopyOnWriteArrayList<>();
        String line;
        while ((line = in.readLine()) != null) {
            String command = line.toUpperCase(Locale.ROOT);
            if (command.startsWith("EHLO") || command.startsWith("HELO")) {
                reply(out, "250 stub");
            } else if (command.startsWith("MAIL FROM")) {
                recipients.clear();
                reply(out, "250 ok");
            } else if (command.startsWith("RCPT TO")) {
                String address = line.substring(line.indexOf('<') + 1, line.indexOf('>')).toLowerCase(Locale.ROOT);
                if (address.startsWith("bounce")) {
                    rejected.add(address);
                    // as Postfix answers: the reply names the recipient
                    reply(out, "550 5.1.1 <" + address + ">: Recipient address rejected: User unknown in local recipient table");
                } else {
                    recipients.add(address);
                    reply(out, "250 ok");
                }
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

    private static void reply(Writer out, String text) throws IOException {
        out.write(text + "\r\n");
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
