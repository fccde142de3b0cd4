package io.github.cartrecovery.scheduling;

/**
 * A unit of recurring background work (detect abandoned carts, reconcile captures, plan and deliver
 * messages). Implementations must be safe to run on several nodes at once: the scheduler runs each job
 * on one node at a time, but a node whose database connection hangs may overlap with its successor, and a
 * job declared {@link ScheduledJob#isOnEveryNode() on every node} runs everywhere at once by design.
 */
public interface ScheduledWork {

    /** Does one pass and returns how many items it handled (for the job history). */
    int run();
}
