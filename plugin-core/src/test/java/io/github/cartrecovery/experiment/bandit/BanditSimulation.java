package io.github.cartrecovery.experiment.bandit;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

/**
 * A simulated shop for the bandit: carts arrive at a steady rate, each falls in one segment, gets an arm from that
 * segment's current allocation and is recovered with its arm's true rate. Rewards are delayed as in the real plugin:
 * a cart's outcome is known only when its attribution window closes, until then it is pending. The planner
 * re-allocates every {@code replanEvery} carts from the outcomes known at that moment (it plans in batches, like the
 * real one). Deterministic for a seed: the shop (segments, recoveries) and the policy draw from separate generators,
 * so two policies or settings meet exactly the same shoppers.
 *
 * <p>Regret is the expected one: for every cart, the true rate of its segment's best arm minus that of the arm it
 * got; uniform allocation's is the same with the mean rate of the segment's arms.
 */
public final class BanditSimulation {

    /** One segment of the simulated shop: its share of the carts and each arm's true recovery rate. */
    public static final class SegmentModel {
        final Segment segment;
        final double weight;
        final Map<String, Double> trueRates;

        public SegmentModel(Segment segment, double weight, Map<String, Double> trueRates) {
            this.segment = segment;
            this.weight = weight;
            this.trueRates = new LinkedHashMap<String, Double>(trueRates);
        }

        String bestArm() {
            String best = null;
            for (Map.Entry<String, Double> rate : trueRates.entrySet()) {
                best = best == null || rate.getValue() > trueRates.get(best) ? rate.getKey() : best;
            }
            return best;
        }
    }

    private final List<BanditArm> arms;
    private final List<SegmentModel> segments = new ArrayList<SegmentModel>();
    private BanditSettings settings = BanditSettings.learning();
    private int carts = 20000;
    private double cartsPerDay = 333;
    private double attributionWindowDays = 7;
    private int replanEvery = 100;
    private long seed = 42;
    private int draws = ThompsonSampling.DEFAULT_DRAWS;

    public BanditSimulation(List<BanditArm> arms) {
        this.arms = new ArrayList<BanditArm>(arms);
    }

    /** Adds a segment with this share of the carts and these true rates per arm id. */
    public BanditSimulation segment(Segment segment, double weight, Map<String, Double> trueRates) {
        segments.add(new SegmentModel(segment, weight, trueRates));
        return this;
    }

    public BanditSimulation settings(BanditSettings value) { settings = value; return this; }
    public BanditSimulation carts(int value) { carts = value; return this; }
    public BanditSimulation cartsPerDay(double value) { cartsPerDay = value; return this; }
    public BanditSimulation attributionWindowDays(double value) { attributionWindowDays = value; return this; }
    public BanditSimulation replanEvery(int value) { replanEvery = value; return this; }
    public BanditSimulation seed(long value) { seed = value; return this; }
    public BanditSimulation draws(int value) { draws = value; return this; }

    /** The three arms the default population uses: no discount after 1 hour, 10% off after 4 hours, 1 day. */
    public static List<BanditArm> threeArms() {
        List<BanditArm> arms = new ArrayList<BanditArm>();
        arms.add(new BanditArm("A", 60, null));
        arms.add(new BanditArm("B", 240, 10));
        arms.add(new BanditArm("C", 24 * 60, null));
        return arms;
    }

    /** True rates per arm id, in the order given: rates("A", 0.05, "B", 0.08). */
    public static Map<String, Double> rates(Object... idsAndRates) {
        Map<String, Double> rates = new LinkedHashMap<String, Double>();
        for (int i = 0; i < idsAndRates.length; i += 2) {
            rates.put((String) idsAndRates[i], ((Number) idsAndRates[i + 1]).doubleValue());
        }
        return rates;
    }

    /** One undecided cart. */
    private static final class Cart {
        final SegmentModel segment;
        final String armId;
        final double closesAtDay;
        final boolean recovered;

        Cart(SegmentModel segment, String armId, double closesAtDay, boolean recovered) {
            this.segment = segment;
            this.armId = armId;
            this.closesAtDay = closesAtDay;
            this.recovered = recovered;
        }
    }

    /** Counts per segment and arm as the simulation goes. */
    private static final class Tally {
        long recovered;
        long notRecovered;
        long pending;
        long chosen;
        long chosenInLastPart;
    }

