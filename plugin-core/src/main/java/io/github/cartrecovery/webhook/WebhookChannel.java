package io.github.cartrecovery.webhook;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.cartrecovery.channel.Addressee;
import io.github.cartrecovery.channel.Channel;
import io.github.cartrecovery.channel.ChannelMessage;
import io.github.cartrecovery.channel.ChannelUnavailableException;
import io.github.cartrecovery.channel.Recipient;
import io.github.cartrecovery.channel.SendOutcome;

/**
 * The WEBHOOK channel (bean {@code crWebhookChannel}): each message is a signed JSON document POSTed to the store's
 * own URL ({@code cartrecovery.webhook.url}), for a push service, a CRM or any other tool (docs/webhooks.md).
 * <p>
 * Every message goes to the one configured URL; with none configured, every WEBHOOK message is SKIPPED with
 * {@link Recipient#NO_ADDRESS} (better than retrying until the attempts run out). A configured URL needs a secret
 * ({@code cartrecovery.webhook.secret}), or startup fails. Each request carries the signature header of
 * {@link WebhookSigner}, {@code Idempotency-Key} (stable for the message across retries) and a User-Agent;
 * {@link WebhookPoster} says what the answer means. Within one batch, the first answer that asks for a retry (a
 * 5xx, 408, 429, a timeout, no connection) stops the batch's further requests: its other messages are retried too,
 * after the same Retry-After, without being sent, so a struggling receiver is not hammered and a dead one does not
 * cost a timeout per message.
 */
public class WebhookChannel implements Channel<WebhookRequest> {

    public static final String NAME = "WEBHOOK";
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    public static final String CONTENT_TYPE = "application/json; charset=utf-8";

    private static final Log LOG = LogFactory.getLog(WebhookChannel.class);

    private final WebhookEndpoint endpoint;
    private final WebhookSigner signer;
    private final WebhookDocument document;
    private final WebhookPoster poster;
    private final Clock clock;

    public WebhookChannel(WebhookEndpoint endpoint, WebhookSigner signer, WebhookDocument document, WebhookPoster poster,
                          Clock clock) {
        if (endpoint.isConfigured() && !signer.hasSecrets()) {
            throw new IllegalStateException("cartrecovery.webhook.secret is not set, but cartrecovery.webhook.url is: "
                    + "every webhook is signed with it and receivers check the signature (docs/webhooks.md). Set at least "
                    + WebhookSigner.MIN_SECRET_LENGTH + " random characters (e.g. `openssl rand -hex 32`), or empty "
                    + "cartrecovery.webhook.url to switch webhooks off");
        }
        this.endpoint = endpoint;
        this.signer = signer;
        this.document = document;
        this.poster = poster;
        this.clock = clock;
        LOG.info(endpoint.isConfigured() ? "Cart Recovery webhooks go to " + endpoint
                : "Cart Recovery webhooks are off (cartrecovery.webhook.url is empty): WEBHOOK steps are skipped");
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The configured URL (shown without its query) for everyone, or NO_ADDRESS for everyone when there is none. */
    @Override
    public Map<Long, Recipient> recipients(JdbcTemplate jdbc, List<Addressee> addressees, Instant now) {
        Recipient recipient = endpoint.isConfigured() ? Recipient.to(endpoint.toString()) : Recipient.skip(Recipient.NO_ADDRESS);
        Map<Long, Recipient> recipients = new HashMap<Long, Recipient>();
        for (Addressee addressee : addressees) {
            recipients.put(addressee.getPlannedMessageId(), recipient);
        }
        return recipients;
    }

    @Override
    public WebhookRequest build(ChannelMessage message) {
        return document.build(message);
    }

    @Override
    public Sender<WebhookRequest> open() throws ChannelUnavailableException {
        if (!endpoint.isConfigured()) {
            throw new ChannelUnavailableException("cartrecovery.webhook.url is not set");
        }
        return new Batch();
    }

    /** Nothing to close: the JDK closes idle keep-alive connections on its own. */
    @Override
    public void closeIdle() {
    }

    /** The headers of one request at this moment: signed now, so the timestamp is this attempt's. */
    Map<String, String> headers(WebhookRequest request) {
        Map<String, String> headers = new LinkedHashMap<String, String>();
        headers.put("Content-Type", CONTENT_TYPE);
        headers.put("User-Agent", WebhookPoster.USER_AGENT);
        headers.put(IDEMPOTENCY_KEY, request.getIdempotencyKey());
        headers.put(WebhookSigner.HEADER, signer.header(clock.millis() / 1000, request.body()));
        return headers;
    }

    /** One batch's sender: stops requesting after the first answer that asks for a retry. */
    private final class Batch implements Sender<WebhookRequest> {

        private SendOutcome stoppedBy;

        @Override
        public SendOutcome send(Recipient recipient, long plannedMessageId, WebhookRequest request) {
            if (stoppedBy != null) {
                return SendOutcome.retry("webhook: not sent, an earlier message of this batch was refused for now ("
                        + stoppedBy.getDetail() + ")", stoppedBy.getRetryAfter());
            }
            SendOutcome outcome = poster.post(endpoint.url(), headers(request), request.body());
            if (outcome.getKind() == SendOutcome.Kind.RETRY) {
                stoppedBy = outcome;
            }
            return outcome;
        }

        @Override
        public void close(boolean reusable) {
        }
    }
}
