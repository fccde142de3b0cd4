package io.github.cartrecovery.experiment.bandit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class BanditSummaryTest {

    private static final Segment RETURNING = new Segment(Segment.Shopper.RETURNING, Segment.CartValue.STANDARD, null);
    private static final Segment NEW = new Segment(Segment.Shopper.NEW, Segment.CartValue.STANDARD, null);
    private static final List<BanditArm> ARMS = Arrays.asList(new BanditArm("A", 60, null), new BanditArm("B", 240, 10),
            new BanditArm("C", 1440, null));

    /** An allocation with these probabilities of being best for A, B, C and these outcomes per arm. */
    private static BanditAllocation allocation(boolean frozen, double a, double b, double c, ArmOutcomes... outcomes) {
        Map<String, Double> best = new LinkedHashMap<>();
        best.put("A", a);
        best.put("B", b);
        best.put("C", c);
        Map<String, ArmOutcomes> byArm = new LinkedHashMap<>();
        for (ArmOutcomes outcome : outcomes) {
            byArm.put(outcome.getArmId(), outcome);
        }
        return new BanditAllocation(ARMS, best, best, byArm, Collections.emptyList(), frozen);
    }

    private static ArmOutcomes[] decided(long each, long pending) {
        return new ArmOutcomes[] {new ArmOutcomes("A", each / 10, each - each / 10, pending),
                new ArmOutcomes("B", each / 10, each - each / 10, 0), new ArmOutcomes("C", each / 10, each - each / 10, 0)};
    }

    @Test
    void prefersAnArmFromSixtyPercentAndSaysHowSure() {
        BanditSummary summary = BanditSummary.of(RETURNING, allocation(false, 0.08, 0.87, 0.05, decided(400, 0)));

        assertThat(summary.words()).isEqualTo(
                "For returning shoppers it prefers '10% off after 4 hours' (about 87% sure it is the best of 3, n=1,200).");
        assertThat(summary.getConfidence()).isEqualTo(BanditSummary.Confidence.PREFERS);
        assertThat(summary.getLeader().getId()).isEqualTo("B");
        assertThat(summary.getProbabilityBest()).isEqualTo(0.87);
        assertThat(summary.getDecided()).isEqualTo(1200);
    }

    @Test
    void isSureFromNinetyFivePercentButNeverSaysCertain() {
        assertThat(BanditSummary.of(RETURNING, allocation(false, 0.01, 0.96, 0.03, decided(400, 0))).words()).isEqualTo(
                "For returning shoppers it is sure '10% off after 4 hours' is the best of 3 (about 96%, n=1,200).");
        assertThat(BanditSummary.of(RETURNING, allocation(false, 0, 1.0, 0, decided(400, 0))).words())
                .contains("(more than 99%, n=1,200)");
    }

    @Test
    void isExploringWhileNoArmIsSixtyPercentLikelyToBeBest() {
        BanditSummary summary = BanditSummary.of(NEW, allocation(false, 0.35, 0.55, 0.10, decided(400, 0)));

        assertThat(summary.getConfidence()).isEqualTo(BanditSummary.Confidence.EXPLORING);
        assertThat(summary.words()).isEqualTo("For new shoppers it is still exploring: no arm is ahead yet (n=1,200).");
    }

    @Test
    void isExploringWithFewerThanAHundredDecidedCartsHoweverLopsided() {
        BanditSummary summary = BanditSummary.of(NEW, allocation(false, 0.01, 0.98, 0.01, decided(14, 17)));

        assertThat(summary.getConfidence()).isEqualTo(BanditSummary.Confidence.EXPLORING);
        assertThat(summary.words())
                .isEqualTo("For new shoppers it is still exploring: no arm is ahead yet (n=42, 17 still pending).");
    }

    @Test
    void saysWhenItIsFrozen() {
        assertThat(BanditSummary.of(NEW, allocation(true, 0.08, 0.87, 0.05, decided(400, 0))).words())
                .endsWith("n=1,200). Frozen: carts are split as they were when it was frozen.");
    }

    @Test
    void aSingleArmHasNothingToLearn() {
        List<BanditArm> arms = Arrays.asList(ARMS.get(0), ARMS.get(1));
        BanditAllocation onlyA = new ThompsonSampling(new org.apache.commons.math3.random.Well19937c(1))
                .allocate(arms, Collections.emptyList(), new BanditSettings(0.05, 5, null));

        assertThat(BanditSummary.of(NEW, onlyA).words())
                .isEqualTo("For new shoppers only 'no discount after 1 hour' is allowed, so there is nothing to learn (n=0).");
        assertThat(BanditSummary.of(NEW, onlyA).getArmCount()).isEqualTo(1);
    }

    @Test
    void describesHourBandSegments() {
        Segment evening = new Segment(Segment.Shopper.RETURNING, Segment.CartValue.HIGH_VALUE, HourBand.EVENING);

        assertThat(BanditSummary.of(evening, allocation(false, 0.08, 0.87, 0.05, decided(400, 0))).words())
                .startsWith("For returning shoppers with a high-value cart in the evening it prefers");
    }
}
