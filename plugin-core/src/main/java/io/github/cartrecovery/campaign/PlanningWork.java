package io.github.cartrecovery.campaign;

import io.github.cartrecovery.scheduling.ScheduledWork;

/** The planning job: plans the messages of every abandoned cart ({@link RecoveryPlanner#planDue()}). */
public class PlanningWork implements ScheduledWork {

    private final RecoveryPlanner planner;

    public PlanningWork(RecoveryPlanner planner) {
        this.planner = planner;
    }

    @Override
    public int run() {
        return planner.planDue();
    }
}
