package io.github.cartrecovery.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import javax.annotation.Resource;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;
import io.github.cartrecovery.testing.TestClock;

/**
 * The report split by channel: messages sent, skipped, failed, opened, clicked and the revenue recovered per channel,
 * the step funnel with each step's channel, and the CSV's channel column, all from the rollups (CR_REPORT_DAILY keyed
 * by channel).
 */
@BroadleafWithPlugin
class ReportByChannelIT {

    private static final long CAMPAIGN = -7101L;

    @Resource(name = "crReportRollup")
    ReportRollup rollup;

    @Resource(name = "crRecoveryReports")
    RecoveryReports reports;

    TestClock clock;
    ReportHistory history;
    LocalDate today;

    @BeforeEach
    void aDayOfItsOwn(PluginContext broadleaf) {
        clock = broadleaf.clock();
        history = new ReportHistory(broadleaf);
        clock.set(clock.instant().plus(Duration.ofDays(3)).atZone(ZoneOffset.UTC).toLocalDate().atTime(12, 0)
                .toInstant(ZoneOffset.UTC));
        today = clock.instant().atZone(ZoneOffset.UTC).toLocalDate();
        rollup.run(); // whatever earlier tests left unreported
    }

    @Test
    void everyMessageNumberAndTheRecoveredRevenueAreSplitByChannel() throws Exception {
        Instant now = clock.instant();
        long emailed = history.sentMessage(history.abandonedCart("USD", now), CAMPAIGN, 1, "EMAIL", now);
        long skippedEmail = history.sentMessage(history.abandonedCart("USD", now), CAMPAIGN, 1, "EMAIL", now);
        long texted = history.sentMessage(history.abandonedCart("EUR", now), CAMPAIGN, 2, "SMS", now);
        long failedSms = history.sentMessage(history.abandonedCart("EUR", now), CAMPAIGN, 2, "SMS", now);
        history.event(emailed, "SENT", now);
        history.event(emailed, "OPENED", now.plusSeconds(60));
        history.event(emailed, "OPENED", now.plusSeconds(120)); // a repeat: one unique open
        history.event(emailed, "CLICKED", now.plusSeconds(180));
        history.event(skippedEmail, "SKIPPED", now);
        history.event(texted, "SENT", now);
        history.event(texted, "CLICKED", now.plusSeconds(30));
        history.event(failedSms, "FAILED", now);
        history.attribution(ReportHistory.nextOrderId(), "RECOVERED", emailed, CAMPAIGN, 1, "USD", new BigDecimal("40.00"),
                now.plusSeconds(600));
        history.attribution(ReportHistory.nextOrderId(), "RECOVERED", texted, CAMPAIGN, 2, "EUR", new BigDecimal("80.00"),
                now.plusSeconds(900));

        rollup.run();
        RecoveryReport report = reports.query(today, today, CAMPAIGN);

        assertThat(report.getChannels()).extracting(RecoveryReport.ChannelTotals::getChannel).containsExactly("EMAIL", "SMS");
        ReportTotals email = report.getChannels().get(0).getTotals();
        ReportTotals sms = report.getChannels().get(1).getTotals();
        assertThat(new long[] {email.getSent(), email.getSkipped(), email.getFailed(), email.getOpened(), email.getClicked(),
            email.getRecoveredCarts()}).containsExactly(1, 1, 0, 1, 1, 1);
        assertThat(new long[] {sms.getSent(), sms.getSkipped(), sms.getFailed(), sms.getOpened(), sms.getClicked(),
            sms.getRecoveredCarts()}).containsExactly(1, 0, 1, 0, 1, 1);
        assertThat(email.getRecoveredRevenue()).containsOnlyKeys("USD");
        assertThat(email.getRecoveredRevenue().get("USD")).isEqualByComparingTo("40");
        assertThat(sms.getRecoveredRevenue()).containsOnlyKeys("EUR");
        assertThat(sms.getRecoveredRevenue().get("EUR")).isEqualByComparingTo("80");

        assertThat(report.getSteps()).extracting(s -> s.getStepNo() + " " + s.getChannel() + " sent=" + s.getTotals().getSent())
                .containsExactly("1 EMAIL sent=1", "2 SMS sent=1");
        assertThat(report.getKpis().getSent()).isEqualTo(2);
        assertThat(report.getKpis().getSkipped()).isEqualTo(1);
        assertThat(report.getCampaigns()).singleElement().satisfies(c -> assertThat(c.getTotals().getClicked()).isEqualTo(2));
        // abandoned carts belong to no channel
        assertThat(history.jdbc.queryForList("SELECT DISTINCT CHANNEL FROM CR_REPORT_DAILY WHERE REPORT_DAY = ? AND CAMPAIGN_ID = 0",
                String.class, java.sql.Date.valueOf(today))).containsExactly(ReportRollup.NO_CHANNEL);

        List<CSVRecord> rows = csv(report);
        assertThat(rows).filteredOn(row -> row.get("section").equals("channel") && row.get("metric").equals("sent"))
                .extracting(row -> row.get("channel") + "=" + row.get("value")).containsExactly("EMAIL=1", "SMS=1");
        assertThat(rows).filteredOn(row -> row.get("section").equals("channel") && row.get("metric").equals("recovered_revenue"))
                .extracting(row -> row.get("channel") + "=" + row.get("value") + " " + row.get("currency"))
                .containsExactly("EMAIL=40 USD", "SMS=80 EUR");
        assertThat(rows).filteredOn(row -> row.get("section").equals("step") && row.get("metric").equals("skipped"))
                .extracting(row -> row.get("step") + " " + row.get("channel") + "=" + row.get("value"))
                .containsExactly("1 EMAIL=1", "2 SMS=0");
        assertThat(rows).filteredOn(row -> row.get("section").equals("kpi")).allSatisfy(row -> assertThat(row.get("channel")).isEmpty());
    }

    @Test
    void aStepWhoseChannelChangedWhileMessagesWerePlannedShowsARowPerChannel() {
        Instant now = clock.instant();
        long before = history.sentMessage(history.abandonedCart("USD", now), CAMPAIGN - 1, 1, "EMAIL", now);
        long after = history.sentMessage(history.abandonedCart("USD", now), CAMPAIGN - 1, 1, "WEBHOOK", now);
        history.event(before, "SENT", now);
        history.event(after, "SENT", now);
        history.event(after, "SENT", now.plusSeconds(1));

        rollup.run();
        RecoveryReport report = reports.query(today, today, CAMPAIGN - 1);

        assertThat(report.getSteps().stream().map(s -> s.getStepNo() + " " + s.getChannel() + "=" + s.getTotals().getSent())
                .collect(Collectors.toList())).containsExactly("1 EMAIL=1", "1 WEBHOOK=2");
        assertThat(report.getCampaigns()).singleElement().satisfies(c -> assertThat(c.getTotals().getSent()).isEqualTo(3));
    }

    private static List<CSVRecord> csv(RecoveryReport report) throws Exception {
        StringBuilder out = new StringBuilder();
        ReportCsv.write(report, out);
        List<CSVRecord> rows = new ArrayList<>();
        CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build().parse(new StringReader(out.toString()))
                .forEach(rows::add);
        return rows;
    }
}
