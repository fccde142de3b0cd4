package io.github.cartrecovery.demo.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Properties;
import java.util.stream.Collectors;

import javax.mail.Message;
import javax.mail.Session;
import javax.mail.Transport;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/** The mailbox lists mail in the order it arrived, not grouped by recipient as the SMTP server keeps it. */
class MailboxOrderTest {

    @Test
    void messagesAreInTheOrderTheyArrivedWhateverTheirRecipient() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        GreenMail smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try {
            Properties properties = new Properties();
            properties.setProperty("mail.smtp.host", "127.0.0.1");
            properties.setProperty("mail.smtp.port", String.valueOf(port));
            Session session = Session.getInstance(properties);
            String[][] sends = {{"ann@example.com", "first"}, {"bob@example.com", "second"}, {"ann@example.com", "third"},
                    {"cid@example.com", "fourth"}, {"bob@example.com", "fifth"}};
            for (String[] send : sends) {
                MimeMessage message = new MimeMessage(session);
                message.setFrom(new InternetAddress("shop@example.com"));
                message.setRecipient(Message.RecipientType.TO, new InternetAddress(send[0]));
                message.setSubject(send[1]);
                message.setText("hello");
                Transport.send(message);
                Thread.sleep(5); // received instants a few milliseconds apart
            }

            assertThat(subjects(smtp.getReceivedMessages())).as("the server's own order: by recipient")
                    .isNotEqualTo("first second third fourth fifth");
            assertThat(subjects(MailboxServlet.inArrivalOrder(smtp.getReceivedMessages())))
                    .isEqualTo("first second third fourth fifth");
        } finally {
            smtp.stop();
        }
    }

    private static String subjects(MimeMessage[] messages) {
        return Arrays.stream(messages).map(message -> {
            try {
                return message.getSubject();
            } catch (javax.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).collect(Collectors.joining(" "));
    }
}
