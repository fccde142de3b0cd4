package io.github.cartrecovery.sms;

import java.time.Clock;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.cartrecovery.phone.PhoneNumbers;
import io.github.cartrecovery.personaldata.PersonalDataMask;
import io.github.cartrecovery.channel.DeliveryReceipts;

/**
 * What the provider's two webhooks do once their signature is verified (bean {@code crSmsWebhooks}; the storefront's
 * controller checks the signature with {@link #verified} first and records nothing for a request that fails it).
 * <ul>
 * <li>Status callback ({@code POST /cart-recovery/sms/status?m=<planned message id>}): {@code delivered} becomes a
 * DELIVERED receipt, {@code undelivered} and {@code failed} an UNDELIVERED one with the status and error code
 * ({@link DeliveryReceipts}, channel SMS, matched by the MessageSid); other statuses (queued, sent...) record nothing.
 * A number the carrier reports as unknown (30005), a landline (30006) or opted out (21610) is opted out of SMS.</li>
 * <li>Inbound message ({@code POST /cart-recovery/sms/inbound}, configured as the number's "A message comes in"
 * webhook): STOP and its synonyms opt the sender out of SMS ({@link SmsOptOuts}; email is untouched), START and its
 * synonyms opt them back in, HELP and INFO get the help text. The answer is TwiML with the configured reply
 * ({@code cartrecovery.sms.reply.stop|start|help}; empty: no reply, e.g. when the provider's own opt-out handling
 * answers).</li>
 * </ul>
 * Idempotent: a repeated callback records nothing new. Thread-safe.
 */
public class SmsWebhooks {

    /** Carrier errors in a status callback that say the number itself cannot get texts. */
    static final Set<String> NUMBER_ERRORS = Collections.unmodifiableSet(new HashSet<String>(Arrays.asList("30005", "30006")));

    private static final Log LOG = LogFactory.getLog(SmsWebhooks.class);

    private final TwilioAccount account;
    private final TwilioSignature signature;
    private final DeliveryReceipts receipts;
    private final SmsOptOuts optOuts;
    private final Clock clock;
    private final String stopReply;
    private final String startReply;
    private final String helpReply;

    public SmsWebhooks(TwilioAccount account, DeliveryReceipts receipts, SmsOptOuts optOuts, Clock clock,
                       String stopReply, String startReply, String helpReply, String storeName) {
        this.account = account;
        this.signature = account.isEnabled() ? account.signature() : null;
        this.receipts = receipts;
        this.optOuts = optOuts;
        this.clock = clock;
        String store = storeName == null ? "" : storeName.trim();
        this.stopReply = reply(stopReply, store);
        this.startReply = reply(startReply, store);
        this.helpReply = reply(helpReply, store);
    }

    /** False: SMS is off, and the endpoints answer 404. */
    public boolean isEnabled() {
        return account.isEnabled();
    }

    /**
     * True when the request carries the provider's signature for exactly this URL (as the provider called it) and
     * these POST parameters (the body's only: query parameters are part of the URL).
     */
    public boolean verified(String url, Map<String, List<String>> postParameters, String providedSignature) {
        return signature != null && signature.verify(url, postParameters, providedSignature);
    }

    /**
     * A verified status callback for planned message {@code plannedMessageId}. Returns true when a receipt was recorded
     * (or was already there).
     */
    public boolean status(long plannedMessageId, Map<String, String> parameters) {
        if (!ours(parameters)) {
            return false;
        }
        String status = value(parameters, "MessageStatus");
        String sid = value(parameters, "MessageSid");
        if (sid == null) {
            sid = value(parameters, "SmsSid");
        }
        String errorCode = value(parameters, "ErrorCode");
        if ("delivered".equals(status)) {
            return receipts.delivered(SmsChannel.NAME, plannedMessageId, sid, clock.instant());
        }
        if ("undelivered".equals(status) || "failed".equals(status)) {
            boolean recorded = receipts.undelivered(SmsChannel.NAME, plannedMessageId, sid,
                    status + (errorCode == null ? "" : " (error " + errorCode + ")"), clock.instant());
            String to = value(parameters, "To");
            if (recorded && errorCode != null && PhoneNumbers.isE164(to)) {
                if (NUMBER_ERRORS.contains(errorCode)) {
                    optOuts.optOut(to, SmsOptOuts.REJECTED, "provider status " + status + " " + errorCode
                            + " (message " + plannedMessageId + ")");
                } else if (String.valueOf(TwilioClient.UNSUBSCRIBED_RECIPIENT).equals(errorCode)) {
                    optOuts.optOut(to, SmsOptOuts.STOP, "provider status " + errorCode + " (message " + plannedMessageId + ")");
                }
            }
            return recorded;
        }
        return false;
    }

    /** A verified inbound text; returns the TwiML answer. */
    public String inbound(Map<String, String> parameters) {
        String from = value(parameters, "From");
        if (!ours(parameters) || !PhoneNumbers.isE164(from)) {
            return twiml(null);
        }
        switch (InboundKeywords.of(value(parameters, "Body"))) {
            case STOP:
                optOuts.optOut(from, SmsOptOuts.STOP, "inbound keyword");
                return twiml(stopReply);
            case START:
                optOuts.optIn(from);
                LOG.info("SMS START from " + PersonalDataMask.phone(from));
                return twiml(startReply);
            case HELP:
                return twiml(helpReply);
            default:
                return twiml(null);
        }
    }

    /** A request naming another account is not for this store (the signature already proves the provider sent it). */
    private boolean ours(Map<String, String> parameters) {
        String accountSid = value(parameters, "AccountSid");
        return accountSid == null || accountSid.equals(account.getAccountSid());
    }

    static String twiml(String message) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>");
        if (message != null && !message.isEmpty()) {
            xml.append("<Message>").append(escape(message)).append("</Message>");
        }
        return xml.append("</Response>").toString();
    }

    private static String reply(String text, String storeName) {
        return text == null || text.trim().isEmpty() ? null : text.trim().replace("{storeName}", storeName);
    }

    private static String value(Map<String, String> parameters, String name) {
        String value = parameters.get(name);
        return value == null || value.trim().isEmpty() ? null : value.trim();
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<': out.append("&lt;"); break;
                case '>': out.append("&gt;"); break;
                case '&': out.append("&amp;"); break;
                case '"': out.append("&quot;"); break;
                case '\'': out.append("&apos;"); break;
                default: out.append(c);
            }
        }
        return out.toString();
    }
}
