package io.github.cartrecovery.experiment.stats;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import io.github.cartrecovery.reporting.SpreadsheetText;

/**
 * Writes an {@link ExperimentReport} as CSV (RFC 4180, Apache Commons CSV), one row per arm after a header:
 * the counts, the conversion rate and its interval, the planned and still needed carts, the comparison with the
 * control and with the holdout (difference, relative lift, both with intervals; p-value, Holm-adjusted p-value,
 * significant), then per currency of the report its revenue and revenue per eligible cart with their intervals, and
 * the arm's verdict. Rates, differences and lifts are fractions; an empty cell is a value that is not defined (no
 * carts, no conversions, no control...). Text cells (key, name, verdict, currency codes in the header) go through
 * {@link SpreadsheetText}, so a spreadsheet shows them rather than running them as formulas.
 */
public final class ExperimentCsv {

    private static final List<String> ARM_COLUMNS = Arrays.asList("arm_id", "arm_key", "arm", "kind", "eligible_carts",
            "messages", "opens", "clicks", "converted_carts", "recovered_carts", "recovery_rate", "conversion_rate",
            "conversion_lower", "conversion_upper", "planned_carts_per_arm", "carts_still_needed");

    private static final List<String> COMPARISON_COLUMNS = Arrays.asList("difference", "difference_lower",
            "difference_upper", "lift", "lift_lower", "lift_upper", "p_value", "adjusted_p_value", "significant");

    private ExperimentCsv() {
    }

    /** The header for the report's currencies. */
    public static List<String> header(ExperimentReport report) {
        List<String> header = new ArrayList<String>(ARM_COLUMNS);
        for (String against : new String[] {"vs_control_", "vs_holdout_"}) {
            for (String column : COMPARISON_COLUMNS) {
                header.add(against + column);
            }
        }
        for (String currency : report.getCurrencies()) {
            String c = "_" + currency;
            header.addAll(Arrays.asList("orders" + c, "revenue" + c, "revenue_per_cart" + c,
                    "revenue_per_cart_lower" + c, "revenue_per_cart_upper" + c,
                    "revenue_per_cart_vs_control" + c, "revenue_per_cart_vs_control_lower" + c,
                    "revenue_per_cart_vs_control_upper" + c, "revenue_per_cart_vs_control_p_value" + c,
                    "revenue_per_cart_vs_holdout" + c, "revenue_per_cart_vs_holdout_lower" + c,
                    "revenue_per_cart_vs_holdout_upper" + c, "revenue_per_cart_vs_holdout_p_value" + c));
        }
        header.add("verdict");
        List<String> safe = new ArrayList<String>();
        for (String column : header) {
            safe.add(SpreadsheetText.of(column));
        }
        return safe;
    }

    public static void write(ExperimentReport report, Appendable out) throws IOException {
        List<String> header = header(report);
        CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180.builder()
                .setHeader(header.toArray(new String[header.size()])).build());
        for (ExperimentReport.Arm arm : report.getArms()) {
            List<Object> row = new ArrayList<Object>();
            row.add(arm.getArmId());
            row.add(text(arm.getArmKey()));
            row.add(text(arm.getName()));
            row.add(arm.getKind().name());
            row.add(arm.getCounts().getEligibleCarts());
            row.add(arm.getCounts().getMessages());
            row.add(arm.getCounts().getOpens());
            row.add(arm.getCounts().getClicks());
            row.add(arm.getCounts().getConvertedCarts());
            row.add(arm.getCounts().getRecoveredCarts());
            row.add(number(arm.getRecoveryRate()));
            interval(row, arm.getConversion());
            row.add(report.getPlannedCartsPerArm());
            row.add(arm.isCompared() ? String.valueOf(arm.getCartsStillNeeded()) : "");
            comparison(row, arm.getVsControl());
            comparison(row, arm.getVsHoldout());
            for (String currency : report.getCurrencies()) {
                ExperimentReport.Revenue revenue = arm.getRevenue().get(currency);
                row.add(revenue.getOrders());
                row.add(money(revenue.getSum()));
                row.add(number(revenue.getPerCart()));
                Interval perCart = revenue.getPerCartInterval();
                row.add(perCart == null ? "" : number(perCart.getLower()));
                row.add(perCart == null ? "" : number(perCart.getUpper()));
                revenueDifference(row, arm.getVsControl(), currency);
                revenueDifference(row, arm.getVsHoldout(), currency);
            }
            row.add(text(arm.getVerdict()));
            csv.printRecord(row);
        }
        csv.flush();
    }

    private static void comparison(List<Object> row, ExperimentReport.Comparison comparison) {
        if (comparison == null) {
            for (int i = 0; i < COMPARISON_COLUMNS.size(); i++) {
                row.add("");
            }
            return;
        }
        interval(row, comparison.getDifference());
        interval(row, comparison.getRelativeLift());
        row.add(number(comparison.getPValue()));
        row.add(number(comparison.getAdjustedPValue()));
        row.add(comparison.isSignificant());
    }

    private static void revenueDifference(List<Object> row, ExperimentReport.Comparison comparison, String currency) {
        ExperimentReport.RevenueDifference difference = comparison == null ? null : comparison.getRevenue().get(currency);
        if (difference == null) {
            row.addAll(Arrays.asList("", "", "", ""));
            return;
        }
        interval(row, difference.getDifference());
        row.add(number(difference.getPValue()));
    }

    private static void interval(List<Object> row, Interval interval) {
        if (interval == null) {
            row.addAll(Arrays.asList("", "", ""));
        } else {
            row.add(number(interval.getEstimate()));
            row.add(number(interval.getLower()));
            row.add(number(interval.getUpper()));
        }
    }

    private static String number(Double value) {
        return value == null ? "" : String.valueOf(value.doubleValue());
    }

    private static String money(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }

    private static String text(String value) {
        return value == null ? "" : SpreadsheetText.of(value);
    }
}
