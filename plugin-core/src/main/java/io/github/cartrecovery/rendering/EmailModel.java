package io.github.cartrecovery.rendering;

import io.github.cartrecovery.coupon.IssuedCoupon;

/**
 * Everything one recovery email is rendered from: the subject, the cart (shopper, currency, locale, its
 * still-sold lines), the links it carries (signed and tracked when delivery sends it) and the message's
 * coupon, if any. Delivery builds it in one place per message ({@code MessageDelivery#modelFor}); the
 * preview builds it the same way. Immutable.
 */
public final class EmailModel {

    private final String subject;
    private final RecoveryCart cart;
    private final TrackedLinks links;
    private final IssuedCoupon coupon;

    /** Plain links: no open pixel, other links untracked (previews, tests); no coupon. */
    public EmailModel(String subject, RecoveryCart cart, String restoreUrl, String unsubscribeUrl) {
        this(subject, cart, plain(restoreUrl, unsubscribeUrl), null);
    }

    /** @param coupon the message's coupon, or null for none */
    public EmailModel(String subject, RecoveryCart cart, TrackedLinks links, IssuedCoupon coupon) {
        this.subject = subject;
        this.cart = cart;
        this.links = links;
        this.coupon = coupon;
    }

    public String getSubject() { return subject; }
    public RecoveryCart getCart() { return cart; }
    public TrackedLinks getLinks() { return links; }
    public IssuedCoupon getCoupon() { return coupon; }
    public String getRestoreUrl() { return links.getRestoreUrl(); }
    public String getUnsubscribeUrl() { return links.getUnsubscribeUrl(); }

    static TrackedLinks plain(final String restoreUrl, final String unsubscribeUrl) {
        return new TrackedLinks() {
            @Override
            public String getRestoreUrl() { return restoreUrl; }
            @Override
            public String getUnsubscribeUrl() { return unsubscribeUrl; }
            @Override
            public String getOpenPixelUrl() { return null; }
            @Override
            public String click(String target) { return target; }
        };
    }
}
