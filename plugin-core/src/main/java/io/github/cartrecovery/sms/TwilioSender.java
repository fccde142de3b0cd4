package io.github.cartrecovery.sms;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.cartrecovery.personaldata.PersonalDataMask;
import io.github.cartrecovery.channel.Channel;
import io.github.cartrecovery.channel.Recipient;
import io.github.cartrecovery.channel.SendOutcome;

/**
 * One delivery batch's hand-over of texts to the provider ({@link TwilioClient}), with the status callback URL of each
 * message ({@code <links base url>/cart-recovery/sms/status?m=<planned message id>}). A number the provider refuses
 * for good is opted out ({@link SmsOptOuts}, reason REJECTED, or STOP when the provider says the number texted STOP to
 * it) before the outcome is returned, so the engine can skip the batch's other texts to it; if that write fails, the
 * outcome is returned all the same (the next prepare finds the number again). After the first answer that asks for a
 * retry (a 5xx, a 429, an unreachable provider), the batch's other texts are not sent: each gets the same retry (and
 * Retry-After), so a provider in trouble is not hammered with a batch's worth of requests and attempts. Not
 * thread-safe: one batch uses it.
 */
final class TwilioSender implements Channel.Sender<SmsText> {

    private static final Log LOG = LogFactory.getLog(TwilioSender.class);

    private final TwilioClient client;
    private final SmsOptOuts optOuts;
    private final String statusCallbackBase;
    /** The first retry answer of this batch, after which nothing more is sent. */
    private SendOutcome stoppedBy;

    TwilioSender(TwilioClient client, SmsOptOuts optOuts, String statusCallbackBase) {
        this.client = client;
        this.optOuts = optOuts;
        this.statusCallbackBase = statusCallbackBase;
    }

    @Override
    public SendOutcome send(Recipient recipient, long plannedMessageId, SmsText content) {
        if (stoppedBy != null) {
            return SendOutcome.retry("SMS: not sent, the provider asked to retry earlier in this batch (" + stoppedBy.getDetail()
                    + ")", stoppedBy.getRetryAfter());
        }
        String phone = recipient.getAddress();
        TwilioClient.Result result = client.send(phone, content.getBody(), statusCallbackBase + plannedMessageId);
        SendOutcome outcome = result.getOutcome();
        if (result.refusedTheNumber()) {
            String reason = Integer.valueOf(TwilioClient.UNSUBSCRIBED_RECIPIENT).equals(result.getErrorCode())
                    ? SmsOptOuts.STOP : SmsOptOuts.REJECTED;
            try {
                optOuts.optOut(phone, reason, "provider error " + result.getErrorCode() + " (message " + plannedMessageId + ")");
            } catch (RuntimeException e) {
                LOG.warn("Could not record the SMS opt-out of " + PersonalDataMask.phone(phone) + " refused by the provider ("
                        + result.getErrorCode() + "): " + e);
            }
        }
        if (outcome.getKind() == SendOutcome.Kind.RETRY) {
            stoppedBy = outcome;
        }
        return outcome;
    }

    @Override
    public void close(boolean reusable) {
        if (!reusable) {
            client.close();
        }
    }
}
