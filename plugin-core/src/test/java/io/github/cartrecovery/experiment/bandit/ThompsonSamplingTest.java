package io.github.cartrecovery.experiment.bandit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.api.Test;

class ThompsonSamplingTest {

    private static final BanditArm ONE_HOUR = new BanditArm("A", 60, null);
    private static final BanditArm TEN_OFF = new BanditArm("B", 240, 10);
    private static final BanditArm TWENTY_OFF = new BanditArm("C", 240, 20);
    private static final List<BanditArm> ARMS = Arrays.asList(ONE_HOUR, TEN_OFF, TWENTY_OFF);

    private static ThompsonSampling policy(long seed) {
        return new ThompsonSampling(new Well19937c(seed));
    }

    /** C far ahead: A and B would get almost nothing without a floor. */
    private static List<ArmOutcomes> cFarAhead() {
        return Arrays.asList(new ArmOutcomes("A", 10, 990, 0), new ArmOutcomes("B", 12, 988, 0),
                new ArmOutcomes("C", 300, 700, 0));
    }

    private static Map<String, Long> chooseMany(ThompsonSampling policy, BanditAllocation allocation, int times) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (int i = 0; i < times; i++) {
            counts.merge(policy.choose(allocation).getId(), 1L, Long::sum);
        }
        return counts;
    }

    @Test
    void withoutDataEveryArmIsEquallyLikely() {
        BanditAllocation allocation = policy(1).allocate(ARMS, new ArrayList<>(), BanditSettings.learning());

        assertThat(allocation.getProbabilityBest().values()).allSatisfy(p -> assertThat(p).isCloseTo(1 / 3.0, within(0.02)));
        assertThat(allocation.getShares().values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1, within(1e-9));
    }

    @Test
    void everyAllowedArmGetsAtLeastTheFloorOverManyDraws() {
        ThompsonSampling policy = policy(2);
        BanditAllocation allocation = policy.allocate(ARMS, cFarAhead(), new BanditSettings(0.05, null, null));

        assertThat(allocation.getShares().values()).allSatisfy(share -> assertThat(share).isGreaterThanOrEqualTo(0.05));
        Map<String, Long> counts = chooseMany(policy, allocation, 40000);
        assertThat(counts.get("A") / 40000.0).isGreaterThan(0.045);
        assertThat(counts.get("B") / 40000.0).isGreaterThan(0.045);
        assertThat(counts.get("C") / 40000.0).isCloseTo(0.90, within(0.01));
    }

    @Test
    void withoutAFloorTheLosingArmsGetAlmostNothing() {
        BanditAllocation allocation = policy(2).allocate(ARMS, cFarAhead(), new BanditSettings(0, null, null));

        assertThat(allocation.shareOf("A")).isLessThan(0.01);
        assertThat(allocation.shareOf("B")).isLessThan(0.01);
    }

    @Test
    void aFloorTooLargeForTheArmsSplitsEvenly() {
        BanditAllocation allocation = policy(3).allocate(ARMS, cFarAhead(), new BanditSettings(0.4, null, null));

        assertThat(allocation.getShares().values()).allSatisfy(share -> assertThat(share).isCloseTo(1 / 3.0, within(1e-12)));
    }

    @Test
    void anArmAboveTheMaximumDiscountIsNeverChosenWhateverTheData() {
        ThompsonSampling policy = policy(4);
        BanditAllocation allocation = policy.allocate(ARMS, cFarAhead(), new BanditSettings(0.05, 15, null));

        assertThat(allocation.getArms()).extracting(BanditArm::getId).containsExactly("A", "B");
        assertThat(allocation.shareOf("C")).isZero();
        assertThat(allocation.getAboveMaximumDiscount()).extracting(BanditArm::getId).containsExactly("C");
        assertThat(chooseMany(policy, allocation, 20000)).containsOnlyKeys("A", "B");
    }

    @Test
    void aMaximumOfZeroLeavesOnlyTheArmsWithoutDiscount() {
        BanditAllocation allocation = policy(5).allocate(ARMS, cFarAhead(), new BanditSettings(0.05, 0, null));

        assertThat(allocation.getShares()).containsExactly(Map.entry("A", 1.0));
    }

    @Test
    void noArmWithinTheMaximumDiscountIsAnErrorNamingIt() {
        assertThatThrownBy(() -> policy(6).allocate(Arrays.asList(TEN_OFF, TWENTY_OFF), cFarAhead(),
                new BanditSettings(0.05, 5, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no arm within the maximum discount of 5%");
    }

    @Test
    void aFrozenAllocationNeverChangesWithNewData() {
        BanditSettings learning = new BanditSettings(0.05, null, null);
        BanditAllocation before = policy(7).allocate(ARMS, cFarAhead(), learning);
        BanditSettings frozen = learning.frozenAt(before);
        List<ArmOutcomes> aWinsNow = Arrays.asList(new ArmOutcomes("A", 900, 100, 0), new ArmOutcomes("B", 12, 988, 0),
                new ArmOutcomes("C", 300, 9700, 0));

        BanditAllocation after = policy(8).allocate(ARMS, aWinsNow, frozen);

        assertThat(after.isFrozen()).isTrue();
        assertThat(after.getShares()).isEqualTo(before.getShares());
        assertThat(after.leader().getId()).isEqualTo("A"); // it still reports what the data says
        assertThat(policy(8).allocate(ARMS, aWinsNow, frozen.unfrozen()).shareOf("A")).isGreaterThan(0.85);
    }

    @Test
    void aFrozenAllocationStillKeepsTheMaximumDiscountAndGivesANewArmTheFloor() {
        BanditSettings learning = new BanditSettings(0.05, null, null);
        BanditAllocation before = policy(9).allocate(Arrays.asList(ONE_HOUR, TWENTY_OFF), cFarAhead(), learning);
        BanditSettings frozen = learning.frozenAt(before).withMaxDiscountPercent(15);

        BanditAllocation after = policy(10).allocate(ARMS, cFarAhead(), frozen);

        assertThat(after.shareOf("C")).isZero();
        assertThat(after.shareOf("B")).isCloseTo(0.05, within(1e-12));
        assertThat(after.shareOf("A")).isCloseTo(0.95, within(1e-12));
    }

    @Test
    void pendingCartsAreNotCountedAsFailures() {
        List<ArmOutcomes> decided = Arrays.asList(new ArmOutcomes("A", 6, 94, 0), new ArmOutcomes("B", 8, 92, 0));
        List<ArmOutcomes> withPending = Arrays.asList(new ArmOutcomes("A", 6, 94, 0), new ArmOutcomes("B", 8, 92, 900));
        List<ArmOutcomes> pendingAsFailures = Arrays.asList(new ArmOutcomes("A", 6, 94, 0), new ArmOutcomes("B", 8, 992, 0));
        List<BanditArm> arms = Arrays.asList(ONE_HOUR, TEN_OFF);

        BanditAllocation ignoringPending = policy(11).allocate(arms, withPending, BanditSettings.learning());

        assertThat(ignoringPending.getShares()).isEqualTo(policy(11).allocate(arms, decided, BanditSettings.learning()).getShares());
        assertThat(ignoringPending.shareOf("B")).isGreaterThan(0.5);
        assertThat(policy(11).allocate(arms, pendingAsFailures, BanditSettings.learning()).shareOf("B")).isLessThan(0.1);
    }

    @Test
    void outcomesOfArmsNoLongerAllowedAreIgnored() {
        List<ArmOutcomes> outcomes = new ArrayList<>(cFarAhead());

        BanditAllocation allocation = policy(12).allocate(Arrays.asList(ONE_HOUR, TEN_OFF), outcomes, BanditSettings.learning());

        assertThat(allocation.getShares()).containsOnlyKeys("A", "B");
    }

    @Test
    void theSameSeedGivesTheSameChoices() {
        ThompsonSampling first = policy(13);
        ThompsonSampling second = policy(13);

        assertThat(chooseMany(first, first.allocate(ARMS, cFarAhead(), BanditSettings.learning()), 500))
                .isEqualTo(chooseMany(second, second.allocate(ARMS, cFarAhead(), BanditSettings.learning()), 500));
    }

    @Test
    void badInputIsAnErrorNamingTheFieldAndTheRule() {
        assertThatThrownBy(() -> policy(14).allocate(Arrays.asList(ONE_HOUR, new BanditArm("A", 30, null)),
                new ArrayList<>(), BanditSettings.learning())).hasMessage("allowedArms: arm id A is given twice");
        assertThatThrownBy(() -> new BanditSettings(1.0, null, null))
                .hasMessageContaining("explorationFloor must be at least 0 and below 1");
        assertThatThrownBy(() -> new BanditSettings(0.05, 101, null))
                .hasMessageContaining("maxDiscountPercent must be between 0 and 100");
        assertThatThrownBy(() -> new BanditSettings(0.05, null, Map.of("A", 0.0)))
                .hasMessageContaining("frozenAllocation must give some share to at least one arm");
        assertThatThrownBy(() -> new ArmOutcomes("A", 1, -1, 0)).hasMessageContaining("notRecovered must be 0 or more");
        assertThatThrownBy(() -> new BanditArm("A", 60, 0)).hasMessageContaining("discountPercent must be between 1 and 100");
        assertThatThrownBy(() -> new BanditArm("A", -1, null)).hasMessageContaining("delayMinutes must be 0 or more");
        assertThatThrownBy(() -> new ThompsonSampling(new Well19937c(1), 0)).hasMessageContaining("draws must be at least 1");
    }

    @Test
    void armsAreLabelledInWords() {
        assertThat(new BanditArm("x", 240, 10).label()).isEqualTo("10% off after 4 hours");
        assertThat(new BanditArm("x", 30, null).label()).isEqualTo("no discount after 30 minutes");
        assertThat(new BanditArm("x", 24 * 60, 5).label()).isEqualTo("5% off after 1 day");
        assertThat(new BanditArm("x", 90, null).label()).isEqualTo("no discount after 90 minutes");
        assertThat(new BanditArm("x", 0, null).label()).isEqualTo("no discount right away");
    }

    @Test
    void aNamedArmIsLabelledByItsNameFirst() {
        assertThat(new BanditArm("x", 60, null, " Shorter subject ").label()).isEqualTo("Shorter subject: no discount after 1 hour");
        assertThat(new BanditArm("x", 60, null, " ").label()).isEqualTo("no discount after 1 hour");
    }
}
