package io.github.cartrecovery.channel;

import io.github.cartrecovery.coupon.IssuedCoupon;
import io.github.cartrecovery.rendering.EditedCopy;
import io.github.cartrecovery.rendering.RecoveryCart;
import io.github.cartrecovery.rendering.TrackedLinks;

/**
 * Everything a channel needs to build one message, read and decided by the engine in the prepare transaction:
 * the recipient, the cart with today's prices, the signed links, the coupon (if the step issues one), the step's
 * template and subject, and the stable message key. Immutable.
 */
public final class ChannelMessage {

    private final long plannedMessageId;
    private final long orderId;
    private final int stepNo;
    private final String messageKey;
    private final Recipient recipient;
    private final String email;
    private final String template;
    private final String subject;
    private final RecoveryCart cart;
    private final TrackedLinks links;
    private final IssuedCoupon coupon;
    private final EditedCopy editedCopy;

    public ChannelMessage(long plannedMessageId, long orderId, int stepNo, String messageKey, Recipient recipient,
                          String email, String template, String subject, RecoveryCart cart, TrackedLinks links,
                          IssuedCoupon coupon) {
        this(plannedMessageId, orderId, stepNo, messageKey, recipient, email, template, subject, cart, links, coupon, null);
    }

    /** @param editedCopy the template's words saved in the admin (newest version), null for the classpath copy */
    public ChannelMessage(long plannedMessageId, long orderId, int stepNo, String messageKey, Recipient recipient,
                          String email, String template, String subject, RecoveryCart cart, TrackedLinks links,
                          IssuedCoupon coupon, EditedCopy editedCopy) {
        this.plannedMessageId = plannedMessageId;
        this.orderId = orderId;
        this.stepNo = stepNo;
        this.messageKey = messageKey;
        this.recipient = recipient;
        this.email = email;
        this.template = template;
        this.subject = subject;
        this.cart = cart;
        this.links = links;
        this.coupon = coupon;
        this.editedCopy = editedCopy;
    }

    public long getPlannedMessageId() { return plannedMessageId; }
    public long getOrderId() { return orderId; }
    public int getStepNo() { return stepNo; }
    /**
     * Fixed per planned message at its first prepare and kept for retries: the email's Message-ID, a webhook's
     * Idempotency-Key basis; receivers may fold repeats by it.
     */
    public String getMessageKey() { return messageKey; }
    public Recipient getRecipient() { return recipient; }
    /** The shopper's email address (every planned message has one, whatever its channel). */
    public String getEmail() { return email; }
    /** The step's template name (a classpath template of the channel). */
    public String getTemplate() { return template; }
    /** The step's subject for the cart's locale (email); other channels may ignore it. */
    public String getSubject() { return subject; }
    public RecoveryCart getCart() { return cart; }
    public TrackedLinks getLinks() { return links; }
    /** Null when the step issues no coupon. */
    public IssuedCoupon getCoupon() { return coupon; }
    /** The email template's words saved in the admin, null: the classpath copy (docs/emails.md). */
    public EditedCopy getEditedCopy() { return editedCopy; }
    /** The saved template version the message is rendered with, null for the classpath copy. */
    public Long getTemplateVersionId() { return editedCopy == null ? null : editedCopy.getVersionId(); }
}
