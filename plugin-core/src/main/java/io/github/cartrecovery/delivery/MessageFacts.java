package io.github.cartrecovery.delivery;

import java.math.BigDecimal;

/**
 * What {@link ExitRules#MESSAGE_FACTS} read for one planned message at send time: its channel, its campaign,
 * its captured cart (status, consents, total) and Broadleaf's order. Holds no personal data (whether there is a phone
 * number, not the number).
 */
final class MessageFacts {
    String channel;
    String campaignStatus;
    String cartStatus;
    String marketingConsent;
    String smsConsent;
    boolean hasPhone;
    BigDecimal total;
    String currency;
    Long customerId;
    boolean registered;
    boolean orderExists;
    String orderStatus;
    long items;
    long copiesBought;
    /** CR_PLANNED_MESSAGE.TRIGGER_TYPE. */
    String triggerType;
    /** A browse message's session status (PLANNED while it may go), else null. */
    String browseStatus;
    /** A browse message: lines of its session's products in the shopper's open or submitted orders. */
    long browsedInCart;
}
