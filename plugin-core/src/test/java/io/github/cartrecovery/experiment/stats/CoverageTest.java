package io.github.cartrecovery.experiment.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;

import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The intervals the report shows cover the true value about 95 % of the time: 2,000 simulated experiments per
 * setting, seeded (the same draws on every run), counting how often the interval contains the truth. 0.93-0.97 is
 * about four standard errors of a 2,000-run estimate around 0.95, and what the issue asks of the displayed intervals.
 */
class CoverageTest {

    static final int EXPERIMENTS = 2_000;

    @ParameterizedTest(name = "{0} of {1} vs {2} of {3}")
    @CsvSource({
        "0.08, 1580, 0.06, 1580",   // a typical recovery experiment at its planned size
        "0.10, 400, 0.10, 400",     // no true difference
        "0.03, 300, 0.015, 250",    // few conversions, unequal arms
    })
    void newcombeDifferenceCoversTheTrueDifference(double p1, int n1, double p2, int n2) {
        RandomGenerator random = new Well19937c(20261207L);
        BinomialDistribution first = new BinomialDistribution(random, n1, p1);
        BinomialDistribution second = new BinomialDistribution(random, n2, p2);
        int covered = 0;
        for (int i = 0; i < EXPERIMENTS; i++) {
            if (Proportions.newcombeDifference(first.sample(), n1, second.sample(), n2, 0.05).covers(p1 - p2)) {
                covered++;
            }
        }

        assertThat((double) covered / EXPERIMENTS).isBetween(0.93, 0.97);
    }

    @ParameterizedTest(name = "rate {0} of {1}")
    @CsvSource({"0.08, 1580", "0.02, 200"})
    void wilsonIntervalCoversTheTrueRate(double p, int n) {
        BinomialDistribution arm = new BinomialDistribution(new Well19937c(7L), n, p);
        int covered = 0;
        for (int i = 0; i < EXPERIMENTS; i++) {
            if (Proportions.wilson(arm.sample(), n, 0.05).covers(p)) {
                covered++;
            }
        }

        assertThat((double) covered / EXPERIMENTS).isBetween(0.93, 0.97);
    }

    @ParameterizedTest(name = "revenue per cart, conversion {0} and {1} of {2} carts")
    @CsvSource({"0.08, 0.06, 1580", "0.10, 0.10, 800"})
    void welchIntervalCoversTheTrueDifferenceInRevenuePerCart(double p1, double p2, int n) {
        RandomGenerator random = new Well19937c(42L);
        double meanOrder1 = 60;
        double meanOrder2 = 55;
        double truth = p1 * meanOrder1 - p2 * meanOrder2;
        int covered = 0;
        for (int i = 0; i < EXPERIMENTS; i++) {
            MeanPerCart a = simulate(random, n, p1, meanOrder1);
            MeanPerCart b = simulate(random, n, p2, meanOrder2);
            if (a.differenceTo(b, 0.05).covers(truth)) {
                covered++;
            }
        }

        assertThat((double) covered / EXPERIMENTS).isBetween(0.93, 0.97);
    }

    /** n carts, each converting with probability p to an order total drawn from an exponential with the given mean. */
    private static MeanPerCart simulate(RandomGenerator random, int n, double p, double meanOrder) {
        BigDecimal sum = BigDecimal.ZERO;
        BigDecimal squares = BigDecimal.ZERO;
        for (int i = 0; i < n; i++) {
            if (random.nextDouble() < p) {
                BigDecimal order = BigDecimal.valueOf(-meanOrder * Math.log(1 - random.nextDouble()))
                        .setScale(2, java.math.RoundingMode.HALF_UP);
                sum = sum.add(order);
                squares = squares.add(order.multiply(order));
            }
        }
        return MeanPerCart.of(n, sum, squares);
    }
}
