package io.github.cartrecovery.reporting;

import java.math.BigDecimal;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

/**
 * Builds {@link RecoveryReport}s from the rollups in CR_REPORT_DAILY (never from raw events): one range
 * read of the table's primary key (REPORT_DAY first), summed in memory. Reports are cached per rollup
 * version in {@link ReportCache}, so a repeated request costs one primary-key read of CR_SETTING. Reads go through
 * {@link ReportingDatabase}: the read replica when one is configured and fresh, else the primary; a replica a little
 * behind reads an older REPORT_VERSION and so finds (or caches) the report of that version, never a mix.
 */
public class RecoveryReports {

    /** The longest range one report covers, in days. */
    public static final int MAX_DAYS = 731;

    private static final String ROLLUPS =
            "SELECT REPORT_DAY, CAMPAIGN_ID, STEP_NO, CHANNEL, CURRENCY_CODE, ABANDONED_CARTS, CARTS_WITH_EMAIL, PLANNED, SENT,"
            + " FAILED, BOUNCED, OPENED, CLICKED, UNSUBSCRIBED, RECOVERED, INFLUENCED, SKIPPED, RECOVERED_REVENUE,"
            + " INFLUENCED_REVENUE, BROWSE_ORDERS, BROWSE_REVENUE, REPEAT_ORDERS, REPEAT_REVENUE"
            + " FROM CR_REPORT_DAILY WHERE REPORT_DAY >= ? AND REPORT_DAY <= ?";

    private final ReportingDatabase database;
    private final ReportCache cache;

    public RecoveryReports(ReportingDatabase database, ReportCache cache) {
        this.database = database;
        this.cache = cache;
    }

    /** Reads the primary only (no read replica). */
    public RecoveryReports(DataSource dataSource, ReportCache cache) {
        this(ReportingDatabase.primaryOnly(dataSource), cache);
    }

    /**
     * The report for store days {@code from} to {@code to} (both included), for one campaign or all (null).
     *
     * @throws IllegalArgumentException when a date is missing, {@code from} is after {@code to}, or the range
     *         is longer than {@link #MAX_DAYS}
     */
    public RecoveryReport query(LocalDate from, LocalDate to, Long campaignId) {
        return read(from, to, campaignId).getValue();
    }

    /** The same, only for the campaigns of one trigger type (CR_CAMPAIGN.TRIGGER_TYPE; null: every trigger). */
    public RecoveryReport query(LocalDate from, LocalDate to, Long campaignId, String triggerType) {
        return read(from, to, campaignId, triggerType).getValue();
    }

    /** {@link #query}, with the database the report was read from (the replica, or the primary and why). */
    public ReportingDatabase.Read<RecoveryReport> read(final LocalDate from, final LocalDate to, final Long campaignId) {
        return read(from, to, campaignId, null);
    }

