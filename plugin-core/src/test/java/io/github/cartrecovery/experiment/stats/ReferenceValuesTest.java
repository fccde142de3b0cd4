package io.github.cartrecovery.experiment.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The statistics against values computed independently with scipy by
 * {@code src/test/resources/experiment/stats/reference_values.py} (its CSV output is committed next to it; see
 * docs/experiments.md, "Statistics"), and against the published examples of Newcombe 1998, Table II.
 *
 * <p>Tolerance: every number within {@value #RELATIVE} of the reference, relative to max(1, |reference|) (p-values
 * relative to the p-value itself, so a tiny p-value must agree in its digits too); the published values, printed to
 * four decimals, within 0.00005.
 */
class ReferenceValuesTest {

    static final double RELATIVE = 1e-7;

    static Stream<CSVRecord> proportions() throws IOException {
        return read("proportions.csv");
    }

    static Stream<CSVRecord> newcombePublished() throws IOException {
        return read("newcombe_published.csv");
    }

    static Stream<CSVRecord> sampleSizes() throws IOException {
        return read("sample_size.csv");
    }

    static Stream<CSVRecord> revenue() throws IOException {
        return read("revenue.csv");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("proportions")
    void wilsonIntervalsMatchScipy(CSVRecord c) {
        double alpha = d(c, "alpha");
        Interval first = Proportions.wilson(l(c, "x1"), l(c, "n1"), alpha);
        Interval second = Proportions.wilson(l(c, "x2"), l(c, "n2"), alpha);

        near(first.getLower(), d(c, "wilson1_lower"));
        near(first.getUpper(), d(c, "wilson1_upper"));
        near(second.getLower(), d(c, "wilson2_lower"));
        near(second.getUpper(), d(c, "wilson2_upper"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("proportions")
    void newcombeDifferenceMatchesTheReference(CSVRecord c) {
        Interval difference = Proportions.newcombeDifference(l(c, "x1"), l(c, "n1"), l(c, "x2"), l(c, "n2"), d(c, "alpha"));

        near(difference.getLower(), d(c, "newcombe_lower"));
        near(difference.getUpper(), d(c, "newcombe_upper"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("proportions")
    void pooledZTestMatchesScipysChiSquare(CSVRecord c) {
        double p = Proportions.pooledZTestPValue(l(c, "x1"), l(c, "n1"), l(c, "x2"), l(c, "n2"));

        nearRelative(p, d(c, "pooled_z_p_value"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("proportions")
    void katzLiftMatchesScipysRelativeRisk(CSVRecord c) {
        Interval lift = Proportions.katzRelativeLift(l(c, "x1"), l(c, "n1"), l(c, "x2"), l(c, "n2"), d(c, "alpha"));

        if (c.get("lift").isEmpty()) {
            assertThat(lift).isNull();
        } else {
            near(lift.getEstimate(), d(c, "lift"));
            near(lift.getLower(), d(c, "lift_lower"));
            near(lift.getUpper(), d(c, "lift_upper"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("newcombePublished")
    void newcombeDifferenceMatchesThePublishedExamples(CSVRecord c) {
        Interval difference = Proportions.newcombeDifference(l(c, "x1"), l(c, "n1"), l(c, "x2"), l(c, "n2"), 0.05);

        assertThat(difference.getLower()).isCloseTo(d(c, "lower"), org.assertj.core.data.Offset.offset(0.00005));
        assertThat(difference.getUpper()).isCloseTo(d(c, "upper"), org.assertj.core.data.Offset.offset(0.00005));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sampleSizes")
    void plannedSampleSizeMatchesTheReference(CSVRecord c) {
        assertThat(SampleSize.perArm(d(c, "baseline"), d(c, "relative_mde"), d(c, "alpha"), d(c, "power")))
                .isEqualTo(l(c, "carts_per_arm"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("revenue")
    void revenuePerCartMatchesScipysTTests(CSVRecord c) {
        double alpha = d(c, "alpha");
        MeanPerCart a = MeanPerCart.of(l(c, "carts_a"), new BigDecimal(c.get("sum_a")), new BigDecimal(c.get("sum_of_squares_a")));
        MeanPerCart b = MeanPerCart.of(l(c, "carts_b"), new BigDecimal(c.get("sum_b")), new BigDecimal(c.get("sum_of_squares_b")));

        near(a.getMean(), d(c, "mean_a"));
        near(a.interval(alpha).getLower(), d(c, "mean_a_lower"));
        near(a.interval(alpha).getUpper(), d(c, "mean_a_upper"));
        Interval difference = a.differenceTo(b, alpha);
        near(difference.getEstimate(), d(c, "difference"));
        near(difference.getLower(), d(c, "difference_lower"));
        near(difference.getUpper(), d(c, "difference_upper"));
        nearRelative(a.pValueAgainst(b), d(c, "welch_p_value"));
    }

    private static void near(double actual, double expected) {
        assertThat(Math.abs(actual - expected)).as("%s vs reference %s", actual, expected)
                .isLessThanOrEqualTo(RELATIVE * Math.max(1, Math.abs(expected)));
    }

    private static void nearRelative(double actual, double expected) {
        assertThat(Math.abs(actual - expected)).as("%s vs reference %s", actual, expected)
                .isLessThanOrEqualTo(RELATIVE * Math.abs(expected));
    }

    private static double d(CSVRecord c, String column) {
        return Double.parseDouble(c.get(column));
    }

    private static long l(CSVRecord c, String column) {
        return Long.parseLong(c.get(column));
    }

    private static Stream<CSVRecord> read(String name) throws IOException {
        try (Reader in = new InputStreamReader(ReferenceValuesTest.class.getResourceAsStream("/experiment/stats/" + name),
                StandardCharsets.UTF_8)) {
            List<CSVRecord> records = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build()
                    .parse(in).getRecords();
            assertThat(records).as(name).isNotEmpty();
            return records.stream();
        }
    }
}
