package io.github.cartrecovery.experiment;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.math3.random.RandomGenerator;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.cartrecovery.campaign.Campaign;
import io.github.cartrecovery.campaign.CampaignStep;
import io.github.cartrecovery.experiment.bandit.ArmOutcomes;
import io.github.cartrecovery.experiment.bandit.BanditAllocation;
import io.github.cartrecovery.experiment.bandit.BanditArm;
import io.github.cartrecovery.experiment.bandit.BanditSettings;
import io.github.cartrecovery.experiment.bandit.BanditSummary;
import io.github.cartrecovery.experiment.bandit.Segment;
import io.github.cartrecovery.experiment.bandit.ThompsonSampling;

/**
 * The bandit of BANDIT experiments, wired to the database: which treated arm a cart gets in its segment, what the
 * bandit prefers per segment (for the admin), and freezing. The arms are the experiment's CONTROL and VARIANTs, each
 * seen as its first step's delay and its largest percent-off coupon ({@link ArmDiscounts}); an arm above the
 * experiment's maximum discount is never chosen, every other gets at least its exploration floor
 * ({@link ThompsonSampling}). Segments are new/returning shoppers and standard/high-value carts, and the band of the
 * shopper's local hour when the arms differ in delay (timing is learned per hour band, discounts around the clock).
 *
 * <p>The outcome counts ({@link BanditRecords}) are read once per experiment and kept for
 * {@code cartrecovery.experiments.bandit.refresh-minutes} (by the injected clock): outcomes arrive only as attribution
 * windows close, so a fresher read would change little, and planning stays one cheap query per experiment per
 * refresh. Whether it is frozen is read for every cart, so a freeze counts from the next cart on every node.
 * Thread-safe (one lock: the random generator is not).
 */
public class ExperimentBandit {

    private final BanditRecords records;
    private final ArmDiscounts discounts;
    private final ThompsonSampling policy;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Duration refresh;

    private final Map<Long, List<BanditArm>> armsByExperiment = new HashMap<Long, List<BanditArm>>();
    private final Map<Long, Learned> learned = new HashMap<Long, Learned>();

    public ExperimentBandit(BanditRecords records, ArmDiscounts discounts, RandomGenerator random,
                            PlatformTransactionManager transactionManager, Clock clock, int refreshMinutes) {
        this(records, discounts, new ThompsonSampling(random), transactionManager, clock, refreshMinutes);
    }

    ExperimentBandit(BanditRecords records, ArmDiscounts discounts, ThompsonSampling policy,
                     PlatformTransactionManager transactionManager, Clock clock, int refreshMinutes) {
        if (refreshMinutes < 0) {
            throw new IllegalArgumentException("cartrecovery.experiments.bandit.refresh-minutes: 0 or more (was "
                    + refreshMinutes + ")");
        }
        this.records = records;
        this.discounts = discounts;
        this.policy = policy;
        this.transactions = transactionManager == null ? null : new TransactionTemplate(transactionManager);
        this.clock = clock;
        this.refresh = Duration.ofMinutes(refreshMinutes);
    }

    /** The segment the experiment learns {@code cart}'s segment in: without the hour band unless its arms differ in delay. */
    public synchronized Segment segmentFor(Experiment experiment, Campaign campaign, Segment cart) {
        return learnsTiming(arms(experiment, campaign)) ? cart : cart.withoutHourBand();
    }

    /** The treated arm drawn for a cart of {@code segment} (from {@link #segmentFor}). */
    public synchronized ExperimentArm choose(Experiment experiment, Campaign campaign, Segment segment, Instant now) {
        BanditArm chosen = policy.choose(allocation(experiment, campaign, segment, now));
        return experiment.arm(Long.parseLong(chosen.getId()));
    }

    /** How the segment's carts are split now (with the floor, the maximum discount and any freeze applied). */
    public synchronized BanditAllocation allocation(Experiment experiment, Campaign campaign, Segment segment, Instant now) {
        Learned current = learned(experiment, now, false);
        String key = segment.key();
        BanditAllocation allocation = current.allocations.get(key);
        if (allocation == null) {
            List<ArmOutcomes> outcomes = current.outcomes.get(key);
            allocation = policy.allocate(arms(experiment, campaign),
                    outcomes == null ? Collections.<ArmOutcomes>emptyList() : outcomes, settings(experiment, current, key));
            current.allocations.put(key, allocation);
        }
        return allocation;
    }

    /**
     * What the bandit says per segment that has carts (new shoppers first), fresh from the database: for the admin's
     * report. Empty for a FIXED experiment or one without carts.
     */
    public synchronized List<BanditSummary> summaries(Experiment experiment, Campaign campaign) {
        List<BanditSummary> summaries = new ArrayList<BanditSummary>();
        if (experiment.getAllocation() != Allocation.BANDIT || campaign == null) {
            return summaries;
        }
        Instant now = clock.instant();
        Learned current = learned(experiment, now, true);
        Set<String> keys = new LinkedHashSet<String>(current.outcomes.keySet());
        keys.addAll(current.frozen.keySet());
        List<String> sorted = new ArrayList<String>(keys);
        Collections.sort(sorted);
        for (String key : sorted) {
            Segment segment = Segment.parse(key);
            summaries.add(BanditSummary.of(segment, allocation(experiment, campaign, segment, now)));
        }
        return summaries;
    }