    /**
     * {@link #read(LocalDate, LocalDate, Long)} for the campaigns of one trigger type ({@code campaign.TriggerType}'s
     * name; null: every trigger). Abandoned carts and carts with email stay the store's whatever the filter.
     */
    public ReportingDatabase.Read<RecoveryReport> read(final LocalDate from, final LocalDate to, final Long campaignId,
                                                       final String triggerType) {
        if (from == null) {
            throw new IllegalArgumentException("from: a start date is required");
        }
        if (to == null) {
            throw new IllegalArgumentException("to: an end date is required");
        }
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("from: must not be after to (" + from + " > " + to + ")");
        }
        if (ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
            throw new IllegalArgumentException("to: a report covers at most " + MAX_DAYS + " days");
        }
        return database.read(new ReportingDatabase.Query<RecoveryReport>() {
            @Override
            public RecoveryReport run(JdbcTemplate jdbc) {
                String key = version(jdbc) + '|' + from + '|' + to + '|' + (campaignId == null ? "*" : campaignId)
                        + '|' + (triggerType == null ? "*" : triggerType);
                RecoveryReport cached = cache.get(key);
                if (cached != null) {
                    return cached;
                }
                RecoveryReport report = compute(jdbc, from, to, campaignId, triggerType);
                cache.put(key, report);
                return report;
            }
        });
    }

    private static String version(JdbcTemplate jdbc) {
        List<String> version = jdbc.queryForList("SELECT VALUE FROM CR_SETTING WHERE NAME = ?", String.class,
                ReportRollup.VERSION_SETTING);
        return version.isEmpty() ? "none" : version.get(0);
    }

    private static RecoveryReport compute(JdbcTemplate jdbc, LocalDate from, LocalDate to, final Long campaignId,
                                          String triggerType) {
        final Map<Long, String> names = new HashMap<Long, String>();
        final Map<Long, String> triggerOf = new HashMap<Long, String>();
        campaigns(jdbc, names, triggerOf);
        final Map<String, ReportTotals> triggers = new TreeMap<String, ReportTotals>();
        final Map<LocalDate, ReportTotals> days = new TreeMap<LocalDate, ReportTotals>();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            days.put(day, ReportTotals.NONE);
        }
        final Map<Long, ReportTotals> campaigns = new TreeMap<Long, ReportTotals>();
        final Map<Long, Map<Integer, Map<String, ReportTotals>>> steps = new TreeMap<Long, Map<Integer, Map<String, ReportTotals>>>();
        final Map<String, ReportTotals> channels = new TreeMap<String, ReportTotals>();
        final ReportTotals[] kpis = {ReportTotals.NONE};
        String sql = ROLLUPS + (campaignId == null ? "" : " AND CAMPAIGN_ID IN (0, ?)");
        List<Object> args = new ArrayList<Object>();
        args.add(Date.valueOf(from));
        args.add(Date.valueOf(to));
        if (campaignId != null) {
            args.add(campaignId);
        }
        if (triggerType != null) {
            // the campaigns of one trigger (PK lookups in CR_CAMPAIGN, a few rows); cart rows (campaign 0) stay
            sql += " AND (CAMPAIGN_ID = 0 OR CAMPAIGN_ID IN (SELECT ID FROM CR_CAMPAIGN WHERE TRIGGER_TYPE = ?))";
            args.add(triggerType);
        }
        jdbc.query(sql, args.toArray(), new RowCallbackHandler() {
            @Override
            public void processRow(ResultSet rs) throws SQLException {
                long[] counts = new long[ReportRollup.COUNTERS.length];
                for (int i = 0; i < counts.length; i++) {
                    counts[i] = rs.getLong(ReportRollup.COUNTERS[i]);
                }
                String currency = rs.getString("CURRENCY_CODE");
                BigDecimal recovered = rs.getBigDecimal("RECOVERED_REVENUE");
                BigDecimal influenced = rs.getBigDecimal("INFLUENCED_REVENUE");
                final BigDecimal browse = rs.getBigDecimal("BROWSE_REVENUE");
                final BigDecimal repeat = rs.getBigDecimal("REPEAT_REVENUE");
                LocalDate day = rs.getDate("REPORT_DAY").toLocalDate();
                long campaign = rs.getLong("CAMPAIGN_ID");
                int step = rs.getInt("STEP_NO");
                String channel = rs.getString("CHANNEL");
                kpis[0] = kpis[0].plus(counts, currency, recovered, influenced, browse, repeat);
                days.put(day, days.get(day).plus(counts, currency, recovered, influenced, browse, repeat));
                if (campaign != 0) {
                    campaigns.put(campaign, or(campaigns.get(campaign)).plus(counts, currency, recovered, influenced, browse, repeat));
                    Map<Integer, Map<String, ReportTotals>> ofCampaign = steps.get(campaign);
                    if (ofCampaign == null) {
                        ofCampaign = new TreeMap<Integer, Map<String, ReportTotals>>();
                        steps.put(campaign, ofCampaign);
                    }
                    Map<String, ReportTotals> ofStep = ofCampaign.get(step);
                    if (ofStep == null) {
                        ofStep = new TreeMap<String, ReportTotals>();
                        ofCampaign.put(step, ofStep);
                    }
                    ofStep.put(channel, or(ofStep.get(channel)).plus(counts, currency, recovered, influenced, browse, repeat));
                    channels.put(channel, or(channels.get(channel)).plus(counts, currency, recovered, influenced, browse, repeat));
                    String trigger = trigger(triggerOf, campaign);
                    triggers.put(trigger, or(triggers.get(trigger)).plus(counts, currency, recovered, influenced, browse, repeat));
                }
            }
        });
        List<RecoveryReport.Day> dayRows = new ArrayList<RecoveryReport.Day>();
        for (Map.Entry<LocalDate, ReportTotals> day : days.entrySet()) {
            dayRows.add(new RecoveryReport.Day(day.getKey(), day.getValue()));
        }
        List<RecoveryReport.Funnel> campaignRows = new ArrayList<RecoveryReport.Funnel>();
        for (Map.Entry<Long, ReportTotals> campaign : campaigns.entrySet()) {
            campaignRows.add(new RecoveryReport.Funnel(campaign.getKey(), name(names, campaign.getKey()), null, null,
                    campaign.getValue(), trigger(triggerOf, campaign.getKey())));
        }
        List<RecoveryReport.Funnel> stepRows = new ArrayList<RecoveryReport.Funnel>();
        for (Map.Entry<Long, Map<Integer, Map<String, ReportTotals>>> campaign : steps.entrySet()) {
            for (Map.Entry<Integer, Map<String, ReportTotals>> step : campaign.getValue().entrySet()) {
                for (Map.Entry<String, ReportTotals> channel : step.getValue().entrySet()) {
                    stepRows.add(new RecoveryReport.Funnel(campaign.getKey(), name(names, campaign.getKey()), step.getKey(),
                            channel.getKey(), channel.getValue(), trigger(triggerOf, campaign.getKey())));
                }
            }
        }
        List<RecoveryReport.ChannelTotals> channelRows = new ArrayList<RecoveryReport.ChannelTotals>();
        for (Map.Entry<String, ReportTotals> channel : channels.entrySet()) {
            channelRows.add(new RecoveryReport.ChannelTotals(channel.getKey(), channel.getValue()));
        }
        List<RecoveryReport.TriggerTotals> triggerRows = new ArrayList<RecoveryReport.TriggerTotals>();
        for (Map.Entry<String, ReportTotals> trigger : triggers.entrySet()) {
            triggerRows.add(new RecoveryReport.TriggerTotals(trigger.getKey(), trigger.getValue()));
        }
        return new RecoveryReport(from, to, campaignId, kpis[0], dayRows, campaignRows, stepRows, channelRows)
                .withTriggers(triggerType, triggerRows);
    }

    /** Every campaign's name and trigger type. */
    private static void campaigns(JdbcTemplate jdbc, final Map<Long, String> names, final Map<Long, String> triggers) {
        jdbc.query("SELECT ID, NAME, TRIGGER_TYPE FROM CR_CAMPAIGN", new RowCallbackHandler() {
            @Override
            public void processRow(ResultSet rs) throws SQLException {
                names.put(rs.getLong(1), rs.getString(2));
                triggers.put(rs.getLong(1), rs.getString(3));
            }
        });
    }

    /** A campaign's trigger type, or "-" for a deleted campaign. */
    private static String trigger(Map<Long, String> triggers, long campaignId) {
        String trigger = triggers.get(campaignId);
        return trigger == null ? "-" : trigger;
    }

    private static String name(Map<Long, String> names, long campaignId) {
        String name = names.get(campaignId);
        return name == null ? "(deleted campaign " + campaignId + ")" : name;
    }

    private static ReportTotals or(ReportTotals totals) {
        return totals == null ? ReportTotals.NONE : totals;
    }
}
