package io.github.cartrecovery.scheduling;

/**
 * Declares that a piece of {@link ScheduledWork} runs every {@code intervalSeconds}: on the cluster (one node at
 * a time, the default), or, with {@code onEveryNode}, on every node at once, each on its own timer.
 * Any bean of this type in the context is picked up by the {@link ClusteredScheduler}.
 */
public final class ScheduledJob {

    private final String name;
    private final ScheduledWork work;
    private final int intervalSeconds;
    private final boolean onEveryNode;

    public ScheduledJob(String name, ScheduledWork work, int intervalSeconds) {
        this(name, work, intervalSeconds, false);
    }

    /** {@code onEveryNode}: for work that is safe on several nodes at once and needs more than one node's throughput. */
    public ScheduledJob(String name, ScheduledWork work, int intervalSeconds, boolean onEveryNode) {
        if (name == null || !name.matches("[a-z0-9-]{1,64}")) {
            throw new IllegalArgumentException("job name must be 1-64 lowercase letters, digits or dashes: " + name);
        }
        if (intervalSeconds < 1) {
            throw new IllegalArgumentException("job '" + name + "' interval must be at least 1 second, was " + intervalSeconds);
        }
        this.name = name;
        this.work = work;
        this.intervalSeconds = intervalSeconds;
        this.onEveryNode = onEveryNode;
    }

    public String getName() { return name; }
    public ScheduledWork getWork() { return work; }
    public int getIntervalSeconds() { return intervalSeconds; }
    public boolean isOnEveryNode() { return onEveryNode; }
}
