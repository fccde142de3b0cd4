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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The report's CSV never hands a spreadsheet a formula, whatever a campaign name or currency holds. */
class ReportCsvTest {

    @ParameterizedTest
    @ValueSource(strings = {"=", "+", "-", "@", "\t", "\r"})
    void textStartingWithAFormulaCharacterIsPrefixedWithAQuote(String start) throws Exception {
        String hostile = start + "HYPERLINK(\"http://evil.example\",\"x\"),1\r\n2";
        List<CSVRecord> rows = rows(report(hostile, start + "cmd", new BigDecimal("12.5")));

        assertThat(rows).filteredOn(row -> row.get("section").equals("campaign")).isNotEmpty()
                .allSatisfy(row -> assertThat(row.get("campaign")).isEqualTo("'" + hostile));
        assertThat(rows).filteredOn(row -> row.get("metric").equals("recovered_revenue")).isNotEmpty()
                .allSatisfy(row -> assertThat(row.get("currency")).isEqualTo("'" + start + "cmd"));
    }

    @Test
    void ordinaryTextAndNegativeNumbersAreWrittenAsTheyAre() throws Exception {
        List<CSVRecord> rows = rows(report("Spring sale, \"20%\"", "USD", new BigDecimal("-5.50")));

        assertThat(rows).filteredOn(row -> row.get("section").equals("campaign"))
                .allSatisfy(row -> assertThat(row.get("campaign")).isEqualTo("Spring sale, \"20%\""));
        assertThat(rows).filteredOn(row -> row.get("metric").equals("recovered_revenue") && row.get("section").equals("kpi"))
                .singleElement().satisfies(row -> {
                    assertThat(row.get("currency")).isEqualTo("USD");
                    assertThat(row.get("value")).isEqualTo("-5.5");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"})
    void theGuardQuotesEveryFormulaStart(String text) {
        assertThat(SpreadsheetText.of(text)).isEqualTo("'" + text);
    }

    @Test
    void theGuardLeavesOtherTextAlone() {
        assertThat(SpreadsheetText.of("Summer =sale")).isEqualTo("Summer =sale");
        assertThat(SpreadsheetText.of("")).isEmpty();
        assertThat(SpreadsheetText.of(null)).isNull();
    }

    private static RecoveryReport report(String campaign, String currency, BigDecimal recovered) {
        long[] counts = new long[ReportRollup.COUNTERS.length];
        counts[ReportRollup.SENT] = 2;
        ReportTotals totals = ReportTotals.NONE.plus(counts, currency, recovered, BigDecimal.ZERO);
        return new RecoveryReport(LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 1), null, totals,
                Collections.singletonList(new RecoveryReport.Day(LocalDate.of(2026, 3, 1), totals)),
                Collections.singletonList(new RecoveryReport.Funnel(5, campaign, null, totals)),
                Collections.<RecoveryReport.Funnel>emptyList());
    }

    private static List<CSVRecord> rows(RecoveryReport report) throws Exception {
        StringBuilder out = new StringBuilder();
        ReportCsv.write(report, out);
        List<CSVRecord> rows = new ArrayList<>();
        CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build().parse(new StringReader(out.toString()))
                .forEach(rows::add);
        return rows;
    }
}
