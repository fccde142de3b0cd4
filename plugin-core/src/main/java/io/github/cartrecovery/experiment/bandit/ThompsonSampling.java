package io.github.cartrecovery.experiment.bandit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.random.RandomGenerator;

/**
 * Thompson sampling on Beta posteriors: the bandit policy for one segment. Each arm's recovery rate has a uniform
 * Beta(1, 1) prior and, after {@code r} recovered and {@code n} not recovered carts, the posterior
 * Beta(1 + r, 1 + n). An arm's share of the carts is the chance that it is the best arm under these posteriors
 * (estimated with a fixed number of Monte Carlo draws), which is what Thompson sampling's "draw a rate for every arm,
 * take the highest" gives each arm on average; the exploration floor is then applied and one arm is drawn by the
 * shares. Only decided carts count (see {@link ArmOutcomes} for the delayed rewards).
 *
 * <p>Guarantees, whatever the data: an arm above the maximum discount gets share 0 and is never chosen; every other
 * allowed arm gets at least the exploration floor; a frozen bandit's shares do not depend on the outcomes. The
 * holdout is not an arm: the experiment engine sets it aside before the bandit is asked, so learning never changes
 * it. Not thread-safe (the random generator is not); use one per thread or synchronise.
 */
public final class ThompsonSampling {

    /** Monte Carlo draws per allocation: the probability of being best is known to within about 0.005. */
    public static final int DEFAULT_DRAWS = 10000;

    private final RandomGenerator random;
    private final int draws;

    public ThompsonSampling(RandomGenerator random) {
        this(random, DEFAULT_DRAWS);
    }

    public ThompsonSampling(RandomGenerator random, int draws) {
        if (random == null) {
            throw new IllegalArgumentException("random must not be null");
        }
        if (draws < 1) {
            throw new IllegalArgumentException("draws must be at least 1, not " + draws);
        }
        this.random = random;
        this.draws = draws;
    }

    /**
     * The split of one segment's carts among the allowed arms.
     *
     * @param allowedArms the arms the operator allows (distinct ids; arms above the maximum discount are left out)
     * @param outcomes    the segment's outcomes per arm; an arm without any has none yet, outcomes of arms not
     *                    allowed are ignored
     */
    public BanditAllocation allocate(List<BanditArm> allowedArms, Collection<ArmOutcomes> outcomes,
                                     BanditSettings settings) {
        List<BanditArm> arms = new ArrayList<BanditArm>();
        List<BanditArm> aboveMaximum = new ArrayList<BanditArm>();
        Map<String, BanditArm> byId = new HashMap<String, BanditArm>();
        for (BanditArm arm : allowedArms) {
            if (byId.put(arm.getId(), arm) != null) {
                throw new IllegalArgumentException("allowedArms: arm id " + arm.getId() + " is given twice");
            }
            (settings.allows(arm) ? arms : aboveMaximum).add(arm);
        }
        if (arms.isEmpty()) {
            throw new IllegalArgumentException("allowedArms: no arm within the maximum discount of "
                    + settings.getMaxDiscountPercent() + "% (allowed: " + allowedArms + ")");
        }
        Map<String, ArmOutcomes> known = new HashMap<String, ArmOutcomes>();
        for (ArmOutcomes outcome : outcomes) {
            known.put(outcome.getArmId(), outcome);
        }
        Map<String, ArmOutcomes> used = new LinkedHashMap<String, ArmOutcomes>();
        for (BanditArm arm : arms) {
            ArmOutcomes outcome = known.get(arm.getId());
            used.put(arm.getId(), outcome == null ? ArmOutcomes.none(arm.getId()) : outcome);
        }
        Map<String, Double> probabilityBest = probabilityBest(arms, used);
        Map<String, Double> base = settings.isFrozen() ? frozenShares(arms, settings.getFrozenAllocation())
                : probabilityBest;
        Map<String, Double> shares = withFloor(arms, base, settings.getExplorationFloor());
        return new BanditAllocation(arms, shares, probabilityBest, used, aboveMaximum, settings.isFrozen());
    }

