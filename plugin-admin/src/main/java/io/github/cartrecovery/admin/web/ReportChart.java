package io.github.cartrecovery.admin.web;

import io.github.cartrecovery.reporting.RecoveryReport;
import io.github.cartrecovery.reporting.ReportTotals;

/**
 * The daily chart's data as a JSON text for a {@code data-} attribute (Thymeleaf escapes it there):
 * ISO dates, whole numbers, decimal amounts and one ISO currency code only, so nothing a shopper typed ever reaches
 * the script. Recovered revenue is charted in one currency ({@link #chartCurrency}) on its own axis.
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
        StringBuilder revenue = new StringBuilder();
        if (currency != null) {
            for (RecoveryReport.Day day : report.getDays()) {
                java.math.BigDecimal amount = day.getTotals().getRecoveredRevenue().get(currency);
                append(revenue, amount == null ? "0" : amount.stripTrailingZeros().toPlainString());
            }
        }
        return new ReportChart("{\"days\":[" + days + "],\"sent\":[" + sent + "],\"opened\":[" + opened
                + "],\"clicked\":[" + clicked + "],\"recovered\":[" + recovered + "]"
                + (currency == null ? "" : ",\"revenueCurrency\":\"" + currency + "\",\"revenue\":[" + revenue + "]") + "}");
    }

    /**
     * The currency the chart shows revenue in: the one with the most recovered revenue in the range (amounts of
     * different currencies are never added up), or null when nothing was recovered. Only ISO codes (three capital
     * letters) are charted, so the JSON holds nothing else.
     */
    static String chartCurrency(RecoveryReport report) {
        String best = null;
        java.math.BigDecimal most = java.math.BigDecimal.ZERO;
        for (java.util.Map.Entry<String, java.math.BigDecimal> total : report.getKpis().getRecoveredRevenue().entrySet()) {
            if (total.getKey() != null && total.getKey().matches("[A-Z]{3}") && total.getValue().compareTo(most) > 0) {
                best = total.getKey();
                most = total.getValue();
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
