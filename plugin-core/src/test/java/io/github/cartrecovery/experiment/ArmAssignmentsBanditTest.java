package io.github.cartrecovery.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.cartrecovery.campaign.Campaign;
import io.github.cartrecovery.campaign.CampaignStatus;
import io.github.cartrecovery.campaign.CampaignStep;
import io.github.cartrecovery.campaign.CartArm;
import io.github.cartrecovery.experiment.bandit.HourBand;
import io.github.cartrecovery.experiment.bandit.Segment;

/**
 * The planner's bandit path: for a BANDIT experiment the keyed hash still decides the holdout, the bandit picks the
 * other carts' arm, and the choice is recorded with its segment before the planner plans any message.
 */
class ArmAssignmentsBanditTest {

    static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
    static final Segment SEGMENT = new Segment(Segment.Shopper.NEW, Segment.CartValue.STANDARD, HourBand.MORNING);

    JdbcTemplate jdbc = mock(JdbcTemplate.class);
    Experiments experiments = mock(Experiments.class);
    ExperimentBandit bandit = mock(ExperimentBandit.class);
    Campaign campaign = new Campaign(7L, "Carts", CampaignStatus.ENABLED, 1, NOW)
            .addStep(new CampaignStep(1L, 1, 60, "gentle-reminder", Collections.singletonMap("*", "Still there?")));
    ExperimentArm holdout = new ExperimentArm(10L, "holdout", "Holdout", ArmKind.HOLDOUT, 0, Collections.<StepVariant>emptyList());
    ExperimentArm control = new ExperimentArm(11L, "A", "Control", ArmKind.CONTROL, 1, Collections.<StepVariant>emptyList());
    ExperimentArm later = new ExperimentArm(12L, "B", "Four hours", ArmKind.VARIANT, 1,
            Collections.singletonList(StepVariant.of(1).withDelayMinutes(240)));
    Experiment experiment = new Experiment(5L, 7L, "Timing", ExperimentStatus.RUNNING, new BigDecimal("20"), "salt",
            null, null, null, null, NOW, null, null, Arrays.asList(holdout, control, later), Allocation.BANDIT, null, null, null);

    @BeforeEach
    void aRunningBandit() {
        when(jdbc.queryForList(eq("SELECT ID FROM CR_EXPERIMENT WHERE RUNNING_CAMPAIGN_ID = ?"), eq(Long.class), any()))
                .thenReturn(Collections.singletonList(5L));
        when(jdbc.queryForList(anyString(), eq(Long.class), eq(5L), any())).thenReturn(Collections.<Long>emptyList());
        when(experiments.get(5L)).thenReturn(experiment);
        when(bandit.segmentFor(experiment, campaign, SEGMENT)).thenReturn(SEGMENT);
        when(bandit.choose(experiment, campaign, SEGMENT, NOW)).thenReturn(later);
    }

    @Test
    void aTreatedCartGetsTheBanditsArmRecordedWithItsSegment() {
        String email = shopperWhoseHashSays(ArmKind.CONTROL);

        CartArm arm = new ArmAssignments(experiments, bandit).choose(jdbc, campaign, 99L, email, SEGMENT, NOW);

        assertThat(arm.getArmId()).isEqualTo(12L);
        assertThat(arm.isHeldOut()).isFalse();
        assertThat(arm.delayMinutes(campaign.getSteps().get(0))).isEqualTo(240);
        verify(jdbc).update(any(String.class), eq(5L), eq(99L), eq(12L), eq(ArmAssignment.shopperHash("salt", email)),
                any(), eq("new.standard.morning"));
    }

    @Test
    void theHoldoutStaysTheKeyedHashsAndTheBanditIsNotAsked() {
        String email = shopperWhoseHashSays(ArmKind.HOLDOUT);

        CartArm arm = new ArmAssignments(experiments, bandit).choose(jdbc, campaign, 99L, email, SEGMENT, NOW);

        assertThat(arm.isHeldOut()).isTrue();
        verify(bandit, never()).choose(any(), any(), any(), any());
        verify(jdbc).update(any(String.class), eq(5L), eq(99L), eq(10L), any(), any(), eq(null));
    }

    @Test
    void aCartPlannedAgainKeepsItsRecordedArm() {
        when(jdbc.queryForList(anyString(), eq(Long.class), eq(5L), eq(99L))).thenReturn(Collections.singletonList(11L));

        CartArm arm = new ArmAssignments(experiments, bandit).choose(jdbc, campaign, 99L, "a@example.com", SEGMENT, NOW);

        assertThat(arm.getArmId()).isEqualTo(11L);
        verify(bandit, never()).choose(any(), any(), any(), any());
    }

    @Test
    void withoutABanditABanditExperimentIsSplitByWeights() {
        String email = shopperWhoseHashSays(ArmKind.CONTROL);

        CartArm arm = new ArmAssignments(experiments).choose(jdbc, campaign, 99L, email, SEGMENT, NOW);

        assertThat(arm.getArmId()).isEqualTo(11L);
    }

    private String shopperWhoseHashSays(ArmKind kind) {
        for (int i = 0; i < 1000; i++) {
            String email = "shopper" + i + "@example.com";
            if (ArmAssignment.arm("salt", experiment.getHoldoutPercent(), experiment.getArms(), email).getKind() == kind) {
                return email;
            }
        }
        throw new IllegalStateException("no address in " + kind);
    }
}
