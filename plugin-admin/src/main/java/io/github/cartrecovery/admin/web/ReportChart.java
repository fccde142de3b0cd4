package io.github.cartrecovery.admin.web;

import io.github.cartrecovery.reporting.RecoveryReport;
import io.github.cartrecovery.reporting.ReportTotals;

/**
 * The daily chart's data as a JSON text for a {@code data-} attribute (Thymeleaf escapes it there):
 * ISO dates, whole numbers, decimal amounts and one ISO currency code only, so nothing a shopper typed ever reaches
 * the script. Revenue is charted in one currency ({@link #chartCurrency}) on its own axis: recovered revenue, and
 * beside it, when the range has any, revenue from browse emails and from post-purchase follow-ups (their own kinds,
 * never part of recovered revenue).
 */
public final class ReportChart {

    private final String json;

    private ReportChart(String json) {
        this.json = json;
    }

    public static ReportChart of(RecoveryReport report) {
        StringBuilder days = new StringBuilder();
        StringBuilder sent = new StringBuilder();
        StringBuilder opened = new StringBuilder();
        StringBuilder clicked = new StringBuilder();
        StringBuilder recovered = new StringBuilder();
        for (RecoveryReport.Day day : report.getDays()) {
            ReportTotals totals = day.getTotals();
            append(days, "\"" + day.getDate() + "\"");
            append(sent, Long.toString(totals.getSent()));
            append(opened, Long.toString(totals.getOpened()));
            append(clicked, Long.toString(totals.getClicked()));
            append(recovered, Long.toString(totals.getRecoveredCarts()));
        }
        String currency = chartCurrency(report);
        String money = "";
        if (currency != null) {
            money = ",\"revenueCurrency\":\"" + currency + "\",\"revenue\":[" + amounts(report, currency, RECOVERED) + "]";
            // browse and post-purchase revenue are their own kinds, never added to recovered revenue: their own lines
            // of the same currency, drawn only when the range has any
            if (any(report.getKpis().getBrowseRevenue(), currency)) {
                money += ",\"browseRevenue\":[" + amounts(report, currency, BROWSE) + "]";
            }
            if (any(report.getKpis().getRepeatRevenue(), currency)) {
                money += ",\"repeatRevenue\":[" + amounts(report, currency, REPEAT) + "]";
            }
        }
        return new ReportChart("{\"days\":[" + days + "],\"sent\":[" + sent + "],\"opened\":[" + opened
                + "],\"clicked\":[" + clicked + "],\"recovered\":[" + recovered + "]" + money + "}");
    }

    private static final int RECOVERED = 0;
    private static final int BROWSE = 1;
    private static final int REPEAT = 2;

    /** One kind of revenue per day, in {@code currency}, as JSON numbers. */
    private static String amounts(RecoveryReport report, String currency, int kind) {
        StringBuilder list = new StringBuilder();
        for (RecoveryReport.Day day : report.getDays()) {
            append(list, plain(revenue(day.getTotals(), kind).get(currency)));
        }
        return list.toString();
    }

    private static java.util.Map<String, java.math.BigDecimal> revenue(ReportTotals totals, int kind) {
        return kind == BROWSE ? totals.getBrowseRevenue() : kind == REPEAT ? totals.getRepeatRevenue() : totals.getRecoveredRevenue();
    }

    private static String plain(java.math.BigDecimal amount) {
        return amount == null ? "0" : amount.stripTrailingZeros().toPlainString();
    }

    private static boolean any(java.util.Map<String, java.math.BigDecimal> totals, String currency) {
        java.math.BigDecimal amount = totals.get(currency);
        return amount != null && amount.signum() != 0;
    }

    /**
     * The currency the chart shows revenue in: the one with the most revenue in the range, recovered, browse and
     * follow-up together (amounts of different currencies are never added up), or null when there was none. Only ISO codes (three capital
     * letters) are charted, so the JSON holds nothing else.
     */
    static String chartCurrency(RecoveryReport report) {
        java.util.Map<String, java.math.BigDecimal> sums = new java.util.TreeMap<String, java.math.BigDecimal>();
        ReportTotals kpis = report.getKpis();
        for (int kind = RECOVERED; kind <= REPEAT; kind++) {
            for (java.util.Map.Entry<String, java.math.BigDecimal> total : revenue(kpis, kind).entrySet()) {
                if (total.getKey() != null && total.getKey().matches("[A-Z]{3}")) {
                    java.math.BigDecimal sum = sums.get(total.getKey());
                    sums.put(total.getKey(), sum == null ? total.getValue() : sum.add(total.getValue()));
                }
            }
        }
        String best = null;
        java.math.BigDecimal most = java.math.BigDecimal.ZERO;
        for (java.util.Map.Entry<String, java.math.BigDecimal> sum : sums.entrySet()) {
            if (sum.getValue().compareTo(most) > 0) {
                best = sum.getKey();
                most = sum.getValue();
            }
        }
        return best;
    }

    private static void append(StringBuilder list, String value) {
        if (list.length() > 0) {
            list.append(',');
        }
        list.append(value);
    }

    public String getJson() {
        return json;
    }
}
