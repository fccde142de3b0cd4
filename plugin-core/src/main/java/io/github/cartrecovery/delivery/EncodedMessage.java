package io.github.cartrecovery.delivery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import javax.mail.util.SharedByteArrayInputStream;

/**
 * A built recovery email encoded to its wire form once, on the preparing thread. JavaMail re-encodes a
 * message built from parts (quoted-printable, multipart boundaries) every time it is written; this one is
 * parsed back from its bytes, so writing it to the SMTP connection only copies them and the sending
 * thread spends its time on the connection. The Message-ID is kept if anything saves it again.
 */
final class EncodedMessage extends MimeMessage {

    private EncodedMessage(Session session, byte[] wireForm) throws MessagingException {
        super(session, new SharedByteArrayInputStream(wireForm));
    }

    static MimeMessage of(Session session, MimeMessage built) {
        try {
            WireForm wireForm = new WireForm();
            built.writeTo(wireForm);
            return new EncodedMessage(session, wireForm.toByteArray());
        } catch (IOException e) {
            throw new IllegalStateException("could not encode a recovery email: " + e.getMessage(), e);
        } catch (MessagingException e) {
            throw new IllegalStateException("could not encode a recovery email: " + e.getMessage(), e);
        }
    }

    /**
     * The bytes JavaMail writes, most of them one at a time (its line and encoder streams pass arrays on byte by
     * byte): ByteArrayOutputStream's write(int) takes a lock per byte, this buffer only stores it. Used by one
     * thread.
     */
    private static final class WireForm extends ByteArrayOutputStream {
        WireForm() {
            super(16384);
        }

        @Override
        public void write(int b) {
            if (count == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            buf[count++] = (byte) b;
        }
    }

    /** The stable Message-ID written at build time stays; JavaMail would otherwise make a new one. */
    @Override
    protected void updateMessageID() {
    }
}
