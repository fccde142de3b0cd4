package io.github.cartrecovery.experiment.bandit;

/**
 * What the bandit knows about one arm in one segment: carts decided as recovered or not, and carts still pending.
 * Immutable.
 *
 * <p>Delayed rewards: the reward is a cart recovered within its attribution window, and a cart is decided only when
 * that window has closed. Until then it is pending, even if it was already bought. Pending carts are not failures
 * (that would punish every arm for carts that may still be bought, the slower arms most) and not successes either:
 * counting early purchases while the carts that will fail are still open would favour the arm whose shoppers buy
 * sooner (the shorter delay), since its successes would arrive before anyone's failures. Counted at the window's
 * close, every arm's outcomes arrive with the same lag. The policy reads only the decided counts; the pending count
 * is shown to the operator.
 */
public final class ArmOutcomes {

    private final String armId;
    private final long recovered;
    private final long notRecovered;
    private final long pending;

    /**
     * @param recovered    carts whose window has closed and that were recovered within it (successes)
     * @param notRecovered carts whose window has closed without a recovery (failures)
     * @param pending      carts whose window is still open
     */
    public ArmOutcomes(String armId, long recovered, long notRecovered, long pending) {
        if (armId == null || armId.trim().isEmpty()) {
            throw new IllegalArgumentException("outcomes: armId must not be blank");
        }
        check(armId, "recovered", recovered);
        check(armId, "notRecovered", notRecovered);
        check(armId, "pending", pending);
        this.armId = armId;
        this.recovered = recovered;
        this.notRecovered = notRecovered;
        this.pending = pending;
    }

    /** An arm nothing is known about yet. */
    public static ArmOutcomes none(String armId) {
        return new ArmOutcomes(armId, 0, 0, 0);
    }

    private static void check(String armId, String field, long value) {
        if (value < 0) {
            throw new IllegalArgumentException("outcomes of arm " + armId + ": " + field + " must be 0 or more, not " + value);
        }
    }

    public String getArmId() {
        return armId;
    }

    public long getRecovered() {
        return recovered;
    }

    public long getNotRecovered() {
        return notRecovered;
    }

    public long getPending() {
        return pending;
    }

    /** Carts whose window has closed: what the posterior is built from. */
    public long decided() {
        return recovered + notRecovered;
    }

    /** The posterior mean recovery rate with the uniform Beta(1, 1) prior. */
    public double posteriorMean() {
        return (recovered + 1.0) / (decided() + 2.0);
    }
}
