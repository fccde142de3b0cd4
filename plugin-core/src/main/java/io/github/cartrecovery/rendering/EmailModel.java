package io.github.cartrecovery.rendering;

/**
 * Everything one recovery email is rendered from: the subject, the cart (shopper, currency, locale, its
 * still-sold lines) and the links it carries. Delivery builds it in one place per message
 * ({@code MessageDelivery#modelFor}); the preview builds it the same way. Immutable.
 */
public final class EmailModel {

    private final String subject;
    private final RecoveryCart cart;
    private final String restoreUrl;
    private final String unsubscribeUrl;

    public EmailModel(String subject, RecoveryCart cart, String restoreUrl, String unsubscribeUrl) {
        this.subject = subject;
        this.cart = cart;
        this.restoreUrl = restoreUrl;
        this.unsubscribeUrl = unsubscribeUrl;
    }

    public String getSubject() { return subject; }
    public RecoveryCart getCart() { return cart; }
    public String getRestoreUrl() { return restoreUrl; }
    public String getUnsubscribeUrl() { return unsubscribeUrl; }
}
