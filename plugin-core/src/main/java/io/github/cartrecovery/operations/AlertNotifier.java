package io.github.cartrecovery.operations;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.internet.AddressException;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.codehaus.jackson.JsonFactory;
import org.codehaus.jackson.JsonGenerator;

import io.github.cartrecovery.channel.SendOutcome;
import io.github.cartrecovery.delivery.SmtpMailer;
import io.github.cartrecovery.personaldata.PersonalDataMask;
import io.github.cartrecovery.webhook.WebhookEndpoint;
import io.github.cartrecovery.webhook.WebhookPoster;
import io.github.cartrecovery.webhook.WebhookSigner;

/**
 * Tells the operator that an incident opened or is over: a plain-text email to {@code cartrecovery.alerts.email-to}
 * through the plugin's SMTP server, and a JSON document POSTed to {@code cartrecovery.alerts.webhook-url}, signed and
 * sent like the webhook channel's ({@link WebhookSigner}, {@link WebhookPoster}; Idempotency-Key
 * {@code cr-incident-<id>-opened|resolved}). Either may be off (empty); a notice counts as sent when one channel took
 * it. (When the incident is the mail server, only the webhook gets through: configure both.)
 */
public class AlertNotifier {

    /** The webhook document's {@code type}: {@code cartrecovery.incident.opened} or {@code .resolved}. */
    public static final String OPENED = "cartrecovery.incident.opened";
    public static final String RESOLVED = "cartrecovery.incident.resolved";

    private static final JsonFactory JSON = new JsonFactory();

    private final SmtpMailer mailer;
    private final List<InternetAddress> emailTo;
    private final InternetAddress emailFrom;
    private final String storeName;
    private final WebhookEndpoint webhook;
    private final WebhookSigner signer;
    private final WebhookPoster poster;
    private final Clock clock;

    /**
     * @param emailTo {@code cartrecovery.alerts.email-to}: comma-separated addresses, empty for no email
     * @param emailFrom {@code cartrecovery.alerts.email-from}, or the delivery's from-address when empty
     * @param storeName named in the subject (the delivery's from-name)
     * @param webhook {@code cartrecovery.alerts.webhook-url}
     * @param signer {@code cartrecovery.alerts.webhook-secret}, or the webhook channel's secret when empty
     */
    public AlertNotifier(SmtpMailer mailer, String emailTo, String emailFrom, String storeName, WebhookEndpoint webhook,
                         WebhookSigner signer, WebhookPoster poster, Clock clock) {
        this.mailer = mailer;
        this.emailTo = addresses(emailTo);
        this.emailFrom = emailTo == null || emailTo.trim().isEmpty() ? null : address("cartrecovery.alerts.email-from", emailFrom);
        this.storeName = storeName == null ? "" : storeName.trim();
        this.webhook = webhook;
        this.signer = signer;
        this.poster = poster;
        this.clock = clock;
        if (webhook.isConfigured() && !signer.hasSecrets()) {
            throw new IllegalStateException("cartrecovery.alerts.webhook-url is set but no secret signs its requests: set "
                    + "cartrecovery.alerts.webhook-secret (or cartrecovery.webhook.secret), at least 32 random characters");
        }
    }

    /** The secret of the alert webhook: its own, or the webhook channel's. */
    public static WebhookSigner signer(String alertSecret, String channelSecret) {
        return new WebhookSigner(alertSecret == null || alertSecret.trim().isEmpty() ? channelSecret : alertSecret);
    }

    /** The from-address of alert emails: the alerts' own, or the delivery's. */
    public static String from(String alertFrom, String deliveryFrom) {
        return alertFrom == null || alertFrom.trim().isEmpty() ? deliveryFrom : alertFrom.trim();
    }

    public boolean isConfigured() {
        return !emailTo.isEmpty() || webhook.isConfigured();
    }

    /** What became of one notice: whether a channel took it, and what went wrong on the others (or null). */
    public static final class Outcome {
        private final boolean delivered;
        private final String failures;

        Outcome(boolean delivered, String failures) {
            this.delivered = delivered;
            this.failures = failures;
        }

        public boolean isDelivered() { return delivered; }
        public String getFailures() { return failures; }
    }

