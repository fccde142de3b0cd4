package io.github.cartrecovery.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ArmAssignmentTest {

    static final String SALT = "3f1c9a7e5b2d4c6a8e0f1a2b3c4d5e6f";
    static final int SHOPPERS = 20_000;

    static List<ExperimentArm> arms(int controlWeight, int variantWeight) {
        return Arrays.asList(
                new ExperimentArm(1L, "holdout", "Holdout", ArmKind.HOLDOUT, 0, List.of()),
                new ExperimentArm(2L, "A", "Control", ArmKind.CONTROL, controlWeight, List.of()),
                new ExperimentArm(3L, "B", "Shorter", ArmKind.VARIANT, variantWeight, List.of()));
    }

    static Map<String, Integer> split(String salt, String holdoutPercent, List<ExperimentArm> arms) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < SHOPPERS; i++) {
            String key = ArmAssignment.arm(salt, new BigDecimal(holdoutPercent), arms, "shopper" + i + "@example.com").getKey();
            counts.merge(key, 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void theSameShopperAlwaysGetsTheSameArm() {
        List<ExperimentArm> arms = arms(1, 1);
        for (int i = 0; i < 200; i++) {
            String email = "shopper" + i + "@example.com";
            ExperimentArm first = ArmAssignment.arm(SALT, new BigDecimal("10"), arms, email);
            assertThat(ArmAssignment.arm(SALT, new BigDecimal("10"), arms, email)).isSameAs(first);
            assertThat(ArmAssignment.arm(SALT, new BigDecimal("10"), arms, "  " + email.toUpperCase() + " "))
                    .as("trimmed and lower-cased first").isSameAs(first);
        }
    }

    @Test
    void theHoldoutTakesItsShareWithinTolerance() {
        Map<String, Integer> counts = split(SALT, "10", arms(1, 1));

        // 10% of 20,000 = 2,000; 4 standard deviations (sqrt(20000 * 0.1 * 0.9) = 42) is about 170
        assertThat(counts.get("holdout")).isCloseTo(2_000, within(170));
        assertThat(counts.get("A")).isCloseTo(9_000, within(280));
        assertThat(counts.get("B")).isCloseTo(9_000, within(280));
    }

    @Test
    void theTreatedArmsSplitByTheirWeights() {
        Map<String, Integer> counts = split(SALT, "20", arms(1, 3));

        // 80% treated, a quarter of them control: 4,000 and 12,000
        assertThat(counts.get("holdout")).isCloseTo(4_000, within(230));
        assertThat(counts.get("A")).isCloseTo(4_000, within(250));
        assertThat(counts.get("B")).isCloseTo(12_000, within(280));
    }

    @Test
    void noHoldoutMeansEveryShopperIsTreated() {
        Map<String, Integer> counts = split(SALT, "0", arms(1, 1));

        assertThat(counts).doesNotContainKey("holdout");
        assertThat(counts.get("A") + counts.get("B")).isEqualTo(SHOPPERS);
    }

    @Test
    void anotherSaltGivesAnIndependentSplit() {
        List<ExperimentArm> arms = arms(1, 1);
        int same = 0;
        for (int i = 0; i < SHOPPERS; i++) {
            String email = "shopper" + i + "@example.com";
            if (ArmAssignment.arm(SALT, BigDecimal.ZERO, arms, email) == ArmAssignment.arm("another salt", BigDecimal.ZERO, arms, email)) {
                same++;
            }
        }
        // independent halves agree half of the time
        assertThat(same).isCloseTo(SHOPPERS / 2, within(300));
    }

    @Test
    void thePointIsInTheUnitIntervalAndTheHashIsKeyedNotTheAddress() {
        for (int i = 0; i < 1_000; i++) {
            double u = ArmAssignment.point(SALT, "shopper" + i + "@example.com");
            assertThat(u).isGreaterThanOrEqualTo(0d).isLessThan(1d);
        }
        String hash = ArmAssignment.shopperHash(SALT, "Shopper@Example.com ");
        assertThat(hash).hasSize(64).matches("[0-9a-f]{64}")
                .isEqualTo(ArmAssignment.shopperHash(SALT, "shopper@example.com"))
                .isNotEqualTo(ArmAssignment.shopperHash("another salt", "shopper@example.com"))
                .doesNotContain("shopper");
    }

    @Test
    void theBoundariesFallWhereTheSharesSay() {
        List<ExperimentArm> arms = arms(1, 1);
        assertThat(ArmAssignment.arm(0.0999, new BigDecimal("10"), arms).getKey()).isEqualTo("holdout");
        assertThat(ArmAssignment.arm(0.1, new BigDecimal("10"), arms).getKey()).isEqualTo("A");
        assertThat(ArmAssignment.arm(0.5499, new BigDecimal("10"), arms).getKey()).isEqualTo("A");
        assertThat(ArmAssignment.arm(0.55, new BigDecimal("10"), arms).getKey()).isEqualTo("B");
        assertThat(ArmAssignment.arm(0.99999, new BigDecimal("10"), arms).getKey()).isEqualTo("B");
    }
}
