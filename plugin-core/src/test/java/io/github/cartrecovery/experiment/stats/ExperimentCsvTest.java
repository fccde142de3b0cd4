package io.github.cartrecovery.experiment.stats;

import static io.github.cartrecovery.experiment.stats.Arms.control;
import static io.github.cartrecovery.experiment.stats.Arms.holdout;
import static io.github.cartrecovery.experiment.stats.Arms.variant;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

class ExperimentCsvTest {

    static List<CSVRecord> csv(ExperimentReport report) throws IOException {
        StringBuilder out = new StringBuilder();
        ExperimentCsv.write(report, out);
        return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(new StringReader(out.toString())).getRecords();
    }

    static ExperimentReport report() {
        return ExperimentAnalysisTest.analyse(ExperimentAnalysisTest.DESIGN,
                holdout(1).carts(2000, 100).orders("USD", 100, "40"),
                control(2).carts(2000, 200).orders("USD", 190, "50").orders("EUR", 10, "45.50"),
                variant(3, "B").named("=HYPERLINK(\"http://evil\")").carts(2000, 300).orders("USD", 300, "50"));
    }

    @Test
    void writesOneRowPerArmUnderAHeader() throws IOException {
        List<CSVRecord> rows = csv(report());

        assertThat(rows).hasSize(3);
        assertThat(rows.get(0).getParser().getHeaderNames()).startsWith("arm_id", "arm_key", "arm", "kind",
                "eligible_carts", "messages", "opens", "clicks", "converted_carts", "recovered_carts")
                .contains("vs_control_difference", "vs_holdout_adjusted_p_value", "revenue_USD",
                        "revenue_per_cart_lower_EUR", "revenue_per_cart_vs_holdout_p_value_EUR")
                .endsWith("verdict");
        CSVRecord variant = rows.get(2);
        assertThat(variant.get("arm_id")).isEqualTo("3");
        assertThat(variant.get("kind")).isEqualTo("VARIANT");
        assertThat(variant.get("eligible_carts")).isEqualTo("2000");
        assertThat(variant.get("converted_carts")).isEqualTo("300");
        assertThat(variant.get("recovered_carts")).isEqualTo("150");
        assertThat(Double.parseDouble(variant.get("conversion_rate"))).isEqualTo(0.15);
        assertThat(Double.parseDouble(variant.get("vs_control_difference"))).isCloseTo(0.05, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(variant.get("vs_control_significant")).isEqualTo("true");
        assertThat(variant.get("revenue_USD")).isEqualTo("15000");
        assertThat(Double.parseDouble(variant.get("revenue_per_cart_USD"))).isEqualTo(7.5);
        assertThat(variant.get("orders_EUR")).isEqualTo("0");
        assertThat(variant.get("verdict")).startsWith("Suggested winner.");
        assertThat(rows.get(1).get("revenue_EUR")).isEqualTo("455");
    }

    @Test
    void leavesUndefinedValuesEmpty() throws IOException {
        CSVRecord holdout = csv(report()).get(0);

        assertThat(holdout.get("vs_control_difference")).isEmpty();
        assertThat(holdout.get("vs_holdout_p_value")).isEmpty();
        assertThat(holdout.get("revenue_per_cart_vs_control_EUR")).isEmpty();
    }

    @Test
    void protectsTextCellsFromSpreadsheetFormulas() throws IOException {
        CSVRecord variant = csv(report()).get(2);

        assertThat(variant.get("arm")).isEqualTo("'=HYPERLINK(\"http://evil\")");
    }

    @Test
    void protectsCurrencyCodesInTheHeader() throws IOException {
        ExperimentReport report = ExperimentAnalysisTest.analyse(ExperimentAnalysisTest.DESIGN,
                control(1).carts(10, 1).orders("=X", 1, "5"));

        assertThat(ExperimentCsv.header(report)).contains("revenue_=X").doesNotContain("=X");
        assertThat(csv(report).get(0).get("revenue_=X")).isEqualTo("5");
    }
}
