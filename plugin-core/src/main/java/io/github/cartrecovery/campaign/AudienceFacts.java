package io.github.cartrecovery.campaign;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** What audience conditions look at: one abandoned cart and its shopper, read at planning time. Immutable. */
public final class AudienceFacts {

    private final BigDecimal total;
    private final String currencyCode;
    private final int itemCount;
    private final String localeCode;
    private final boolean registered;
    private final boolean returning;
    private final Long siteId;
    private final Map<String, BigDecimal> spentByCurrency;

    /** A cart of no particular site whose shopper has spent nothing yet. */
    public AudienceFacts(BigDecimal total, String currencyCode, int itemCount, String localeCode,
                         boolean registered, boolean returning) {
        this(total, currencyCode, itemCount, localeCode, registered, returning, null,
                Collections.<String, BigDecimal>emptyMap());
    }

    /**
     * @param siteId          the cart's Broadleaf site (CR_CAPTURED_CART.SITE_ID), null for a single-site store
     * @param spentByCurrency the shopper's submitted orders (other than this cart), their totals summed per
     *                        currency code
     */
    public AudienceFacts(BigDecimal total, String currencyCode, int itemCount, String localeCode,
                         boolean registered, boolean returning, Long siteId, Map<String, BigDecimal> spentByCurrency) {
        this.total = total;
        this.currencyCode = currencyCode;
        this.itemCount = itemCount;
        this.localeCode = localeCode;
        this.registered = registered;
        this.returning = returning;
        this.siteId = siteId;
        Map<String, BigDecimal> spent = new HashMap<String, BigDecimal>();
        for (Map.Entry<String, BigDecimal> entry : spentByCurrency.entrySet()) {
            if (entry.getKey() != null && entry.getValue() != null) {
                spent.put(entry.getKey().toUpperCase(Locale.ROOT), entry.getValue());
            }
        }
        this.spentByCurrency = Collections.unmodifiableMap(spent);
    }

    public BigDecimal getTotal() { return total; }
    public String getCurrencyCode() { return currencyCode; }
    public int getItemCount() { return itemCount; }
    public String getLocaleCode() { return localeCode; }
    public boolean isRegistered() { return registered; }
    public boolean isReturning() { return returning; }
    public Long getSiteId() { return siteId; }

    /** What the shopper's submitted orders add up to in this currency (zero when none). */
    public BigDecimal spentIn(String currency) {
        BigDecimal spent = currency == null ? null : spentByCurrency.get(currency.toUpperCase(Locale.ROOT));
        return spent == null ? BigDecimal.ZERO : spent;
    }
}
