package io.github.cartrecovery.reporting;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Summed report numbers for some slice (the whole range, one day, one campaign, one step, one channel). Counts add up
 * across currencies; revenue is kept per currency and never added across currencies. Rates are fractions
 * (0.2500 = 25 %) with four decimals, or null when their denominator is zero.
 */
public final class ReportTotals implements Serializable {

    private static final long serialVersionUID = 1L;

    static final ReportTotals NONE = new ReportTotals(new long[ReportRollup.COUNTERS.length],
            new TreeMap<String, BigDecimal>(), new TreeMap<String, BigDecimal>(), new TreeMap<String, BigDecimal>(),
            new TreeMap<String, BigDecimal>());

    private final long[] counts;
    private final SortedMap<String, BigDecimal> recoveredRevenue;
    private final SortedMap<String, BigDecimal> influencedRevenue;
    private final SortedMap<String, BigDecimal> browseRevenue;
    private final SortedMap<String, BigDecimal> repeatRevenue;

    ReportTotals(long[] counts, SortedMap<String, BigDecimal> recoveredRevenue,
                 SortedMap<String, BigDecimal> influencedRevenue, SortedMap<String, BigDecimal> browseRevenue,
                 SortedMap<String, BigDecimal> repeatRevenue) {
        this.counts = counts.clone();
        this.recoveredRevenue = Collections.unmodifiableSortedMap(new TreeMap<String, BigDecimal>(recoveredRevenue));
        this.influencedRevenue = Collections.unmodifiableSortedMap(new TreeMap<String, BigDecimal>(influencedRevenue));
        this.browseRevenue = Collections.unmodifiableSortedMap(new TreeMap<String, BigDecimal>(browseRevenue));
        this.repeatRevenue = Collections.unmodifiableSortedMap(new TreeMap<String, BigDecimal>(repeatRevenue));
    }

    /** This plus one rollup row's numbers (revenue under its own currency), with no browse or repeat revenue. */
    ReportTotals plus(long[] rowCounts, String currency, BigDecimal rowRecovered, BigDecimal rowInfluenced) {
        return plus(rowCounts, currency, rowRecovered, rowInfluenced, BigDecimal.ZERO, BigDecimal.ZERO);
    }

    /** This plus one rollup row's numbers (revenue under its own currency). */
    ReportTotals plus(long[] rowCounts, String currency, BigDecimal rowRecovered, BigDecimal rowInfluenced,
                      BigDecimal rowBrowse, BigDecimal rowRepeat) {
        long[] sum = counts.clone();
        for (int i = 0; i < sum.length; i++) {
            sum[i] += rowCounts[i];
        }
        return new ReportTotals(sum, add(recoveredRevenue, currency, rowRecovered),
                add(influencedRevenue, currency, rowInfluenced), add(browseRevenue, currency, rowBrowse),
                add(repeatRevenue, currency, rowRepeat));
    }

    private static SortedMap<String, BigDecimal> add(Map<String, BigDecimal> revenue, String currency, BigDecimal amount) {
        SortedMap<String, BigDecimal> sum = new TreeMap<String, BigDecimal>(revenue);
        if (amount != null && amount.signum() != 0) {
            BigDecimal before = sum.get(currency);
            sum.put(currency, before == null ? amount : before.add(amount));
        }
        return sum;
    }

    public long getAbandonedCarts() { return counts[ReportRollup.ABANDONED_CARTS]; }
    public long getCartsWithEmail() { return counts[ReportRollup.CARTS_WITH_EMAIL]; }
    public long getPlanned() { return counts[ReportRollup.PLANNED]; }
    public long getSent() { return counts[ReportRollup.SENT]; }
    /** Messages an exit rule or a step condition stopped. */
    public long getSkipped() { return counts[ReportRollup.SKIPPED]; }
    public long getFailed() { return counts[ReportRollup.FAILED]; }
    public long getBounced() { return counts[ReportRollup.BOUNCED]; }
    /** Messages opened at least once. */
    public long getOpened() { return counts[ReportRollup.OPENED]; }
    /** Messages clicked at least once. */
    public long getClicked() { return counts[ReportRollup.CLICKED]; }
    public long getUnsubscribed() { return counts[ReportRollup.UNSUBSCRIBED]; }
    public long getRecoveredCarts() { return counts[ReportRollup.RECOVERED]; }
    public long getInfluencedOrders() { return counts[ReportRollup.INFLUENCED]; }
    /** Recovered revenue by ISO currency code, sorted by code. */
    public SortedMap<String, BigDecimal> getRecoveredRevenue() { return recoveredRevenue; }
    public SortedMap<String, BigDecimal> getInfluencedRevenue() { return influencedRevenue; }
    /** Orders credited to browse emails (clicked, or showing a product bought); never counted as recovered. */
    public long getBrowseOrders() { return counts[ReportRollup.BROWSE_ORDERS]; }
    /** Their revenue by ISO currency code. */
    public SortedMap<String, BigDecimal> getBrowseRevenue() { return browseRevenue; }
    /** Later orders credited to post-purchase follow-ups; never counted as recovered. */
    public long getRepeatOrders() { return counts[ReportRollup.REPEAT_ORDERS]; }
    /** Their revenue by ISO currency code. */
    public SortedMap<String, BigDecimal> getRepeatRevenue() { return repeatRevenue; }
    /** Browse and repeat orders together (a campaign row has one trigger, so one of them). */
    public long getFollowUpOrders() { return getBrowseOrders() + getRepeatOrders(); }
    /** Browse and repeat revenue together, by currency. */
    public SortedMap<String, BigDecimal> getFollowUpRevenue() {
        SortedMap<String, BigDecimal> sum = new TreeMap<String, BigDecimal>(browseRevenue);
        for (Map.Entry<String, BigDecimal> revenue : repeatRevenue.entrySet()) {
            sum = add(sum, revenue.getKey(), revenue.getValue());
        }
        return Collections.unmodifiableSortedMap(sum);
    }

    /** Unique opens / messages sent. */
    public BigDecimal getOpenRate() { return rate(getOpened(), getSent()); }
    /** Unique clicks / messages sent. */
    public BigDecimal getClickRate() { return rate(getClicked(), getSent()); }
    /** Unsubscribes / messages sent. */
    public BigDecimal getUnsubscribeRate() { return rate(getUnsubscribed(), getSent()); }
    /** Recovered carts / abandoned carts. */
    public BigDecimal getRecoveryRate() { return rate(getRecoveredCarts(), getAbandonedCarts()); }

    private static BigDecimal rate(long part, long whole) {
        return whole == 0 ? null : BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), 4, RoundingMode.HALF_UP);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("{");
        for (int i = 0; i < counts.length; i++) {
            text.append(ReportRollup.COUNTERS[i].toLowerCase(java.util.Locale.ROOT)).append('=').append(counts[i]).append(", ");
        }
        return text.append("recoveredRevenue=").append(recoveredRevenue)
                .append(", influencedRevenue=").append(influencedRevenue).append(", browseRevenue=").append(browseRevenue)
                .append(", repeatRevenue=").append(repeatRevenue).append('}').toString();
    }
}