    /** One arm drawn by the allocation's shares. */
    public BanditArm choose(BanditAllocation allocation) {
        double u = random.nextDouble();
        double cumulative = 0;
        BanditArm last = null;
        for (BanditArm arm : allocation.getArms()) {
            double share = allocation.shareOf(arm.getId());
            if (share <= 0) {
                continue;
            }
            cumulative += share;
            last = arm;
            if (u < cumulative) {
                return arm;
            }
        }
        return last; // the shares' rounding left u just above their sum
    }

    private Map<String, Double> probabilityBest(List<BanditArm> arms, Map<String, ArmOutcomes> outcomes) {
        BetaDistribution[] posteriors = new BetaDistribution[arms.size()];
        for (int i = 0; i < arms.size(); i++) {
            ArmOutcomes outcome = outcomes.get(arms.get(i).getId());
            posteriors[i] = new BetaDistribution(random, 1.0 + outcome.getRecovered(), 1.0 + outcome.getNotRecovered());
        }
        long[] wins = new long[arms.size()];
        for (int draw = 0; draw < draws; draw++) {
            int best = 0;
            double bestRate = -1;
            for (int i = 0; i < posteriors.length; i++) {
                double rate = posteriors[i].sample();
                if (rate > bestRate) {
                    best = i;
                    bestRate = rate;
                }
            }
            wins[best]++;
        }
        Map<String, Double> probability = new LinkedHashMap<String, Double>();
        for (int i = 0; i < arms.size(); i++) {
            probability.put(arms.get(i).getId(), wins[i] / (double) draws);
        }
        return probability;
    }

    /** The frozen shares of the arms still choosable, scaled to sum to 1 (equal shares if none is left). */
    private static Map<String, Double> frozenShares(List<BanditArm> arms, Map<String, Double> frozen) {
        double total = 0;
        for (BanditArm arm : arms) {
            Double share = frozen.get(arm.getId());
            total += share == null ? 0 : share;
        }
        Map<String, Double> shares = new LinkedHashMap<String, Double>();
        for (BanditArm arm : arms) {
            Double share = frozen.get(arm.getId());
            shares.put(arm.getId(), total > 0 ? (share == null ? 0 : share) / total : 1.0 / arms.size());
        }
        return shares;
    }

    /**
     * Lifts every arm below the floor to it and takes the difference from the others in proportion to their shares,
     * repeating until none is below. Shares already at or above the floor come back unchanged, so a frozen split
     * (which had the floor applied) stays as it was. Arms that leave no room for the floor share evenly.
     */
    static Map<String, Double> withFloor(List<BanditArm> arms, Map<String, Double> base, double floor) {
        if (floor * arms.size() >= 1) {
            return spread(arms, base, 1.0 / arms.size(), new HashSet<String>(ids(arms)));
        }
        Set<String> floored = new HashSet<String>();
        Map<String, Double> shares = spread(arms, base, floor, floored);
        while (liftBelowFloor(shares, floor, floored)) {
            shares = spread(arms, base, floor, floored);
        }
        return shares;
    }

    /** The floored arms get the floor; the rest is split among the others by their base shares (evenly if all 0). */
    private static Map<String, Double> spread(List<BanditArm> arms, Map<String, Double> base, double floor,
                                              Set<String> floored) {
        double rest = 1 - floor * floored.size();
        double restBase = 0;
        int others = 0;
        for (BanditArm arm : arms) {
            if (!floored.contains(arm.getId())) {
                restBase += base.get(arm.getId());
                others++;
            }
        }
        Map<String, Double> shares = new LinkedHashMap<String, Double>();
        for (BanditArm arm : arms) {
            if (floored.contains(arm.getId())) {
                shares.put(arm.getId(), floor);
            } else {
                shares.put(arm.getId(), restBase > 0 ? base.get(arm.getId()) / restBase * rest : rest / others);
            }
        }
        return shares;
    }

    /** Adds the arms below the floor to {@code floored}; true when there were any. */
    private static boolean liftBelowFloor(Map<String, Double> shares, double floor, Set<String> floored) {
        boolean lifted = false;
        for (Map.Entry<String, Double> share : shares.entrySet()) {
            if (share.getValue() < floor && floored.add(share.getKey())) {
                lifted = true;
            }
        }
        return lifted;
    }

    private static List<String> ids(List<BanditArm> arms) {
        List<String> ids = new ArrayList<String>();
        for (BanditArm arm : arms) {
            ids.add(arm.getId());
        }
        return ids;
    }
}
