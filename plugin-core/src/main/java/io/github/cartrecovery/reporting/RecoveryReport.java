package io.github.cartrecovery.reporting;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The recovery report for a range of store days, optionally for one campaign: KPIs over the range, one row
 * per day (every day of the range, zeros included) and the funnel per campaign and per campaign step.
 * Abandoned carts and carts with email belong to no campaign: they are the store's whatever the filter.
 * Immutable; what the admin page shows and the CSV export writes.
 */
public final class RecoveryReport implements Serializable {

    private static final long serialVersionUID = 1L;

    private final LocalDate from;
    private final LocalDate to;
    private final Long campaignId;
    private final ReportTotals kpis;
    private final List<Day> days;
    private final List<Funnel> campaigns;
    private final List<Funnel> steps;

    RecoveryReport(LocalDate from, LocalDate to, Long campaignId, ReportTotals kpis, List<Day> days,
                   List<Funnel> campaigns, List<Funnel> steps) {
        this.from = from;
        this.to = to;
        this.campaignId = campaignId;
        this.kpis = kpis;
        this.days = Collections.unmodifiableList(new ArrayList<Day>(days));
        this.campaigns = Collections.unmodifiableList(new ArrayList<Funnel>(campaigns));
        this.steps = Collections.unmodifiableList(new ArrayList<Funnel>(steps));
    }

    public LocalDate getFrom() { return from; }
    public LocalDate getTo() { return to; }
    /** The campaign filter, or null for all campaigns. */
    public Long getCampaignId() { return campaignId; }
    public ReportTotals getKpis() { return kpis; }
    public List<Day> getDays() { return days; }
    /** One row per campaign with activity in the range, by campaign id. */
    public List<Funnel> getCampaigns() { return campaigns; }
    /** One row per campaign step with activity in the range, by campaign id and step number. */
    public List<Funnel> getSteps() { return steps; }

    /** One store day of the report. */
    public static final class Day implements Serializable {
        private static final long serialVersionUID = 1L;
        private final LocalDate date;
        private final ReportTotals totals;

        Day(LocalDate date, ReportTotals totals) {
            this.date = date;
            this.totals = totals;
        }

        public LocalDate getDate() { return date; }
        public ReportTotals getTotals() { return totals; }
    }

    /** A funnel row: a campaign (stepNo null) or one step of it. */
    public static final class Funnel implements Serializable {
        private static final long serialVersionUID = 1L;
        private final long campaignId;
        private final String campaignName;
        private final Integer stepNo;
        private final ReportTotals totals;

        Funnel(long campaignId, String campaignName, Integer stepNo, ReportTotals totals) {
            this.campaignId = campaignId;
            this.campaignName = campaignName;
            this.stepNo = stepNo;
            this.totals = totals;
        }

        public long getCampaignId() { return campaignId; }
        /** The campaign's current name, or "(deleted campaign N)". */
        public String getCampaignName() { return campaignName; }
        public Integer getStepNo() { return stepNo; }
        public ReportTotals getTotals() { return totals; }
    }
}
