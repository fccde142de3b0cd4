package io.github.cartrecovery.capture;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.List;

/**
 * What the plugin saw of one cart at one instant: plain values copied out of Broadleaf's order, never
 * the entity itself. Observations of the same cart coalesce: the latest one wins.
 */
public final class CartObservation {

    /** How the order looked from Broadleaf's side. */
    public enum OrderState { OPEN, SUBMITTED, DELETED }

    private final long orderId;
    private final Long customerId;
    private final String email;
    private final String localeCode;
    private final String currencyCode;
    private final Long siteId;
    private final OrderState orderState;
    private final int itemCount;
    private final BigDecimal subtotal;
    private final BigDecimal total;
    private final List<CartItemSnapshot> items;
    private final Instant observedAt;
    private final String clientIp;
    private final String userAgent;
    private final CartOrigin origin;
    private final List<FieldRejection> rejectedFields;
    private final String phone;

    public CartObservation(long orderId, Long customerId, String email, String localeCode, String currencyCode,
                           Long siteId, OrderState orderState, int itemCount, BigDecimal subtotal, BigDecimal total,
                           List<CartItemSnapshot> items, Instant observedAt) {
        this(orderId, customerId, email, localeCode, currencyCode, siteId, orderState, itemCount, subtotal, total,
                items, observedAt, null, null, CartOrigin.STOREFRONT);
    }

    public CartObservation(long orderId, Long customerId, String email, String localeCode, String currencyCode,
                           Long siteId, OrderState orderState, int itemCount, BigDecimal subtotal, BigDecimal total,
                           List<CartItemSnapshot> items, Instant observedAt,
                           String clientIp, String userAgent, CartOrigin origin) {
        this(orderId, customerId, email, localeCode, currencyCode, siteId, orderState, itemCount, subtotal, total,
                items, observedAt, clientIp, userAgent, origin, Collections.<FieldRejection>emptyList());
    }

    /** @param rejectedFields values left out because the plugin cannot store them ({@link CaptureInputRules}) */
    public CartObservation(long orderId, Long customerId, String email, String localeCode, String currencyCode,
                           Long siteId, OrderState orderState, int itemCount, BigDecimal subtotal, BigDecimal total,
                           List<CartItemSnapshot> items, Instant observedAt,
                           String clientIp, String userAgent, CartOrigin origin, List<FieldRejection> rejectedFields) {
        this(orderId, customerId, email, localeCode, currencyCode, siteId, orderState, itemCount, subtotal, total, items,
                observedAt, clientIp, userAgent, origin, rejectedFields, null);
    }

    private CartObservation(long orderId, Long customerId, String email, String localeCode, String currencyCode,
                            Long siteId, OrderState orderState, int itemCount, BigDecimal subtotal, BigDecimal total,
                            List<CartItemSnapshot> items, Instant observedAt, String clientIp, String userAgent,
                            CartOrigin origin, List<FieldRejection> rejectedFields, String phone) {
        this.orderId = orderId;
        this.customerId = customerId;
        this.email = email;
        this.localeCode = localeCode;
        this.currencyCode = currencyCode;
        this.siteId = siteId;
        this.orderState = orderState;
        this.itemCount = itemCount;
        this.subtotal = subtotal;
        this.total = total;
        this.items = Collections.unmodifiableList(items);
        this.observedAt = observedAt;
        this.clientIp = clientIp;
        this.userAgent = userAgent;
        this.origin = origin;
        this.rejectedFields = Collections.unmodifiableList(rejectedFields);
        this.phone = phone;
    }

    /** The same observation, with the order's state as its database row states it. */
    public CartObservation withOrderState(OrderState state) {
        return new CartObservation(orderId, customerId, email, localeCode, currencyCode, siteId, state, itemCount,
                subtotal, total, items, observedAt, clientIp, userAgent, origin, rejectedFields, phone);
    }

    /**
     * The same observation with the phone number Broadleaf holds for the cart (as Broadleaf holds it before
     * {@link CaptureInputRules}, E.164 after). Such a number never carries SMS consent.
     */
    public CartObservation withPhone(String phone) {
        return new CartObservation(orderId, customerId, email, localeCode, currencyCode, siteId, orderState, itemCount,
                subtotal, total, items, observedAt, clientIp, userAgent, origin, rejectedFields, phone);
    }

    /** Broadleaf deleted the order (cancel, merge at login, purge). */
    public static CartObservation deleted(long orderId, Instant at) {
        return new CartObservation(orderId, null, null, null, null, null, OrderState.DELETED, 0, null, null,
                Collections.<CartItemSnapshot>emptyList(), at);
    }

    public long getOrderId() { return orderId; }
    public Long getCustomerId() { return customerId; }
    public String getEmail() { return email; }
    public String getLocaleCode() { return localeCode; }
    public String getCurrencyCode() { return currencyCode; }
    public Long getSiteId() { return siteId; }
    public OrderState getOrderState() { return orderState; }
    public int getItemCount() { return itemCount; }
    public BigDecimal getSubtotal() { return subtotal; }
    public BigDecimal getTotal() { return total; }
    public List<CartItemSnapshot> getItems() { return items; }
    public Instant getObservedAt() { return observedAt; }
    public String getClientIp() { return clientIp; }
    public String getUserAgent() { return userAgent; }
    public CartOrigin getOrigin() { return origin; }
    public List<FieldRejection> getRejectedFields() { return rejectedFields; }
    /** The phone number Broadleaf holds for the cart (customer or checkout address), or null. */
    public String getPhone() { return phone; }
}
