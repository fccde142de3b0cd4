package io.github.cartrecovery.campaign;

import java.math.BigDecimal;

/**
 * What step conditions look at: one planned message's cart and shopper as delivery reads them right before the send.
 * Immutable. The shopper's history ({@link #getShopper()}) and the previous step's events are only read when a
 * condition needs them.
 */
public final class SendTimeFacts {

    private final boolean emailConsent;
    private final boolean smsConsent;
    private final BigDecimal cartTotal;
    private final String cartCurrency;
    private final boolean previousOpened;
    private final boolean previousClicked;
    private final AudienceFacts shopper;

    /**
     * @param emailConsent    the shopper may be emailed (see {@link #emailConsent(String, boolean)})
     * @param smsConsent      the shopper may be texted (see {@link #smsConsent(String, boolean)})
     * @param previousOpened  the cart's message of the step before was opened (or clicked)
     * @param previousClicked the cart's message of the step before was clicked
     * @param shopper         the shopper's kind and history, or null when no condition needs them
     */
    public SendTimeFacts(boolean emailConsent, boolean smsConsent, BigDecimal cartTotal, String cartCurrency,
                         boolean previousOpened, boolean previousClicked, AudienceFacts shopper) {
        this.emailConsent = emailConsent;
        this.smsConsent = smsConsent;
        this.cartTotal = cartTotal;
        this.cartCurrency = cartCurrency;
        this.previousOpened = previousOpened || previousClicked;
        this.previousClicked = previousClicked;
        this.shopper = shopper;
    }

    /** CR_CAPTURED_CART.MARKETING_CONSENT: GRANTED, or anything but DENIED where consent is not required. */
    public static boolean emailConsent(String marketingConsent, boolean consentRequired) {
        return "GRANTED".equals(marketingConsent) || (!consentRequired && !"DENIED".equals(marketingConsent));
    }

    /** CR_CAPTURED_CART.SMS_CONSENT GRANTED, and a phone number to text. */
    public static boolean smsConsent(String smsConsent, boolean hasPhone) {
        return "GRANTED".equals(smsConsent) && hasPhone;
    }

    public boolean hasEmailConsent() { return emailConsent; }
    public boolean hasSmsConsent() { return smsConsent; }
    public BigDecimal getCartTotal() { return cartTotal; }
    public String getCartCurrency() { return cartCurrency; }
    public boolean isPreviousOpened() { return previousOpened; }
    public boolean isPreviousClicked() { return previousClicked; }
    public AudienceFacts getShopper() { return shopper; }
}
