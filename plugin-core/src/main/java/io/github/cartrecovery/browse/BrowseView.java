package io.github.cartrecovery.browse;

import java.time.Instant;
import java.util.Locale;

/**
 * One product page view by a known shopper, as the storefront saw it: copied values only, nothing of the request or
 * of Broadleaf's entities. The address is kept trimmed and lower-cased (one session per address). Immutable.
 */
public final class BrowseView {

    private final String email;
    private final Long customerId;
    private final long productId;
    private final String localeCode;
    private final String currencyCode;
    private final Instant viewedAt;
    private final int views;

    /**
     * @throws IllegalArgumentException when the address is missing or longer than its column (254), or the product id
     *                                  is not positive
     */
    public BrowseView(String email, Long customerId, long productId, String localeCode, String currencyCode,
                      Instant viewedAt) {
        this(normalised(email), customerId, productId, shorten(localeCode, 16), shorten(currencyCode, 3), viewedAt, 1);
    }

    private BrowseView(String email, Long customerId, long productId, String localeCode, String currencyCode,
                       Instant viewedAt, int views) {
        if (productId <= 0) {
            throw new IllegalArgumentException("productId: must be a positive product id (was " + productId + ")");
        }
        if (viewedAt == null) {
            throw new IllegalArgumentException("viewedAt: required");
        }
        this.email = email;
        this.customerId = customerId;
        this.productId = productId;
        this.localeCode = localeCode;
        this.currencyCode = currencyCode;
        this.viewedAt = viewedAt;
        this.views = views;
    }

    /** This view and an earlier (or later) one of the same product by the same address, as one: latest values, views added. */
    BrowseView coalescedWith(BrowseView other) {
        BrowseView newer = other.viewedAt.isAfter(viewedAt) ? other : this;
        return new BrowseView(email, newer.customerId != null ? newer.customerId : customerId, productId,
                newer.localeCode, newer.currencyCode, newer.viewedAt, views + other.views);
    }

    /** The buffer's key: one entry per address and product. */
    String key() {
        return email + '\n' + productId;
    }

    public String getEmail() { return email; }
    public Long getCustomerId() { return customerId; }
    public long getProductId() { return productId; }
    public String getLocaleCode() { return localeCode; }
    public String getCurrencyCode() { return currencyCode; }
    public Instant getViewedAt() { return viewedAt; }
    /** How many views this entry stands for (views coalesced in the buffer add up). */
    public int getViews() { return views; }

    private static String normalised(String email) {
        String address = email == null ? "" : email.trim().toLowerCase(Locale.ROOT);
        if (address.isEmpty() || address.indexOf('@') < 1) {
            throw new IllegalArgumentException("email: required, an address with '@'");
        }
        if (address.length() > 254) {
            throw new IllegalArgumentException("email: at most 254 characters (was " + address.length() + ")");
        }
        return address;
    }

    private static String shorten(String value, int max) {
        if (value == null || value.trim().isEmpty()) {
            return null;
        }
        String trimmed = value.trim();
        return trimmed.length() <= max ? trimmed : null; // a value that does not fit is not a code at all
    }
}