    /** Sends one notice on every configured channel; delivered when at least one took it. */
    public Outcome notify(Incidents.Incident incident, boolean opening) {
        List<String> failures = new ArrayList<String>();
        boolean delivered = false;
        if (!emailTo.isEmpty()) {
            try {
                sendEmail(incident, opening);
                delivered = true;
            } catch (MessagingException | RuntimeException e) {
                failures.add("email: " + PersonalDataMask.text(String.valueOf(e.getMessage())));
            }
        }
        if (webhook.isConfigured()) {
            byte[] body = document(incident, opening);
            Map<String, String> headers = new LinkedHashMap<String, String>();
            headers.put("Content-Type", "application/json; charset=utf-8");
            headers.put("User-Agent", WebhookPoster.USER_AGENT);
            headers.put("Idempotency-Key", "cr-incident-" + incident.getId() + (opening ? "-opened" : "-resolved"));
            headers.put(WebhookSigner.HEADER, signer.header(clock.millis() / 1000, body));
            SendOutcome outcome = poster.post(webhook.url(), headers, body);
            if (outcome.getKind() == SendOutcome.Kind.ACCEPTED) {
                delivered = true;
            } else {
                failures.add(outcome.getDetail());
            }
        }
        if (!delivered && failures.isEmpty()) {
            failures.add("no alert channel configured (cartrecovery.alerts.email-to, cartrecovery.alerts.webhook-url)");
        }
        return new Outcome(delivered, failures.isEmpty() ? null : String.join("; ", failures));
    }

    private void sendEmail(Incidents.Incident incident, boolean opening) throws MessagingException {
        MimeMessage message = new MimeMessage(mailer.session());
        message.setFrom(emailFrom);
        message.setRecipients(Message.RecipientType.TO, emailTo.toArray(new InternetAddress[0]));
        message.setSubject((storeName.isEmpty() ? "" : storeName + ": ") + "Cart Recovery "
                + (opening ? "incident: " : "resolved: ") + oneLine(incident.getSummary()), "UTF-8");
        StringBuilder text = new StringBuilder();
        text.append(opening ? "An incident opened." : "This incident is over.").append("\n\n");
        text.append("What:     ").append(incident.getSummary()).append('\n');
        text.append("Incident: ").append(incident.getKey()).append(" (#").append(incident.getId()).append(")\n");
        text.append("Opened:   ").append(incident.getOpenedAt()).append(" (UTC), seen first by node ").append(incident.getOpenedBy()).append('\n');
        if (!opening) {
            text.append("Resolved: ").append(incident.getResolvedAt()).append(" (UTC)\n");
        }
        text.append("\nThe details: /cart-recovery/health on any node, or the admin's Cart Recovery > Operations page.\n");
        message.setText(text.toString(), "UTF-8");
        try (SmtpMailer.Connection connection = mailer.open()) {
            connection.send(message);
        }
    }

    static byte[] document(Incidents.Incident incident, boolean opening) {
        StringWriter out = new StringWriter();
        try {
            JsonGenerator json = JSON.createJsonGenerator(out);
            json.writeStartObject();
            json.writeStringField("type", opening ? OPENED : RESOLVED);
            json.writeObjectFieldStart("incident");
            json.writeNumberField("id", incident.getId());
            json.writeStringField("key", incident.getKey());
            json.writeStringField("summary", incident.getSummary());
            json.writeStringField("openedAt", String.valueOf(incident.getOpenedAt()));
            if (incident.getResolvedAt() == null) {
                json.writeNullField("resolvedAt");
            } else {
                json.writeStringField("resolvedAt", incident.getResolvedAt().toString());
            }
            json.writeStringField("openedBy", incident.getOpenedBy());
            json.writeEndObject();
            json.writeEndObject();
            json.close();
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to a string failed", e);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String oneLine(String text) {
        String line = text == null ? "" : text.replaceAll("[\\r\\n]+", " ");
        return line.length() > 150 ? line.substring(0, 150) + "..." : line;
    }

    private static List<InternetAddress> addresses(String list) {
        List<InternetAddress> addresses = new ArrayList<InternetAddress>();
        if (list != null) {
            for (String item : list.split(",")) {
                if (!item.trim().isEmpty()) {
                    addresses.add(address("cartrecovery.alerts.email-to", item.trim()));
                }
            }
        }
        return addresses;
    }

    private static InternetAddress address(String property, String value) {
        try {
            InternetAddress address = new InternetAddress(value == null ? "" : value.trim(), true);
            address.validate();
            return address;
        } catch (AddressException e) {
            throw new IllegalStateException(property + ": '" + value + "' is not an email address (" + e.getMessage() + ")");
        }
    }
}
