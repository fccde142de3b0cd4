package io.github.cartrecovery.experiment;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What happened to one arm's carts so far: the raw counts the statistics work on. Immutable.
 *
 * <p>{@code convertedCarts} is the outcome compared across arms: carts of the arm bought (from the cart itself or a
 * copy its restore link made) within the attribution window after they were assigned, whether or not a message was
 * clicked, so a holdout is measured exactly like the treated arms. {@code recoveredCarts} is the narrower,
 * message-credited count (attribution RECOVERED; always 0 for a holdout). Revenue is per currency, never summed across
 * currencies; with the sum and the sum of squares of the converted carts' order totals the mean revenue per eligible
 * cart and its variance follow (a cart that did not convert counts as 0).
 */
public final class ArmCounts {

    /** Order totals of one currency's converted carts: their number, sum and sum of squares. */
    public static final class Revenue {
        private final long orders;
        private final BigDecimal sum;
        private final BigDecimal sumOfSquares;

        public Revenue(long orders, BigDecimal sum, BigDecimal sumOfSquares) {
            this.orders = orders;
            this.sum = sum;
            this.sumOfSquares = sumOfSquares;
        }

        public long getOrders() {
            return orders;
        }

        public BigDecimal getSum() {
            return sum;
        }

        public BigDecimal getSumOfSquares() {
            return sumOfSquares;
        }
    }

    private final long armId;
    private final String armKey;
    private final String name;
    private final ArmKind kind;
    private final long eligibleCarts;
    private final long messages;
    private final long opens;
    private final long clicks;
    private final long convertedCarts;
    private final long recoveredCarts;
    private final Map<String, Revenue> revenueByCurrency;

    public ArmCounts(long armId, String armKey, String name, ArmKind kind, long eligibleCarts, long messages,
                     long opens, long clicks, long convertedCarts, long recoveredCarts,
                     Map<String, Revenue> revenueByCurrency) {
        this.armId = armId;
        this.armKey = armKey;
        this.name = name;
        this.kind = kind;
        this.eligibleCarts = eligibleCarts;
        this.messages = messages;
        this.opens = opens;
        this.clicks = clicks;
        this.convertedCarts = convertedCarts;
        this.recoveredCarts = recoveredCarts;
        this.revenueByCurrency = Collections.unmodifiableMap(new LinkedHashMap<String, Revenue>(revenueByCurrency));
    }

    public long getArmId() {
        return armId;
    }

    /** Short stable key, e.g. "holdout", "A", "B". */
    public String getArmKey() {
        return armKey;
    }

    public String getName() {
        return name;
    }

    public ArmKind getKind() {
        return kind;
    }

    /** Carts assigned to the arm (recorded when the cart was planned, before any message). */
    public long getEligibleCarts() {
        return eligibleCarts;
    }

    /** Messages sent to the arm's carts, all channels. */
    public long getMessages() {
        return messages;
    }

    public long getOpens() {
        return opens;
    }

    public long getClicks() {
        return clicks;
    }

    public long getConvertedCarts() {
        return convertedCarts;
    }

    public long getRecoveredCarts() {
        return recoveredCarts;
    }

    /** Per currency code, in a stable order. */
    public Map<String, Revenue> getRevenueByCurrency() {
        return revenueByCurrency;
    }
}
