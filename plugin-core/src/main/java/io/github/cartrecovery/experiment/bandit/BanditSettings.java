package io.github.cartrecovery.experiment.bandit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the operator decides about a bandit: the exploration floor, the maximum discount, and whether it is frozen.
 * Immutable.
 *
 * <ul>
 * <li><b>Exploration floor</b>: every allowed arm gets at least this share of the carts (0.05 = 5%), however sure
 * the bandit is, so a change in shoppers' behaviour can still be noticed. With more arms than the floor leaves room
 * for (arms x floor above 1) every arm gets the same share.</li>
 * <li><b>Maximum discount</b>: an arm with a larger discount is never chosen, whatever the data; null means no
 * maximum, 0 means no discount at all.</li>
 * <li><b>Frozen</b>: the split is fixed at the allocation the bandit had when the operator froze it (kept here as
 * {@code frozenAllocation}), so new outcomes no longer move traffic; it still reports what the data says. The floor
 * and the maximum still apply: an arm allowed after the freeze gets the floor, an arm removed or above the maximum
 * gets nothing and its share goes to the others in proportion. Frozen at the probabilities rather than at the one
 * preferred arm so a frozen bandit keeps exploring as it did, and unfreezing continues from the same split.</li>
 * </ul>
 */
public final class BanditSettings {

    /** The default floor: each allowed arm gets at least 5% of the carts. */
    public static final double DEFAULT_EXPLORATION_FLOOR = 0.05;

    private final double explorationFloor;
    private final Integer maxDiscountPercent;
    private final Map<String, Double> frozenAllocation;

    /**
     * @param explorationFloor   0 (inclusive) to 1 (exclusive): the least share of carts each allowed arm gets
     * @param maxDiscountPercent 0 to 100, or null for no maximum
     * @param frozenAllocation   the share per arm id when frozen, or null while learning
     */
    public BanditSettings(double explorationFloor, Integer maxDiscountPercent, Map<String, Double> frozenAllocation) {
        if (!(explorationFloor >= 0 && explorationFloor < 1)) {
            throw new IllegalArgumentException("explorationFloor must be at least 0 and below 1 (0.05 = 5% per arm), not "
                    + explorationFloor);
        }
        if (maxDiscountPercent != null && (maxDiscountPercent < 0 || maxDiscountPercent > 100)) {
            throw new IllegalArgumentException("maxDiscountPercent must be between 0 and 100, or none, not "
                    + maxDiscountPercent);
        }
        this.explorationFloor = explorationFloor;
        this.maxDiscountPercent = maxDiscountPercent;
        this.frozenAllocation = frozenAllocation == null ? null : frozenCopy(frozenAllocation);
    }

    /** Learning, with the default floor and no maximum discount. */
    public static BanditSettings learning() {
        return new BanditSettings(DEFAULT_EXPLORATION_FLOOR, null, null);
    }

    private static Map<String, Double> frozenCopy(Map<String, Double> allocation) {
        Map<String, Double> copy = new LinkedHashMap<String, Double>();
        double total = 0;
        for (Map.Entry<String, Double> entry : allocation.entrySet()) {
            Double share = entry.getValue();
            if (share == null || !(share >= 0 && share <= 1)) {
                throw new IllegalArgumentException("frozenAllocation: the share of arm " + entry.getKey()
                        + " must be between 0 and 1, not " + share);
            }
            copy.put(entry.getKey(), share);
            total += share;
        }
        if (!(total > 0)) {
            throw new IllegalArgumentException("frozenAllocation must give some share to at least one arm");
        }
        return Collections.unmodifiableMap(copy);
    }

    /** The same settings, frozen at {@code allocation}'s shares. */
    public BanditSettings frozenAt(BanditAllocation allocation) {
        return new BanditSettings(explorationFloor, maxDiscountPercent, allocation.getShares());
    }

    /** The same settings, learning again. */
    public BanditSettings unfrozen() {
        return new BanditSettings(explorationFloor, maxDiscountPercent, null);
    }

    public BanditSettings withMaxDiscountPercent(Integer maxDiscount) {
        return new BanditSettings(explorationFloor, maxDiscount, frozenAllocation);
    }

    public double getExplorationFloor() {
        return explorationFloor;
    }

    /** Null when there is no maximum. */
    public Integer getMaxDiscountPercent() {
        return maxDiscountPercent;
    }

    public boolean isFrozen() {
        return frozenAllocation != null;
    }

    /** The shares it was frozen at, or null while learning. */
    public Map<String, Double> getFrozenAllocation() {
        return frozenAllocation;
    }

    boolean allows(BanditArm arm) {
        return maxDiscountPercent == null || arm.discountOrZero() <= maxDiscountPercent;
    }
}
