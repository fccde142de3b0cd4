package io.github.cartrecovery.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.math3.random.MersenneTwister;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.cartrecovery.campaign.Campaign;
import io.github.cartrecovery.campaign.CampaignStatus;
import io.github.cartrecovery.campaign.CampaignStep;
import io.github.cartrecovery.experiment.bandit.ArmOutcomes;
import io.github.cartrecovery.experiment.bandit.BanditAllocation;
import io.github.cartrecovery.experiment.bandit.BanditSummary;
import io.github.cartrecovery.experiment.bandit.HourBand;
import io.github.cartrecovery.experiment.bandit.Segment;
import io.github.cartrecovery.testing.TestClock;

/** The bandit of BANDIT experiments with its records and coupons mocked: what it chooses, its bounds, its freeze. */
class ExperimentBanditTest {

    static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
    static final Segment RETURNING_MORNING = new Segment(Segment.Shopper.RETURNING, Segment.CartValue.STANDARD,
            HourBand.MORNING);

    BanditRecords records = mock(BanditRecords.class);
    ArmDiscounts discounts = mock(ArmDiscounts.class);
    TestClock clock = new TestClock(NOW);
    Campaign campaign = new Campaign(7L, "Carts", CampaignStatus.ENABLED, 1, NOW)
            .addStep(new CampaignStep(1L, 1, 60, "gentle-reminder", Collections.singletonMap("*", "Still there?")));
    ExperimentArm control = new ExperimentArm(11L, "A", "Control", ArmKind.CONTROL, 1, Collections.<StepVariant>emptyList());
    ExperimentArm tenOff = new ExperimentArm(12L, "B", "10% off", ArmKind.VARIANT, 1,
            Collections.singletonList(StepVariant.of(1).withCoupon("ANY_CART", null, "Ten off")));
    ExperimentArm holdout = new ExperimentArm(10L, "holdout", "Holdout", ArmKind.HOLDOUT, 0,
            Collections.<StepVariant>emptyList());

    @BeforeEach
    void arms() {
        when(discounts.percentOff(any(Campaign.class), eq(control))).thenReturn(null);
        when(discounts.percentOff(any(Campaign.class), eq(tenOff))).thenReturn(10);
        when(records.outcomes(anyLong(), any(Instant.class))).thenReturn(Collections.<String, List<ArmOutcomes>>emptyMap());
    }

    ExperimentBandit bandit(int refreshMinutes) {
        return new ExperimentBandit(records, discounts, new MersenneTwister(42), null, clock, refreshMinutes);
    }

    Experiment running(BigDecimal floor, Integer maxDiscount) {
        return new Experiment(5L, 7L, "Discounts", ExperimentStatus.RUNNING, BigDecimal.TEN, "salt", null, null, null,
                null, NOW, null, null, Arrays.asList(holdout, control, tenOff), Allocation.BANDIT, floor, maxDiscount, null);
    }

    void outcomes(String segment, ArmOutcomes... arms) {
        when(records.outcomes(anyLong(), any(Instant.class)))
                .thenReturn(Collections.singletonMap(segment, Arrays.asList(arms)));
    }

    @Test
    void theBetterArmGetsMostCartsAndTheOtherKeepsTheFloor() {
        outcomes("returning.standard", new ArmOutcomes("11", 10, 290, 0), new ArmOutcomes("12", 90, 210, 5));
        ExperimentBandit bandit = bandit(10);
        Experiment experiment = running(new BigDecimal("0.1"), null);
        Segment segment = bandit.segmentFor(experiment, campaign, RETURNING_MORNING);

        BanditAllocation allocation = bandit.allocation(experiment, campaign, segment, NOW);

        assertThat(segment.key()).as("both arms send after an hour: learned around the clock").isEqualTo("returning.standard");
        assertThat(allocation.shareOf("12")).isCloseTo(0.9, within(0.001));
        assertThat(allocation.shareOf("11")).isCloseTo(0.1, within(0.001));
        int tenOffChosen = 0;
        for (int i = 0; i < 2000; i++) {
            ExperimentArm arm = bandit.choose(experiment, campaign, segment, NOW);
            assertThat(arm.getKind()).as("the holdout is never the bandit's").isNotEqualTo(ArmKind.HOLDOUT);
            tenOffChosen += arm == tenOff ? 1 : 0;
        }
        assertThat(tenOffChosen / 2000.0).isCloseTo(0.9, within(0.03));
    }

    @Test
    void anArmAboveTheMaximumDiscountIsNeverChosenWhateverItsData() {
        outcomes("new.standard", new ArmOutcomes("11", 1, 299, 0), new ArmOutcomes("12", 200, 100, 0));
        ExperimentBandit bandit = bandit(10);
        Experiment experiment = running(new BigDecimal("0.05"), 5);
        Segment segment = new Segment(Segment.Shopper.NEW, Segment.CartValue.STANDARD, null);

        for (int i = 0; i < 500; i++) {
            assertThat(bandit.choose(experiment, campaign, segment, NOW)).isSameAs(control);
        }
        assertThat(bandit.allocation(experiment, campaign, segment, NOW).getAboveMaximumDiscount())
                .extracting(arm -> arm.getId()).containsExactly("12");
    }

