package io.github.cartrecovery.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

class ReportTotalsTest {

    private static long[] counts(int abandoned, int sent, int opened, int clicked, int unsubscribed, int recovered) {
        long[] counts = new long[ReportRollup.COUNTERS.length];
        counts[ReportRollup.ABANDONED_CARTS] = abandoned;
        counts[ReportRollup.SENT] = sent;
        counts[ReportRollup.OPENED] = opened;
        counts[ReportRollup.CLICKED] = clicked;
        counts[ReportRollup.UNSUBSCRIBED] = unsubscribed;
        counts[ReportRollup.RECOVERED] = recovered;
        return counts;
    }

    @Test
    void revenueIsSummedPerCurrencyAndNeverAcrossCurrencies() {
        ReportTotals totals = ReportTotals.NONE
                .plus(counts(0, 0, 0, 0, 0, 1), "USD", new BigDecimal("10.50"), BigDecimal.ZERO)
                .plus(counts(0, 0, 0, 0, 0, 1), "EUR", new BigDecimal("7"), BigDecimal.ZERO)
                .plus(counts(0, 0, 0, 0, 0, 1), "USD", new BigDecimal("4.50"), BigDecimal.ZERO);

        assertThat(totals.getRecoveredCarts()).isEqualTo(3);
        assertThat(totals.getRecoveredRevenue()).containsOnlyKeys("EUR", "USD");
        assertThat(totals.getRecoveredRevenue().get("USD")).isEqualByComparingTo("15");
        assertThat(totals.getRecoveredRevenue().get("EUR")).isEqualByComparingTo("7");
        assertThat(totals.getInfluencedRevenue()).isEmpty();
    }

    @Test
    void ratesArePerMessageSentAndPerAbandonedCart() {
        ReportTotals totals = ReportTotals.NONE.plus(counts(8, 4, 3, 1, 1, 2), "USD", BigDecimal.ZERO, BigDecimal.ZERO);

        assertThat(totals.getOpenRate()).isEqualByComparingTo("0.75");
        assertThat(totals.getClickRate()).isEqualByComparingTo("0.25");
        assertThat(totals.getUnsubscribeRate()).isEqualByComparingTo("0.25");
        assertThat(totals.getRecoveryRate()).isEqualByComparingTo("0.25");
    }

    @Test
    void ratesWithoutADenominatorAreUndefinedNotZero() {
        assertThat(ReportTotals.NONE.getOpenRate()).isNull();
        assertThat(ReportTotals.NONE.getRecoveryRate()).isNull();
    }

    @Test
    void csvNeutralisesCampaignNamesASpreadsheetWouldRun() throws Exception {
        ReportTotals totals = ReportTotals.NONE.plus(counts(0, 2, 1, 0, 0, 0), "USD", BigDecimal.ZERO, BigDecimal.ZERO);
        RecoveryReport report = new RecoveryReport(LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 1), null, totals,
                Collections.singletonList(new RecoveryReport.Day(LocalDate.of(2026, 3, 1), totals)),
                Collections.singletonList(new RecoveryReport.Funnel(5, "=HYPERLINK(\"http://x\")", null, totals)),
                Collections.<RecoveryReport.Funnel>emptyList());
        StringBuilder out = new StringBuilder();

        ReportCsv.write(report, out);

        List<CSVRecord> rows = new ArrayList<>();
        CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build().parse(new StringReader(out.toString()))
                .forEach(rows::add);
        assertThat(rows).filteredOn(row -> row.get("section").equals("campaign"))
                .isNotEmpty()
                .allSatisfy(row -> assertThat(row.get("campaign")).isEqualTo("'=HYPERLINK(\"http://x\")"));
        assertThat(rows).filteredOn(row -> row.get("metric").equals("open_rate") && row.get("section").equals("kpi"))
                .singleElement().satisfies(row -> assertThat(row.get("value")).isEqualTo("0.5000"));
        assertThat(rows).filteredOn(row -> row.get("metric").equals("recovery_rate") && row.get("section").equals("kpi"))
                .singleElement().satisfies(row -> assertThat(row.get("value")).isEmpty());
    }

    @Test
    void browseAndRepeatRevenueStayOutOfRecoveredRevenue() {
        long[] browse = new long[ReportRollup.COUNTERS.length];
        browse[ReportRollup.BROWSE_ORDERS] = 2;
        long[] repeat = new long[ReportRollup.COUNTERS.length];
        repeat[ReportRollup.REPEAT_ORDERS] = 1;
        ReportTotals totals = ReportTotals.NONE
                .plus(counts(0, 0, 0, 0, 0, 1), "USD", new BigDecimal("40"), BigDecimal.ZERO)
                .plus(browse, "USD", BigDecimal.ZERO, BigDecimal.ZERO, new BigDecimal("75.50"), BigDecimal.ZERO)
                .plus(repeat, "USD", BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, new BigDecimal("19"))
                .plus(repeat, "EUR", BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, new BigDecimal("5"));

        assertThat(totals.getRecoveredCarts()).isEqualTo(1);
        assertThat(totals.getRecoveredRevenue()).containsOnlyKeys("USD");
        assertThat(totals.getRecoveredRevenue().get("USD")).isEqualByComparingTo("40");
        assertThat(totals.getBrowseOrders()).isEqualTo(2);
        assertThat(totals.getBrowseRevenue().get("USD")).isEqualByComparingTo("75.50");
        assertThat(totals.getRepeatOrders()).isEqualTo(2);
        assertThat(totals.getRepeatRevenue()).containsOnlyKeys("EUR", "USD");
        assertThat(totals.getFollowUpOrders()).isEqualTo(4);
        assertThat(totals.getFollowUpRevenue().get("USD")).isEqualByComparingTo("94.50");
        assertThat(totals.getFollowUpRevenue().get("EUR")).isEqualByComparingTo("5");
    }
}
