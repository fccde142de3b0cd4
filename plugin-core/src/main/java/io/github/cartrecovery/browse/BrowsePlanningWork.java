package io.github.cartrecovery.browse;

import io.github.cartrecovery.scheduling.ScheduledWork;

/**
 * The browse planning job: this node's buffered views are written first (so a session ends from its real last view),
 * then idle sessions are decided. Safe on every node at once ({@link BrowsePlanner}).
 */
public class BrowsePlanningWork implements ScheduledWork {

    private final BrowseBuffer buffer;
    private final BrowsePlanner planner;

    public BrowsePlanningWork(BrowseBuffer buffer, BrowsePlanner planner) {
        this.buffer = buffer;
        this.planner = planner;
    }

    @Override
    public int run() {
        buffer.flush();
        return planner.planDue();
    }
}
