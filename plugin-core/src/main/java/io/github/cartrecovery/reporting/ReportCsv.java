package io.github.cartrecovery.reporting;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Writes a {@link RecoveryReport} as CSV (RFC 4180, Apache Commons CSV), one number per line so every
 * number of the report page is there and a spreadsheet can pivot it:
 * {@code section, date, campaign_id, campaign, step, channel, metric, currency, value, trigger}. Sections: {@code kpi}
 * (the whole range), {@code day}, {@code campaign}, {@code step} (one per step and channel), {@code channel} (one per
 * channel; abandoned carts belong to none), {@code trigger} (one per trigger type). {@code trigger} names the campaign's
 * trigger type on campaign and step lines, and the trigger on trigger lines. Revenue lines carry their currency;
 * counts and rates leave it empty. Orders credited to browse emails and to post-purchase follow-ups have their own
 * metrics ({@code browse_orders}, {@code browse_revenue}, {@code repeat_orders}, {@code repeat_revenue}), never inside
 * the recovered ones. Rates are fractions (0.25 = 25 %), empty when undefined.
 * Every text cell but the metric names (the plugin's own) goes through {@link SpreadsheetText}: text a
 * spreadsheet would run as a formula (leading =, +, -, @, tab, CR) gets a leading single quote. Commons CSV
 * quotes a cell with a comma, double quote or line break and doubles its quotes. Numbers are written as they are.
 */
public final class ReportCsv {

    public static final String[] HEADER = {"section", "date", "campaign_id", "campaign", "step", "channel", "metric",
        "currency", "value", "trigger"};

    private ReportCsv() {
    }

    public static void write(RecoveryReport report, Appendable out) throws IOException {
        CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180.builder().setHeader(HEADER).build());
        String range = report.getFrom() + ".." + report.getTo();
        lines(csv, "kpi", range, null, null, null, null, null, report.getKpis());
        for (RecoveryReport.Day day : report.getDays()) {
            lines(csv, "day", day.getDate().toString(), null, null, null, null, null, day.getTotals());
        }
        for (RecoveryReport.Funnel campaign : report.getCampaigns()) {
            lines(csv, "campaign", range, campaign.getCampaignId(), campaign.getCampaignName(), null, null,
                    campaign.getTriggerType(), campaign.getTotals());
        }
        for (RecoveryReport.Funnel step : report.getSteps()) {
            lines(csv, "step", range, step.getCampaignId(), step.getCampaignName(), step.getStepNo(), step.getChannel(),
                    step.getTriggerType(), step.getTotals());
        }
        for (RecoveryReport.ChannelTotals channel : report.getChannels()) {
            lines(csv, "channel", range, null, null, null, channel.getChannel(), null, channel.getTotals());
        }
        for (RecoveryReport.TriggerTotals trigger : report.getTriggers()) {
            lines(csv, "trigger", range, null, null, null, null, trigger.getTriggerType(), trigger.getTotals());
        }
        csv.flush();
    }

    private static void lines(CSVPrinter csv, String section, String date, Long campaignId, String campaign,
                              Integer step, String channel, String trigger, ReportTotals totals) throws IOException {
        Object[] at = {SpreadsheetText.of(section), SpreadsheetText.of(date), campaignId == null ? "" : campaignId,
            campaign == null ? "" : SpreadsheetText.of(campaign), step == null ? "" : step,
            channel == null ? "" : SpreadsheetText.of(channel), trigger == null ? "" : SpreadsheetText.of(trigger)};
        count(csv, at, "abandoned_carts", totals.getAbandonedCarts());
        count(csv, at, "carts_with_email", totals.getCartsWithEmail());
        count(csv, at, "planned", totals.getPlanned());
        count(csv, at, "sent", totals.getSent());
        count(csv, at, "skipped", totals.getSkipped());
        count(csv, at, "failed", totals.getFailed());
        count(csv, at, "bounced", totals.getBounced());
        count(csv, at, "opened_unique", totals.getOpened());
        count(csv, at, "clicked_unique", totals.getClicked());
        count(csv, at, "unsubscribed", totals.getUnsubscribed());
        count(csv, at, "recovered_carts", totals.getRecoveredCarts());
        count(csv, at, "influenced_orders", totals.getInfluencedOrders());
        count(csv, at, "browse_orders", totals.getBrowseOrders());
        count(csv, at, "repeat_orders", totals.getRepeatOrders());
        rate(csv, at, "open_rate", totals.getOpenRate());
        rate(csv, at, "click_rate", totals.getClickRate());
        rate(csv, at, "recovery_rate", totals.getRecoveryRate());
        rate(csv, at, "unsubscribe_rate", totals.getUnsubscribeRate());
        revenue(csv, at, "recovered_revenue", totals.getRecoveredRevenue());
        revenue(csv, at, "influenced_revenue", totals.getInfluencedRevenue());
        revenue(csv, at, "browse_revenue", totals.getBrowseRevenue());
        revenue(csv, at, "repeat_revenue", totals.getRepeatRevenue());
    }

    private static void revenue(CSVPrinter csv, Object[] at, String metric, Map<String, BigDecimal> byCurrency)
            throws IOException {
        for (Map.Entry<String, BigDecimal> revenue : byCurrency.entrySet()) {
            csv.printRecord(at[0], at[1], at[2], at[3], at[4], at[5], metric, SpreadsheetText.of(revenue.getKey()),
                    revenue.getValue().stripTrailingZeros().toPlainString(), at[6]);
        }
    }

    private static void count(CSVPrinter csv, Object[] at, String metric, long value) throws IOException {
        csv.printRecord(at[0], at[1], at[2], at[3], at[4], at[5], metric, "", value, at[6]);
    }

    private static void rate(CSVPrinter csv, Object[] at, String metric, BigDecimal value) throws IOException {
        csv.printRecord(at[0], at[1], at[2], at[3], at[4], at[5], metric, "", value == null ? "" : value.toPlainString(), at[6]);
    }
}
