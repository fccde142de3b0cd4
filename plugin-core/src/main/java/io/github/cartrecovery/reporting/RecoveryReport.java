package io.github.cartrecovery.reporting;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The recovery report for a range of store days, optionally for one campaign: KPIs over the range, one row
 * per day (every day of the range, zeros included), the funnel per campaign and per campaign step and channel, and
 * the totals per channel (messages planned, sent, skipped, failed, opened, clicked, recovered revenue...).
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
    private final List<ChannelTotals> channels;
    private final String triggerType;
    private final List<TriggerTotals> triggers;

    RecoveryReport(LocalDate from, LocalDate to, Long campaignId, ReportTotals kpis, List<Day> days,
                   List<Funnel> campaigns, List<Funnel> steps) {
        this(from, to, campaignId, kpis, days, campaigns, steps, Collections.<ChannelTotals>emptyList());
    }

    RecoveryReport(LocalDate from, LocalDate to, Long campaignId, ReportTotals kpis, List<Day> days,
                   List<Funnel> campaigns, List<Funnel> steps, List<ChannelTotals> channels) {
        this(from, to, campaignId, kpis, days, campaigns, steps, channels, null, Collections.<TriggerTotals>emptyList());
    }

    private RecoveryReport(LocalDate from, LocalDate to, Long campaignId, ReportTotals kpis, List<Day> days,
                           List<Funnel> campaigns, List<Funnel> steps, List<ChannelTotals> channels, String triggerType,
                           List<TriggerTotals> triggers) {
        this.from = from;
        this.to = to;
        this.campaignId = campaignId;
        this.kpis = kpis;
        this.days = Collections.unmodifiableList(new ArrayList<Day>(days));
        this.campaigns = Collections.unmodifiableList(new ArrayList<Funnel>(campaigns));
        this.steps = Collections.unmodifiableList(new ArrayList<Funnel>(steps));
        this.channels = Collections.unmodifiableList(new ArrayList<ChannelTotals>(channels));
        this.triggerType = triggerType;
        this.triggers = Collections.unmodifiableList(new ArrayList<TriggerTotals>(triggers));
    }

    /** The same report with its trigger filter and its totals per trigger type. */
    RecoveryReport withTriggers(String filter, List<TriggerTotals> totals) {
        return new RecoveryReport(from, to, campaignId, kpis, days, campaigns, steps, channels, filter, totals);
    }

    public LocalDate getFrom() { return from; }
    public LocalDate getTo() { return to; }
    /** The campaign filter, or null for all campaigns. */
    public Long getCampaignId() { return campaignId; }
    public ReportTotals getKpis() { return kpis; }
    public List<Day> getDays() { return days; }
    /** One row per campaign with activity in the range, by campaign id. */
    public List<Funnel> getCampaigns() { return campaigns; }
    /**
     * One row per campaign step and channel with activity in the range, by campaign id, step number and channel (a
     * step has one channel, unless it was changed while messages were planned).
     */
    public List<Funnel> getSteps() { return steps; }
    /** One row per channel with messages in the range, by channel name (abandoned carts belong to no channel). */
    public List<ChannelTotals> getChannels() { return channels; }
    /** The trigger filter (a campaign.TriggerType name), or null for every trigger. */
    public String getTriggerType() { return triggerType; }
    /** One row per trigger type with messages in the range (the campaigns' CR_CAMPAIGN.TRIGGER_TYPE; "-": deleted). */
    public List<TriggerTotals> getTriggers() { return triggers; }

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

    /** A funnel row: a campaign (stepNo and channel null) or one step of it on one channel. */
    public static final class Funnel implements Serializable {
        private static final long serialVersionUID = 1L;
        private final long campaignId;
        private final String campaignName;
        private final Integer stepNo;
        private final String channel;
        private final ReportTotals totals;
        private final String triggerType;

        Funnel(long campaignId, String campaignName, Integer stepNo, ReportTotals totals) {
            this(campaignId, campaignName, stepNo, null, totals);
        }

        Funnel(long campaignId, String campaignName, Integer stepNo, String channel, ReportTotals totals) {
            this(campaignId, campaignName, stepNo, channel, totals, null);
        }

        Funnel(long campaignId, String campaignName, Integer stepNo, String channel, ReportTotals totals,
               String triggerType) {
            this.triggerType = triggerType;
            this.campaignId = campaignId;
            this.campaignName = campaignName;
            this.stepNo = stepNo;
            this.channel = channel;
            this.totals = totals;
        }

        public long getCampaignId() { return campaignId; }
        /** The campaign's current name, or "(deleted campaign N)". */
        public String getCampaignName() { return campaignName; }
        public Integer getStepNo() { return stepNo; }
        /** The step's channel ("EMAIL", "SMS"...); null on a campaign row. */
        public String getChannel() { return channel; }
        public ReportTotals getTotals() { return totals; }
        /** The campaign's trigger type (a campaign.TriggerType name), "-" for a deleted campaign, null if not known. */
        public String getTriggerType() { return triggerType; }
    }

    /** One trigger type's numbers over the range: the funnel of its campaigns together. */
    public static final class TriggerTotals implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String triggerType;
        private final ReportTotals totals;

        TriggerTotals(String triggerType, ReportTotals totals) {
            this.triggerType = triggerType;
            this.totals = totals;
        }

        /** A campaign.TriggerType name, or "-" for messages of deleted campaigns. */
        public String getTriggerType() { return triggerType; }
        public ReportTotals getTotals() { return totals; }
    }

    /** One channel's numbers over the range. */
    public static final class ChannelTotals implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String channel;
        private final ReportTotals totals;

        ChannelTotals(String channel, ReportTotals totals) {
            this.channel = channel;
            this.totals = totals;
        }

        /** The channel's name, or "-" for messages whose channel is not known any more. */
        public String getChannel() { return channel; }
        public ReportTotals getTotals() { return totals; }
    }
}
