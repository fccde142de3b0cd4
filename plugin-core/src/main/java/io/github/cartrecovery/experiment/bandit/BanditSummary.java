package io.github.cartrecovery.experiment.bandit;

import java.util.Locale;

/**
 * What the admin says about one segment's bandit, in words and in numbers. Immutable; the sentence is plain text (the
 * page escapes it like any other value).
 *
 * <ul>
 * <li>{@link Confidence#EXPLORING} while fewer than {@value #MINIMUM_DECIDED} carts are decided or no arm is at least
 * {@value #PREFERS_FROM} likely to be the best: "For new shoppers it is still exploring: no arm is ahead yet (n=42)."</li>
 * <li>{@link Confidence#PREFERS} from {@value #PREFERS_FROM}: "For returning shoppers it prefers '10% off after 4
 * hours' (about 87% sure it is the best of 3, n=1,204)."</li>
 * <li>{@link Confidence#SURE} from {@value #SURE_FROM}: "... it is sure '...' is the best of 3 (about 97%, n=...)".</li>
 * </ul>
 * Percentages are rounded and never reach 100% (a Monte Carlo estimate from finite data is never certain): above 99%
 * it says "more than 99%". A frozen bandit adds that its split is fixed; a single arm has nothing to learn.
 */
public final class BanditSummary {

    /** Decided carts (all arms together) below which the bandit is said to be exploring, whatever the posteriors. */
    public static final long MINIMUM_DECIDED = 100;
    /** The leader's probability of being best from which the bandit "prefers" it. */
    public static final double PREFERS_FROM = 0.6;
    /** The leader's probability of being best from which the bandit is "sure". */
    public static final double SURE_FROM = 0.95;

    /** How far the bandit has got. */
    public enum Confidence {
        EXPLORING, PREFERS, SURE
    }

    private final Segment segment;
    private final BanditArm leader;
    private final double probabilityBest;
    private final int armCount;
    private final long decided;
    private final long pending;
    private final boolean frozen;
    private final Confidence confidence;

    private BanditSummary(Segment segment, BanditAllocation allocation) {
        this.segment = segment;
        this.leader = allocation.leader();
        this.probabilityBest = allocation.getProbabilityBest().get(leader.getId());
        this.armCount = allocation.getArms().size();
        long decidedSum = 0;
        long pendingSum = 0;
        for (ArmOutcomes outcome : allocation.getOutcomes().values()) {
            decidedSum += outcome.decided();
            pendingSum += outcome.getPending();
        }
        this.decided = decidedSum;
        this.pending = pendingSum;
        this.frozen = allocation.isFrozen();
        if (decided < MINIMUM_DECIDED || probabilityBest < PREFERS_FROM) {
            this.confidence = Confidence.EXPLORING;
        } else {
            this.confidence = probabilityBest < SURE_FROM ? Confidence.PREFERS : Confidence.SURE;
        }
    }

    public static BanditSummary of(Segment segment, BanditAllocation allocation) {
        return new BanditSummary(segment, allocation);
    }

    /** The sentence for the admin. */
    public String words() {
        String who = "For " + segment.words();
        String sentence;
        if (armCount == 1) {
            sentence = who + " only '" + leader.label() + "' is allowed, so there is nothing to learn (n=" + count(decided)
                    + pendingWords() + ").";
        } else if (confidence == Confidence.EXPLORING) {
            sentence = who + " it is still exploring: no arm is ahead yet (n=" + count(decided) + pendingWords() + ").";
        } else if (confidence == Confidence.PREFERS) {
            sentence = who + " it prefers '" + leader.label() + "' (" + percentWords() + " sure it is the best of "
                    + armCount + ", n=" + count(decided) + pendingWords() + ").";
        } else {
            sentence = who + " it is sure '" + leader.label() + "' is the best of " + armCount + " (" + percentWords()
                    + ", n=" + count(decided) + pendingWords() + ").";
        }
        return frozen ? sentence + " Frozen: carts are split as they were when it was frozen." : sentence;
    }

    private String percentWords() {
        long percent = Math.round(probabilityBest * 100);
        return percent > 99 ? "more than 99%" : "about " + percent + "%";
    }

    private String pendingWords() {
        return pending == 0 ? "" : ", " + count(pending) + " still pending";
    }

    private static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    public Segment getSegment() {
        return segment;
    }

    /** The arm most likely to be the best (even while exploring). */
    public BanditArm getLeader() {
        return leader;
    }

    /** The leader's estimated chance of being the best arm, 0 to 1. */
    public double getProbabilityBest() {
        return probabilityBest;
    }

    /** How many arms it chooses among (allowed and within the maximum discount). */
    public int getArmCount() {
        return armCount;
    }

    /** Carts whose attribution window has closed, all arms together. */
    public long getDecided() {
        return decided;
    }

    /** Carts whose attribution window is still open. */
    public long getPending() {
        return pending;
    }

    public boolean isFrozen() {
        return frozen;
    }

    public Confidence getConfidence() {
        return confidence;
    }
}
