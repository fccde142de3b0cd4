package io.github.cartrecovery.experiment.bandit;

/**
 * One choice the bandit can make for a cart: send the step after {@code delayMinutes}, with a discount of
 * {@code discountPercent} or none. The id is the caller's stable key for the arm (what its counts are stored under).
 * Immutable.
 */
public final class BanditArm {

    private final String id;
    private final int delayMinutes;
    private final Integer discountPercent;
    private final String name;

    /** @param discountPercent 1 to 100, or null for no discount */
    public BanditArm(String id, int delayMinutes, Integer discountPercent) {
        this(id, delayMinutes, discountPercent, null);
    }

    /**
     * An arm the operator named (an experiment arm): its label starts with the name, so arms that differ in something
     * else than delay and discount (a subject) can be told apart.
     */
    public BanditArm(String id, int delayMinutes, Integer discountPercent, String name) {
        if (id == null || id.trim().isEmpty()) {
            throw new IllegalArgumentException("arm id must not be blank");
        }
        if (delayMinutes < 0) {
            throw new IllegalArgumentException("arm " + id + ": delayMinutes must be 0 or more, not " + delayMinutes);
        }
        if (discountPercent != null && (discountPercent < 1 || discountPercent > 100)) {
            throw new IllegalArgumentException("arm " + id + ": discountPercent must be between 1 and 100, or none, not "
                    + discountPercent);
        }
        this.id = id;
        this.delayMinutes = delayMinutes;
        this.discountPercent = discountPercent;
        this.name = name == null || name.trim().isEmpty() ? null : name.trim();
    }

    public String getId() {
        return id;
    }

    public int getDelayMinutes() {
        return delayMinutes;
    }

    /** Null when the arm gives no discount. */
    public Integer getDiscountPercent() {
        return discountPercent;
    }

    /** The discount, 0 when none: what the maximum discount is compared with. */
    public int discountOrZero() {
        return discountPercent == null ? 0 : discountPercent;
    }

    /** The operator's name of the arm, or null. */
    public String getName() {
        return name;
    }

    /**
     * "10% off after 4 hours", "no discount after 30 minutes", "no discount right away"; with a name
     * "Shorter subject: no discount after 1 hour".
     */
    public String label() {
        String terms = (discountPercent == null ? "no discount" : discountPercent + "% off") + " " + delayWords();
        return name == null ? terms : name + ": " + terms;
    }

    private String delayWords() {
        if (delayMinutes == 0) {
            return "right away";
        }
        if (delayMinutes % (24 * 60) == 0) {
            return plural(delayMinutes / (24 * 60), "day");
        }
        if (delayMinutes % 60 == 0) {
            return plural(delayMinutes / 60, "hour");
        }
        return plural(delayMinutes, "minute");
    }

    private static String plural(int count, String unit) {
        return "after " + count + " " + unit + (count == 1 ? "" : "s");
    }

    @Override
    public String toString() {
        return id + " (" + label() + ")";
    }
}
