package io.github.cartrecovery.experiment.bandit;

import static io.github.cartrecovery.experiment.bandit.BanditSimulation.rates;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The bandit in a simulated shop with delayed rewards (BanditSimulation): 20,000 carts over about two months, a
 * seven-day attribution window, re-planned every 100 carts.
 */
class BanditLearnsTest {

    private static final Segment NEW = new Segment(Segment.Shopper.NEW, Segment.CartValue.STANDARD, null);
    private static final Segment RETURNING = new Segment(Segment.Shopper.RETURNING, Segment.CartValue.STANDARD, null);

    @Test
    void sendsMostCartsToTheClearlyBetterArmWithLessThanHalfTheRegretOfAnEvenSplit() {
        BanditSimulation.Result result = new BanditSimulation(BanditSimulation.threeArms())
                .segment(NEW, 1, rates("A", 0.05, "B", 0.08, "C", 0.05))
                .run(0.25);

        assertThat(result.bestArmShareInLastPart(NEW)).as("share of the best arm in the last quarter")
                .isGreaterThanOrEqualTo(0.8);
        assertThat(result.regret()).as("regret, against an even split's %.1f", result.uniformRegret())
                .isLessThan(0.5 * result.uniformRegret());
        assertThat(BanditSummary.of(NEW, result.finalAllocation(NEW)).getConfidence())
                .isEqualTo(BanditSummary.Confidence.SURE);
    }

    @Test
    void eachSegmentLearnsItsOwnBestArm() {
        BanditSimulation.Result result = new BanditSimulation(BanditSimulation.threeArms())
                .segment(NEW, 1, rates("A", 0.05, "B", 0.08, "C", 0.05))
                .segment(RETURNING, 1, rates("A", 0.04, "B", 0.04, "C", 0.09))
                .run(0.25);

        assertThat(result.finalAllocation(NEW).leader().getId()).isEqualTo("B");
        assertThat(result.finalAllocation(RETURNING).leader().getId()).isEqualTo("C");
        assertThat(result.bestArmShareInLastPart(NEW)).isGreaterThanOrEqualTo(0.8);
        assertThat(result.bestArmShareInLastPart(RETURNING)).isGreaterThanOrEqualTo(0.8);
    }

    @Test
    void aFrozenBanditKeepsItsSplitWhateverTheShopDoes() {
        BanditAllocation even = new ThompsonSampling(new org.apache.commons.math3.random.Well19937c(1))
                .allocate(BanditSimulation.threeArms(), java.util.Collections.emptyList(), BanditSettings.learning());
        BanditSimulation.Result result = new BanditSimulation(BanditSimulation.threeArms())
                .segment(NEW, 1, rates("A", 0.05, "B", 0.08, "C", 0.05))
                .settings(BanditSettings.learning().frozenAt(even))
                .carts(6000)
                .run(0.5);

        assertThat(result.bestArmShareInLastPart(NEW)).isBetween(0.30, 0.37);
        assertThat(result.finalAllocation(NEW).getShares()).isEqualTo(BanditSettings.learning().frozenAt(even)
                .getFrozenAllocation());
    }
}
