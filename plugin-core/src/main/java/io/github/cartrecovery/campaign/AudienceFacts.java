package io.github.cartrecovery.campaign;

import java.math.BigDecimal;

/** What audience conditions look at: one abandoned cart and its shopper, read at planning time. Immutable. */
public final class AudienceFacts {

    private final BigDecimal total;
    private final String currencyCode;
    private final int itemCount;
    private final String localeCode;
    private final boolean registered;
    private final boolean returning;

    public AudienceFacts(BigDecimal total, String currencyCode, int itemCount, String localeCode,
                         boolean registered, boolean returning) {
        this.total = total;
        this.currencyCode = currencyCode;
        this.itemCount = itemCount;
        this.localeCode = localeCode;
        this.registered = registered;
        this.returning = returning;
    }

    public BigDecimal getTotal() { return total; }
    public String getCurrencyCode() { return currencyCode; }
    public int getItemCount() { return itemCount; }
    public String getLocaleCode() { return localeCode; }
    public boolean isRegistered() { return registered; }
    public boolean isReturning() { return returning; }
}
