package io.github.cartrecovery.campaign;

/**
 * The kinds of audience condition. A campaign matches a cart when every one of its conditions does;
 * value conditions name a currency and do not match carts in another currency.
 */
public enum ConditionType {
    /** Cart total at least NUMBER_VALUE in CURRENCY_CODE. */
    MIN_CART_VALUE,
    /** Cart total at most NUMBER_VALUE in CURRENCY_CODE. */
    MAX_CART_VALUE,
    /** At least NUMBER_VALUE items (quantities summed). */
    MIN_ITEMS,
    /** At most NUMBER_VALUE items. */
    MAX_ITEMS,
    /** Locale equals TEXT_VALUE, or starts with it followed by '_' ("de" matches "de_AT"). */
    LOCALE,
    /** TEXT_VALUE GUEST or REGISTERED. */
    CUSTOMER_KIND,
    /** TEXT_VALUE NEW (no submitted order before) or RETURNING. */
    CUSTOMER_HISTORY,
    /** The cart's Broadleaf site id (CR_CAPTURED_CART.SITE_ID) equals NUMBER_VALUE; never matches a cart without a site. */
    SITE,
    /**
     * A high-value customer: the shopper's submitted orders in CURRENCY_CODE (BLC_ORDER rows with
     * ORDER_STATUS 'SUBMITTED' of the same customer or the same email address, case-insensitively, this cart
     * excluded) total at least NUMBER_VALUE. Orders in other currencies are not converted and do not count.
     */
    HIGH_VALUE
}
