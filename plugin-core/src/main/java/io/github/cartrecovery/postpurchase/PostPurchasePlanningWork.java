package io.github.cartrecovery.postpurchase;

import io.github.cartrecovery.scheduling.ScheduledWork;

/** The post-purchase planning job: one pass of {@link PostPurchasePlanner}. */
public class PostPurchasePlanningWork implements ScheduledWork {

    private final PostPurchasePlanner planner;

    public PostPurchasePlanningWork(PostPurchasePlanner planner) {
        this.planner = planner;
    }

    @Override
    public int run() {
        return planner.planDue();
    }
}
