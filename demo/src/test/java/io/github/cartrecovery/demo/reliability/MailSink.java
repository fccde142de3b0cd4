package io.github.cartrecovery.demo.reliability;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;

import javax.mail.internet.MimeMessage;

import com.icegreen.greenmail.mail.MailAddress;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * The suite's SMTP server, run as its own JVM on loopback ({@code MailSink <port> <received.log>}): GreenMail's
 * SMTP server whose delivery handler appends one line per accepted recipient to the log (receive time in epoch
 * ms, Message-ID, recipient, the suite's catalog products the text names) and flushes it before the server answers 250, so the log is the mailbox and
 * survives the process being stopped and started again on the same port. Prints "SINK READY" once listening.
 */
public final class MailSink {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path log = Paths.get(args[1]);
        BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        GreenMail smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        GreenMailUser inbox = smtp.getManagers().getUserManager().createUser("sink@sink.invalid", "sink", "sink");
        smtp.getManagers().getUserManager().setMessageDeliveryHandler((message, address) -> {
            record(out, message.getMessage(), address);
            return inbox;
        });
        smtp.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            smtp.stop();
            synchronized (out) {
                try {
                    out.close();
                } catch (IOException e) {
                    // nothing to do
                }
            }
        }));
        System.out.println("SINK READY " + port);
        Thread.currentThread().join();
    }

    /** The suite's catalog products ("Reliability Cup", ...) the message's text names, decoded, each once. */
    static java.util.Set<String> catalogNames(MimeMessage message) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        try {
            collect(message.getContent(), names);
        } catch (Exception e) {
            names.add("UNREADABLE");
        }
        return names;
    }

    private static final java.util.regex.Pattern CATALOG_NAME = java.util.regex.Pattern.compile("Reliability [A-Z][a-z]+");

    private static void collect(Object content, java.util.Set<String> names) throws Exception {
        if (content instanceof javax.mail.Multipart) {
            javax.mail.Multipart parts = (javax.mail.Multipart) content;
            for (int i = 0; i < parts.getCount(); i++) {
                collect(parts.getBodyPart(i).getContent(), names);
            }
        } else if (content instanceof String) {
            java.util.regex.Matcher name = CATALOG_NAME.matcher((String) content);
            while (name.find()) {
                names.add(name.group());
            }
        }
    }

    private static void record(BufferedWriter out, MimeMessage message, MailAddress address) {
        try {
            String line = System.currentTimeMillis() + "\t" + message.getMessageID() + "\t" + address.getEmail() + "\t"
                    + String.join(",", catalogNames(message)) + "\n";
            synchronized (out) {
                out.write(line);
                out.flush();
            }
        } catch (Exception e) {
            throw new IllegalStateException("the sink could not record a message: " + e, e);
        }
    }
}
