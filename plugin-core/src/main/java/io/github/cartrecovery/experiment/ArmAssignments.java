package io.github.cartrecovery.experiment;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.springframework.jdbc.core.JdbcTemplate;

import io.github.cartrecovery.campaign.ArmChooser;
import io.github.cartrecovery.campaign.Campaign;
import io.github.cartrecovery.campaign.CartArm;
import io.github.cartrecovery.experiment.bandit.Segment;

/**
 * Assigns each cart the planner takes for a campaign with a RUNNING experiment to one of its arms
 * ({@link ArmAssignment}: a keyed hash of the shopper's address, the same on every node and for every cart of the
 * shopper) and records it in CR_EXPERIMENT_ASSIGNMENT (its owner), in the planning transaction, before any message:
 * an unsubscribe, a purchase or an erasure later cannot move a cart out of its arm. A cart assigned before (planned
 * again) keeps its recorded arm. Thread-safe; running experiments' arms are kept (they never change while running).
 *
 * <p>A BANDIT experiment ({@link Allocation#BANDIT}) sets its holdout aside by the same keyed hash; every other cart
 * gets the arm its {@link ExperimentBandit} draws for the cart's segment, recorded with the segment's key
 * (CR_EXPERIMENT_ASSIGNMENT.SEGMENT_KEY) so the bandit's counts can be read per arm and segment.
 */
public class ArmAssignments implements ArmChooser {

    private final Experiments experiments;
    private final ExperimentBandit bandit;
    private final ConcurrentMap<Long, Experiment> running = new ConcurrentHashMap<Long, Experiment>();

    /** Without a bandit: a BANDIT experiment is split by its arms' weights, like a FIXED one. */
    public ArmAssignments(Experiments experiments) {
        this(experiments, null);
    }

    public ArmAssignments(Experiments experiments, ExperimentBandit bandit) {
        this.experiments = experiments;
        this.bandit = bandit;
    }

    @Override
    public CartArm choose(JdbcTemplate jdbc, Campaign campaign, long orderId, String normalisedEmail, Segment segment,
                          Instant now) {
        List<Long> ids = jdbc.queryForList("SELECT ID FROM CR_EXPERIMENT WHERE RUNNING_CAMPAIGN_ID = ?", Long.class,
                campaign.getId());
        if (ids.isEmpty()) {
            return CartArm.CAMPAIGN;
        }
        Experiment experiment = experiment(ids.get(0));
        List<Long> recorded = jdbc.queryForList("SELECT ARM_ID FROM CR_EXPERIMENT_ASSIGNMENT WHERE EXPERIMENT_ID = ? "
                + "AND ORDER_ID = ?", Long.class, experiment.getId(), orderId);
        ExperimentArm arm;
        if (recorded.isEmpty()) {
            arm = ArmAssignment.arm(experiment.getSalt(), experiment.getHoldoutPercent(), experiment.getArms(),
                    normalisedEmail);
            String segmentKey = null;
            if (bandit != null && experiment.getAllocation() == Allocation.BANDIT && arm.getKind() != ArmKind.HOLDOUT
                    && segment != null) {
                // the holdout stays the keyed hash's; the bandit splits the others
                Segment learnedIn = bandit.segmentFor(experiment, campaign, segment);
                arm = bandit.choose(experiment, campaign, learnedIn, now);
                segmentKey = learnedIn.key();
            }
            jdbc.update("INSERT INTO CR_EXPERIMENT_ASSIGNMENT (EXPERIMENT_ID, ORDER_ID, ARM_ID, SHOPPER_HASH, ASSIGNED_AT, "
                    + "SEGMENT_KEY) VALUES (?, ?, ?, ?, ?, ?)", experiment.getId(), orderId, arm.getId(),
                    ArmAssignment.shopperHash(experiment.getSalt(), normalisedEmail), new Timestamp(now.toEpochMilli()),
                    segmentKey);
        } else {
            arm = experiment.arm(recorded.get(0));
        }
        return cartArm(arm);
    }

    private Experiment experiment(long experimentId) {
        Experiment experiment = running.get(experimentId);
        if (experiment == null) {
            experiment = experiments.get(experimentId);
            running.put(experimentId, experiment);
        }
        return experiment;
    }

    static CartArm cartArm(ExperimentArm arm) {
        if (arm.getKind() == ArmKind.HOLDOUT) {
            return CartArm.heldOut(arm.getId());
        }
        Set<Integer> omitted = new HashSet<Integer>();
        Map<Integer, Integer> delays = new HashMap<Integer, Integer>();
        Map<Integer, String> channels = new HashMap<Integer, String>();
        for (StepVariant step : arm.getSteps()) {
            if (step.isOmit()) {
                omitted.add(step.getStepNo());
            }
            if (step.getDelayMinutes() != null) {
                delays.put(step.getStepNo(), step.getDelayMinutes());
            }
            if (step.getChannel() != null) {
                channels.put(step.getStepNo(), step.getChannel());
            }
        }
        return CartArm.treated(arm.getId(), omitted, delays, channels);
    }
}
