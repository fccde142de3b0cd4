package io.github.cartrecovery.experiment;

/** An experiment's life: edited as a DRAFT, RUNNING while carts are assigned, ENDED (arms and assignments stay readable). */
public enum ExperimentStatus {
    /** Being set up; nothing is assigned. The only state in which arms may change. */
    DRAFT,
    /** The campaign's carts are assigned to its arms as they are planned; at most one per campaign. */
    RUNNING,
    /** No more carts are assigned; the campaign goes on with the winner's steps (if one was chosen). */
    ENDED
}
