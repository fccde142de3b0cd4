package io.github.cartrecovery.campaign;

/**
 * The kinds of step condition (CR_CAMPAIGN_STEP_CONDITION.CONDITION_TYPE), checked when the step's message is about to
 * be sent. A step is sent only when every one of its conditions holds; otherwise it is skipped and the sequence goes
 * on with the next step.
 */
public enum StepConditionType {
    /**
     * TEXT_VALUE EMAIL or SMS: the shopper consented to that channel. SMS: SMS_CONSENT 'GRANTED' and a phone number.
     * EMAIL: MARKETING_CONSENT 'GRANTED', or anything but 'DENIED' while cartrecovery.exclusion.require-marketing-consent
     * is false.
     */
    CHANNEL_CONSENT,
    /** The cart's total (CR_CAPTURED_CART.TOTAL, as last captured) is at least NUMBER_VALUE in CURRENCY_CODE. */
    MIN_CART_TOTAL,
    /** The cart's total is at most NUMBER_VALUE in CURRENCY_CODE. A cart in another currency does not match either. */
    MAX_CART_TOTAL,
    /**
     * TEXT_VALUE OPENED, CLICKED, NOT_OPENED or NOT_CLICKED, about the cart's message of the step before (the next lower
     * step number): a click counts as an open (images may be blocked), and a message that was not sent was neither.
     */
    PREVIOUS_STEP,
    /**
     * TEXT_VALUE NEW or RETURNING (a submitted order before), GUEST or REGISTERED, or HIGH_VALUE (the shopper's
     * submitted orders in CURRENCY_CODE total at least NUMBER_VALUE), as the campaign audience conditions of the same
     * names define them, read at send time.
     */
    SEGMENT
}
