package io.github.cartrecovery.delivery;

import java.time.Instant;
import java.util.Date;

/**
 * A claimed CR_PLANNED_MESSAGE row as delivery reads it, joined with the cart's abandonment time and its
 * campaign's UPDATED_AT (the version of its steps). Immutable.
 */
public final class PlannedMessageRow {

    static final String ABANDONED_CART = "ABANDONED_CART";
    static final String BROWSE = "BROWSE";
    static final String POST_PURCHASE = "POST_PURCHASE";

    private final long id;
    private final long orderId;
    private final long campaignId;
    private final long stepId;
    private final String email;
    private final String localeCode;
    private final int attempts;
    private final Instant abandonedAt;
    private final Date campaignUpdatedAt;
    /** The Message-ID an earlier attempt used, or null before the first prepare. */
    private final String messageId;
    /** The experiment arm the message was planned for, or null. */
    private final Long armId;
    /** The trigger that planned the message (ABANDONED_CART for a cart's sequence; campaign.TriggerType's names). */
    private final String triggerType;
    /** The SKU whose price drop or return to stock the message announces, or null. */
    private final Long triggerSkuId;
    /** A browse message's CR_BROWSE_SESSION, or null. */
    private final Long browseSessionId;

    public PlannedMessageRow(long id, long orderId, long campaignId, long stepId, String email, String localeCode,
                             int attempts, Instant abandonedAt, Date campaignUpdatedAt, String messageId) {
        this(id, orderId, campaignId, stepId, email, localeCode, attempts, abandonedAt, campaignUpdatedAt, messageId, null);
    }

    public PlannedMessageRow(long id, long orderId, long campaignId, long stepId, String email, String localeCode,
                             int attempts, Instant abandonedAt, Date campaignUpdatedAt, String messageId, Long armId) {
        this(id, orderId, campaignId, stepId, email, localeCode, attempts, abandonedAt, campaignUpdatedAt, messageId, armId,
                ABANDONED_CART, null);
    }

    /** With the trigger that planned it and, for a price-drop or back-in-stock alert, the SKU it is about. */
    public PlannedMessageRow(long id, long orderId, long campaignId, long stepId, String email, String localeCode,
                             int attempts, Instant abandonedAt, Date campaignUpdatedAt, String messageId, Long armId,
                             String triggerType, Long triggerSkuId) {
        this(id, orderId, campaignId, stepId, email, localeCode, attempts, abandonedAt, campaignUpdatedAt, messageId, armId,
                triggerType, triggerSkuId, null);
    }

    /**
     * @param triggerType     ABANDONED_CART, PRICE_DROP, BACK_IN_STOCK, BROWSE, POST_PURCHASE (campaign.TriggerType's names)
     * @param triggerSkuId    the SKU of a price-drop or back-in-stock alert, or null
     * @param browseSessionId a browse message's session (its orderId is then 0), or null
     * @param abandonedAt     for a browse message, the session's first view (what "ordered since" counts from)
     */
    public PlannedMessageRow(long id, long orderId, long campaignId, long stepId, String email, String localeCode,
                             int attempts, Instant abandonedAt, Date campaignUpdatedAt, String messageId, Long armId,
                             String triggerType, Long triggerSkuId, Long browseSessionId) {
        this.triggerType = triggerType == null ? ABANDONED_CART : triggerType;
        this.triggerSkuId = triggerSkuId;
        this.browseSessionId = browseSessionId;
        this.id = id;
        this.orderId = orderId;
        this.campaignId = campaignId;
        this.stepId = stepId;
        this.email = email;
        this.localeCode = localeCode;
        this.attempts = attempts;
        this.abandonedAt = abandonedAt;
        this.campaignUpdatedAt = campaignUpdatedAt;
        this.messageId = messageId;
        this.armId = armId;
    }

    public long getId() { return id; }
    public long getOrderId() { return orderId; }
    public long getCampaignId() { return campaignId; }
    public long getStepId() { return stepId; }
    public String getEmail() { return email; }
    public String getLocaleCode() { return localeCode; }
    public int getAttempts() { return attempts; }
    public Instant getAbandonedAt() { return abandonedAt; }
    public Date getCampaignUpdatedAt() { return campaignUpdatedAt; }
    public String getMessageId() { return messageId; }
    public Long getArmId() { return armId; }
    public String getTriggerType() { return triggerType; }
    public Long getTriggerSkuId() { return triggerSkuId; }
    public Long getBrowseSessionId() { return browseSessionId; }
    /** A browse or post-purchase message: content and exit rules of its own, no cart to bring back. */
    public boolean isCartless() { return BROWSE.equals(triggerType) || POST_PURCHASE.equals(triggerType); }
}