    public Result run(double lastPart) {
        if (segments.isEmpty()) {
            throw new IllegalStateException("add at least one segment");
        }
        RandomGenerator shop = new Well19937c(seed);
        ThompsonSampling policy = new ThompsonSampling(new Well19937c(seed + 1), draws);
        Map<SegmentModel, Map<String, Tally>> tallies = new LinkedHashMap<SegmentModel, Map<String, Tally>>();
        Map<SegmentModel, BanditAllocation> allocations = new LinkedHashMap<SegmentModel, BanditAllocation>();
        double totalWeight = 0;
        for (SegmentModel model : segments) {
            Map<String, Tally> byArm = new LinkedHashMap<String, Tally>();
            for (BanditArm arm : arms) {
                byArm.put(arm.getId(), new Tally());
            }
            tallies.put(model, byArm);
            totalWeight += model.weight;
        }
        Deque<Cart> open = new ArrayDeque<Cart>();
        double regret = 0;
        double uniformRegret = 0;
        int lastPartStart = (int) Math.floor(carts * (1 - lastPart));
        for (int i = 0; i < carts; i++) {
            double day = i / cartsPerDay;
            if (i % replanEvery == 0) {
                while (!open.isEmpty() && open.peekFirst().closesAtDay <= day) {
                    Cart closed = open.pollFirst();
                    Tally tally = tallies.get(closed.segment).get(closed.armId);
                    tally.pending--;
                    if (closed.recovered) {
                        tally.recovered++;
                    } else {
                        tally.notRecovered++;
                    }
                }
                for (SegmentModel model : segments) {
                    allocations.put(model, policy.allocate(arms, outcomes(tallies.get(model)), settings));
                }
            }
            SegmentModel model = pick(shop, totalWeight);
            BanditAllocation allocation = allocations.get(model);
            BanditArm arm = policy.choose(allocation);
            double rate = model.trueRates.get(arm.getId());
            boolean recovered = shop.nextDouble() < rate;
            Tally tally = tallies.get(model).get(arm.getId());
            tally.chosen++;
            tally.pending++;
            if (i >= lastPartStart) {
                tally.chosenInLastPart++;
            }
            open.addLast(new Cart(model, arm.getId(), day + attributionWindowDays, recovered));
            double best = model.trueRates.get(model.bestArm());
            regret += best - rate;
            uniformRegret += best - meanRate(model, allocation.getArms());
        }
        Map<Segment, BanditAllocation> finalAllocations = new LinkedHashMap<Segment, BanditAllocation>();
        for (SegmentModel model : segments) {
            finalAllocations.put(model.segment, policy.allocate(arms, outcomes(tallies.get(model)), settings));
        }
        return new Result(tallies, finalAllocations, regret, uniformRegret);
    }

    private SegmentModel pick(RandomGenerator shop, double totalWeight) {
        double u = shop.nextDouble() * totalWeight;
        for (SegmentModel model : segments) {
            u -= model.weight;
            if (u < 0) {
                return model;
            }
        }
        return segments.get(segments.size() - 1);
    }

    private static double meanRate(SegmentModel model, List<BanditArm> choosable) {
        double sum = 0;
        for (BanditArm arm : choosable) {
            sum += model.trueRates.get(arm.getId());
        }
        return sum / choosable.size();
    }

    private static List<ArmOutcomes> outcomes(Map<String, Tally> byArm) {
        List<ArmOutcomes> outcomes = new ArrayList<ArmOutcomes>();
        for (Map.Entry<String, Tally> entry : byArm.entrySet()) {
            Tally tally = entry.getValue();
            outcomes.add(new ArmOutcomes(entry.getKey(), tally.recovered, tally.notRecovered, tally.pending));
        }
        return outcomes;
    }

    /** What a run produced. */
    public static final class Result {
        private final Map<SegmentModel, Map<String, Tally>> tallies;
        private final Map<Segment, BanditAllocation> finalAllocations;
        private final double regret;
        private final double uniformRegret;

        Result(Map<SegmentModel, Map<String, Tally>> tallies, Map<Segment, BanditAllocation> finalAllocations,
               double regret, double uniformRegret) {
            this.tallies = tallies;
            this.finalAllocations = Collections.unmodifiableMap(finalAllocations);
            this.regret = regret;
            this.uniformRegret = uniformRegret;
        }

        /** Expected recoveries lost against always choosing each segment's best arm. */
        public double regret() {
            return regret;
        }

        /** The same for choosing every arm equally often. */
        public double uniformRegret() {
            return uniformRegret;
        }

        /** The share of a segment's carts in the last part of the run that got its truly best arm. */
        public double bestArmShareInLastPart(Segment segment) {
            SegmentModel model = model(segment);
            long all = 0;
            for (Tally tally : tallies.get(model).values()) {
                all += tally.chosenInLastPart;
            }
            return all == 0 ? 0 : tallies.get(model).get(model.bestArm()).chosenInLastPart / (double) all;
        }

        /** How many of a segment's carts got each arm over the whole run. */
        public Map<String, Long> chosen(Segment segment) {
            Map<String, Long> chosen = new LinkedHashMap<String, Long>();
            for (Map.Entry<String, Tally> entry : tallies.get(model(segment)).entrySet()) {
                chosen.put(entry.getKey(), entry.getValue().chosen);
            }
            return chosen;
        }

        /** The allocation at the end of the run, from the outcomes known then (pending carts included). */
        public BanditAllocation finalAllocation(Segment segment) {
            return finalAllocations.get(segment);
        }

        private SegmentModel model(Segment segment) {
            for (SegmentModel model : tallies.keySet()) {
                if (model.segment.equals(segment)) {
                    return model;
                }
            }
            throw new IllegalArgumentException("no segment " + segment + " in the simulation");
        }
    }
}