    /**
     * Freezes a RUNNING bandit at its current shares, per segment that has carts (a segment first seen after the freeze
     * is split evenly, as a bandit without data would). Refused, naming the rule, when it is not a running, unfrozen
     * BANDIT.
     */
    public synchronized void freeze(Experiment experiment, Campaign campaign) {
        if (experiment.getAllocation() != Allocation.BANDIT || experiment.getStatus() != ExperimentStatus.RUNNING
                || records.frozenAt(experiment.getId()) != null) {
            throw new InvalidExperimentException(experiment.getName(), Collections.singletonList(
                    "allocation: only a running BANDIT that learns can be frozen"));
        }
        final Instant now = clock.instant();
        Learned current = learned(experiment, now, true);
        final Map<String, Map<String, Double>> shares = new LinkedHashMap<String, Map<String, Double>>();
        for (String key : current.outcomes.keySet()) {
            shares.put(key, allocation(experiment, campaign, Segment.parse(key), now).getShares());
        }
        final long id = experiment.getId();
        Boolean frozen = transactions.execute(new TransactionCallback<Boolean>() {
            @Override
            public Boolean doInTransaction(TransactionStatus status) {
                return records.freeze(id, shares, now);
            }
        });
        learned.remove(id);
        if (!Boolean.TRUE.equals(frozen)) {
            throw new InvalidExperimentException(experiment.getName(), Collections.singletonList(
                    "allocation: only a running BANDIT that learns can be frozen"));
        }
    }

    /** Lets a frozen bandit learn again, from the outcomes as they are now. */
    public synchronized void unfreeze(Experiment experiment) {
        final long id = experiment.getId();
        final Instant now = clock.instant();
        Boolean unfrozen = transactions.execute(new TransactionCallback<Boolean>() {
            @Override
            public Boolean doInTransaction(TransactionStatus status) {
                return records.unfreeze(id, now);
            }
        });
        learned.remove(id);
        if (!Boolean.TRUE.equals(unfrozen)) {
            throw new InvalidExperimentException(experiment.getName(), Collections.singletonList(
                    "allocation: the bandit is not frozen"));
        }
    }

    /** The arms it chooses among: the CONTROL and the VARIANTs, as their first step's delay and largest coupon. */
    synchronized List<BanditArm> arms(Experiment experiment, Campaign campaign) {
        List<BanditArm> arms = experiment.getStatus() == ExperimentStatus.RUNNING
                ? armsByExperiment.get(experiment.getId()) : null;
        if (arms != null) {
            return arms;
        }
        arms = new ArrayList<BanditArm>();
        for (ExperimentArm arm : experiment.getArms()) {
            if (arm.getKind() == ArmKind.HOLDOUT) {
                continue;
            }
            Campaign sequence = arm.getKind() == ArmKind.VARIANT ? CampaignVariants.continued(campaign, arm) : campaign;
            List<CampaignStep> steps = sequence.getSteps();
            int delay = steps.isEmpty() ? 0 : steps.get(0).getDelayMinutes();
            arms.add(new BanditArm(String.valueOf(arm.getId()), delay, discounts.percentOff(campaign, arm), arm.getName()));
        }
        if (experiment.getStatus() == ExperimentStatus.RUNNING) {
            armsByExperiment.put(experiment.getId(), arms); // a running experiment's arms never change
        }
        return arms;
    }

    private static boolean learnsTiming(List<BanditArm> arms) {
        Set<Integer> delays = new HashSet<Integer>();
        for (BanditArm arm : arms) {
            delays.add(arm.getDelayMinutes());
        }
        return delays.size() > 1;
    }

    private BanditSettings settings(Experiment experiment, Learned current, String segmentKey) {
        double floor = experiment.getExplorationFloor().doubleValue();
        if (current.frozenAt == null) {
            return new BanditSettings(floor, experiment.getMaxDiscountPercent(), null);
        }
        Map<String, Double> frozen = current.frozen.get(segmentKey);
        if (frozen == null || frozen.isEmpty()) {
            // a segment first seen after the freeze: split evenly, as a bandit without data would
            frozen = new LinkedHashMap<String, Double>();
            for (ExperimentArm arm : experiment.getArms()) {
                if (arm.getKind() != ArmKind.HOLDOUT) {
                    frozen.put(String.valueOf(arm.getId()), 1.0);
                }
            }
        }
        return new BanditSettings(floor, experiment.getMaxDiscountPercent(), frozen);
    }

    /** The counts and frozen shares, read again when older than the refresh, when frozen or unfrozen, or when asked. */
    private Learned learned(Experiment experiment, Instant now, boolean fresh) {
        long id = experiment.getId();
        Instant frozenAt = records.frozenAt(id);
        Learned current = learned.get(id);
        boolean sameFreeze = current != null && (frozenAt == null ? current.frozenAt == null : frozenAt.equals(current.frozenAt));
        if (fresh || current == null || !sameFreeze || !now.isBefore(current.readAt.plus(refresh))
                || now.isBefore(current.readAt)) {
            current = new Learned(now, records.outcomes(id, now), frozenAt,
                    frozenAt == null ? Collections.<String, Map<String, Double>>emptyMap() : records.frozenShares(id));
            learned.put(id, current);
        }
        return current;
    }

    /** One read of an experiment's outcomes and freeze, with the allocations computed from it so far. */
    private static final class Learned {
        final Instant readAt;
        final Map<String, List<ArmOutcomes>> outcomes;
        final Instant frozenAt;
        final Map<String, Map<String, Double>> frozen;
        final Map<String, BanditAllocation> allocations = new HashMap<String, BanditAllocation>();

        Learned(Instant readAt, Map<String, List<ArmOutcomes>> outcomes, Instant frozenAt,
                Map<String, Map<String, Double>> frozen) {
            this.readAt = readAt;
            this.outcomes = outcomes;
            this.frozenAt = frozenAt;
            this.frozen = frozen;
        }
    }
}
