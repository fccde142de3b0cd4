package io.github.cartrecovery.experiment.bandit;

import java.time.Instant;

/** The delay {@link SendTimeLearner} chose, when that sends (quiet hours applied) and why. Immutable. */
public final class SendTimeChoice {

    /** What the choice rests on. */
    public enum Basis {
        /** The shopper's own opens and clicks. */
        SHOPPER,
        /** The shopper has too few; their segment's. */
        SEGMENT,
        /** No engagement to go by, or a tie: the campaign's delay as it is. */
        CAMPAIGN
    }

    private final int delayMinutes;
    private final Instant sendAt;
    private final int localHour;
    private final Basis basis;

    SendTimeChoice(int delayMinutes, Instant sendAt, int localHour, Basis basis) {
        this.delayMinutes = delayMinutes;
        this.sendAt = sendAt;
        this.localHour = localHour;
        this.basis = basis;
    }

    public int getDelayMinutes() {
        return delayMinutes;
    }

    /** The moment it is due: the delay after the start, moved out of quiet hours. */
    public Instant getSendAt() {
        return sendAt;
    }

    /** The hour of {@link #getSendAt()} in the shopper's time zone. */
    public int getLocalHour() {
        return localHour;
    }

    public Basis getBasis() {
        return basis;
    }
}
