package io.github.cartrecovery.delivery;

import javax.mail.MessagingException;

import com.sun.mail.smtp.SMTPAddressFailedException;
import com.sun.mail.smtp.SMTPSendFailedException;

/**
 * Classifies a failed send. A reply code from the server is definite: 4xx TEMPORARY (retry later),
 * 5xx PERMANENT (record, suppress the address). Anything else while sending (connection lost mid-way)
 * is UNKNOWN: the server may have accepted the message, so it is not retried blindly. A connection that
 * could not be re-opened before a message is TEMPORARY: that message never left.
 */
public enum SmtpFailure {
    TEMPORARY, PERMANENT, UNKNOWN;

    public static SmtpFailure of(MessagingException failure) {
        if (failure instanceof SmtpMailer.NotConnected) {
            return TEMPORARY; // the server could not even be reached: nothing was handed over
        }
        Exception current = failure;
        while (current != null) {
            int code = -1;
            if (current instanceof SMTPAddressFailedException) {
                code = ((SMTPAddressFailedException) current).getReturnCode();
            } else if (current instanceof SMTPSendFailedException) {
                code = ((SMTPSendFailedException) current).getReturnCode();
            }
            if (code >= 500 && code < 600) {
                return PERMANENT;
            }
            if (code >= 400 && code < 500) {
                return TEMPORARY;
            }
            current = current instanceof MessagingException ? ((MessagingException) current).getNextException() : null;
        }
        return UNKNOWN;
    }
}