    @Test
    void armsThatDifferInDelayAreLearnedPerHourBand() {
        ExperimentArm later = new ExperimentArm(12L, "B", "Four hours", ArmKind.VARIANT, 1,
                Collections.singletonList(StepVariant.of(1).withDelayMinutes(240)));
        when(discounts.percentOff(any(Campaign.class), eq(later))).thenReturn(null);
        Experiment experiment = new Experiment(5L, 7L, "Timing", ExperimentStatus.RUNNING, BigDecimal.ZERO, "salt",
                null, null, null, null, NOW, null, null, Arrays.asList(control, later), Allocation.BANDIT, null, null, null);

        assertThat(bandit(10).segmentFor(experiment, campaign, RETURNING_MORNING).key())
                .isEqualTo("returning.standard.morning");
    }

    @Test
    void aFrozenBanditKeepsItsSharesWhateverTheOutcomesSay() {
        outcomes("returning.standard", new ArmOutcomes("11", 10, 290, 0), new ArmOutcomes("12", 90, 210, 0));
        when(records.frozenAt(5L)).thenReturn(NOW.minus(Duration.ofDays(1)));
        Map<String, Double> frozen = new LinkedHashMap<>();
        frozen.put("11", 0.6);
        frozen.put("12", 0.4);
        when(records.frozenShares(5L)).thenReturn(Collections.singletonMap("returning.standard", frozen));
        Segment segment = RETURNING_MORNING.withoutHourBand();

        BanditAllocation allocation = bandit(10).allocation(running(new BigDecimal("0.05"), null), campaign, segment, NOW);

        assertThat(allocation.isFrozen()).isTrue();
        assertThat(allocation.shareOf("11")).isCloseTo(0.6, within(1e-9));
        assertThat(allocation.getProbabilityBest().get("12")).as("it still says what the data says").isGreaterThan(0.99);
        assertThat(BanditSummary.of(segment, allocation).words()).contains("Frozen");
    }

    @Test
    void aSegmentFirstSeenAfterTheFreezeIsSplitEvenly() {
        when(records.frozenAt(5L)).thenReturn(NOW.minus(Duration.ofDays(1)));
        when(records.frozenShares(5L)).thenReturn(Collections.<String, Map<String, Double>>emptyMap());

        BanditAllocation allocation = bandit(10).allocation(running(new BigDecimal("0.05"), null), campaign,
                new Segment(Segment.Shopper.NEW, Segment.CartValue.HIGH_VALUE, null), NOW);

        assertThat(allocation.getShares()).containsEntry("11", 0.5).containsEntry("12", 0.5);
    }

    @Test
    void theCountsAreReadOncePerRefreshAndAgainAfterIt() {
        ExperimentBandit bandit = bandit(10);
        Experiment experiment = running(new BigDecimal("0.05"), null);
        Segment segment = RETURNING_MORNING.withoutHourBand();

        bandit.choose(experiment, campaign, segment, NOW);
        bandit.choose(experiment, campaign, segment, NOW.plus(Duration.ofMinutes(9)));
        verify(records, times(1)).outcomes(anyLong(), any(Instant.class));

        bandit.choose(experiment, campaign, segment, NOW.plus(Duration.ofMinutes(10)));
        verify(records, times(2)).outcomes(anyLong(), any(Instant.class));
    }

    @Test
    void onlyARunningLearningBanditCanBeFrozen() {
        Experiment fixed = new Experiment(5L, 7L, "Fixed", ExperimentStatus.RUNNING, BigDecimal.ZERO, "salt", null, null,
                null, null, NOW, null, null, Arrays.asList(control, tenOff));
        when(records.frozenAt(6L)).thenReturn(NOW);
        Experiment frozen = new Experiment(6L, 7L, "Frozen", ExperimentStatus.RUNNING, BigDecimal.ZERO, "salt", null,
                null, null, null, NOW, null, null, Arrays.asList(control, tenOff), Allocation.BANDIT, null, null, NOW);

        assertThatThrownBy(() -> bandit(10).freeze(fixed, campaign)).isInstanceOf(InvalidExperimentException.class)
                .hasMessageContaining("only a running BANDIT that learns can be frozen");
        assertThatThrownBy(() -> bandit(10).freeze(frozen, campaign)).isInstanceOf(InvalidExperimentException.class);
    }

    @Test
    void summariesSayWhatItPrefersPerSegmentWithCarts() {
        Map<String, List<ArmOutcomes>> bySegment = new HashMap<>();
        bySegment.put("returning.standard", Arrays.asList(new ArmOutcomes("11", 10, 290, 0), new ArmOutcomes("12", 90, 210, 4)));
        bySegment.put("new.standard", Arrays.asList(new ArmOutcomes("11", 1, 5, 0)));
        when(records.outcomes(anyLong(), any(Instant.class))).thenReturn(bySegment);

        List<BanditSummary> summaries = bandit(10).summaries(running(new BigDecimal("0.05"), null), campaign);

        assertThat(summaries).extracting(s -> s.getSegment().key()).containsExactly("new.standard", "returning.standard");
        assertThat(summaries.get(0).words()).startsWith("For new shoppers it is still exploring");
        assertThat(summaries.get(1).words()).startsWith("For returning shoppers it is sure '10% off: 10% off after 1 hour' is the best of 2");
    }
}
