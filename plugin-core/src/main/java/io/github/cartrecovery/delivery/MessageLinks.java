package io.github.cartrecovery.delivery;

import io.github.cartrecovery.rendering.TrackedLinks;

/** One planned message's links for its templates: restore, unsubscribe, open pixel and click tracking. */
final class MessageLinks implements TrackedLinks {

    private final RecoveryLinks links;
    private final long plannedMessageId;
    private final String restoreUrl;
    private final String unsubscribeUrl;
    private final String openPixelUrl;

    MessageLinks(RecoveryLinks links, long plannedMessageId, long orderId) {
        this(links, plannedMessageId, links.restoreUrl(plannedMessageId, orderId));
    }

    /** A message with no cart to bring back (browse, post-purchase): the button is a tracked link to {@code target}. */
    static MessageLinks toPage(RecoveryLinks links, long plannedMessageId, String target) {
        return new MessageLinks(links, plannedMessageId, links.clickUrl(plannedMessageId, target));
    }

    private MessageLinks(RecoveryLinks links, long plannedMessageId, String restoreUrl) {
        this.links = links;
        this.plannedMessageId = plannedMessageId;
        this.restoreUrl = restoreUrl;
        this.unsubscribeUrl = links.unsubscribeUrl(plannedMessageId);
        this.openPixelUrl = links.openPixelUrl(plannedMessageId);
    }

    @Override
    public String getRestoreUrl() { return restoreUrl; }

    @Override
    public String getUnsubscribeUrl() { return unsubscribeUrl; }

    @Override
    public String getOpenPixelUrl() { return openPixelUrl; }

    @Override
    public String click(String target) {
        return links.clickUrl(plannedMessageId, target);
    }
}
