package io.github.cartrecovery.admin.web;

import io.github.cartrecovery.reporting.RecoveryReport;
import io.github.cartrecovery.reporting.ReportTotals;

/**
 * The daily chart's data as a JSON text for a {@code data-} attribute (Thymeleaf escapes it there):
 * ISO dates and whole numbers only, so nothing a shopper typed ever reaches the script.
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
        return new ReportChart("{\"days\":[" + days + "],\"sent\":[" + sent + "],\"opened\":[" + opened
                + "],\"clicked\":[" + clicked + "],\"recovered\":[" + recovered + "]}");
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
