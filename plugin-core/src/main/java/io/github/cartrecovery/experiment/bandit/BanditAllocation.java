package io.github.cartrecovery.experiment.bandit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the bandit splits one segment's carts among the arms it may choose, and how sure it is. Immutable.
 *
 * <p>{@link #getProbabilityBest()} is what the data says: for each arm the chance, under the Beta posteriors, that
 * it has the highest recovery rate (a Monte Carlo estimate). {@link #getShares()} is the split actually used: the
 * probability of being best with the exploration floor applied, or the frozen split. Arms above the maximum discount
 * are in neither.
 */
public final class BanditAllocation {

    private final List<BanditArm> arms;
    private final Map<String, Double> shares;
    private final Map<String, Double> probabilityBest;
    private final Map<String, ArmOutcomes> outcomes;
    private final List<BanditArm> aboveMaximumDiscount;
    private final boolean frozen;

    BanditAllocation(List<BanditArm> arms, Map<String, Double> shares, Map<String, Double> probabilityBest,
                     Map<String, ArmOutcomes> outcomes, List<BanditArm> aboveMaximumDiscount, boolean frozen) {
        this.arms = Collections.unmodifiableList(new ArrayList<BanditArm>(arms));
        this.shares = Collections.unmodifiableMap(new LinkedHashMap<String, Double>(shares));
        this.probabilityBest = Collections.unmodifiableMap(new LinkedHashMap<String, Double>(probabilityBest));
        this.outcomes = Collections.unmodifiableMap(new LinkedHashMap<String, ArmOutcomes>(outcomes));
        this.aboveMaximumDiscount = Collections.unmodifiableList(new ArrayList<BanditArm>(aboveMaximumDiscount));
        this.frozen = frozen;
    }

    /** The arms it may choose (allowed and within the maximum discount), in the order they were allowed. */
    public List<BanditArm> getArms() {
        return arms;
    }

    /** The share of carts per arm id, summing to 1. */
    public Map<String, Double> getShares() {
        return shares;
    }

    public double shareOf(String armId) {
        Double share = shares.get(armId);
        return share == null ? 0 : share;
    }

    /** Per arm id, the estimated chance that it is the best arm (summing to 1). */
    public Map<String, Double> getProbabilityBest() {
        return probabilityBest;
    }

    /** The outcomes the allocation was computed from, per arm id of {@link #getArms()}. */
    public Map<String, ArmOutcomes> getOutcomes() {
        return outcomes;
    }

    /** Allowed arms left out because their discount is above the maximum. */
    public List<BanditArm> getAboveMaximumDiscount() {
        return aboveMaximumDiscount;
    }

    public boolean isFrozen() {
        return frozen;
    }

    /** The arm most likely to be the best (the first of equals). */
    public BanditArm leader() {
        BanditArm leader = arms.get(0);
        for (BanditArm arm : arms) {
            if (probabilityBest.get(arm.getId()) > probabilityBest.get(leader.getId())) {
                leader = arm;
            }
        }
        return leader;
    }
}
