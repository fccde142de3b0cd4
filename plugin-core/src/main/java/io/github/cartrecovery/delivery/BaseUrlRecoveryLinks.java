package io.github.cartrecovery.delivery;

/**
 * Unsigned links built from the store's base URL and the planned message id. Placeholder until issue 5
 * (signed tokens); the storefront endpoints behind these paths come with it.
 */
public class BaseUrlRecoveryLinks implements RecoveryLinks {

    private final String baseUrl;
    private final String unsubscribeMailbox;

    public BaseUrlRecoveryLinks(String baseUrl, String unsubscribeMailbox) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.unsubscribeMailbox = unsubscribeMailbox;
    }

    @Override
    public String restoreUrl(long plannedMessageId, long orderId) {
        return baseUrl + "/cart-recovery/restore/" + plannedMessageId;
    }

    @Override
    public String unsubscribeUrl(long plannedMessageId) {
        return baseUrl + "/cart-recovery/unsubscribe/" + plannedMessageId;
    }

    @Override
    public String unsubscribeMailto(long plannedMessageId) {
        return "mailto:" + unsubscribeMailbox + "?subject=unsubscribe-" + plannedMessageId;
    }
}
