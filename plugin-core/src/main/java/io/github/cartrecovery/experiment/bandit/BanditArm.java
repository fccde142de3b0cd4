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

    /** @param discountPercent 1 to 100, or null for no discount */
    public BanditArm(String id, int delayMinutes, Integer discountPercent) {
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

    /** "10% off after 4 hours", "no discount after 30 minutes", "no discount right away". */
    public String label() {
        return (discountPercent == null ? "no discount" : discountPercent + "% off") + " " + delayWords();
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
