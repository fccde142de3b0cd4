package io.github.cartrecovery.delivery;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Where this node's delivery threads spent their time since it started (or since {@link #reset()}): the sending
 * thread waiting for the next chunk's preparation, committing hand-overs, and handing messages to their channel; the
 * preparing thread preparing chunks. Cheap (a few atomic adds per chunk and window); read by the delivery benchmark
 * and by monitoring.
 */
public final class DeliveryTimings {

    final AtomicLong waitingForPreparation = new AtomicLong();
    final AtomicLong committingHandOvers = new AtomicLong();
    final AtomicLong handingOver = new AtomicLong();
    final AtomicLong preparing = new AtomicLong();
    final AtomicLong handOverCommits = new AtomicLong();
    final AtomicLong handedOver = new AtomicLong();

    /** Nanoseconds the sending thread waited for a chunk still being prepared. */
    public long waitingForPreparationNanos() { return waitingForPreparation.get(); }
    /** Nanoseconds the sending thread spent in hand-over transactions (SENT records, SENDING marks, commits). */
    public long committingHandOversNanos() { return committingHandOvers.get(); }
    /** Nanoseconds the sending thread spent in channels' send calls. */
    public long handingOverNanos() { return handingOver.get(); }
    /** Nanoseconds spent preparing chunks (the prepare transaction with its rendering). */
    public long preparingNanos() { return preparing.get(); }
    /** Hand-over transactions committed. */
    public long handOverCommits() { return handOverCommits.get(); }
    /** Messages handed to a channel. */
    public long handedOver() { return handedOver.get(); }

    public void reset() {
        waitingForPreparation.set(0);
        committingHandOvers.set(0);
        handingOver.set(0);
        preparing.set(0);
        handOverCommits.set(0);
        handedOver.set(0);
    }
}
