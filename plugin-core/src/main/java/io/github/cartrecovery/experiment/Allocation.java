package io.github.cartrecovery.experiment;

/**
 * How an experiment splits the carts it does not hold out (CR_EXPERIMENT.ALLOCATION). The holdout is set aside by the
 * keyed hash in both.
 */
public enum Allocation {
    /** By the arms' weights, through the keyed hash: one shopper stays in one arm. */
    FIXED,
    /**
     * By a Thompson-sampling bandit per segment ({@link ExperimentBandit}): the better an arm recovers carts, the more
     * carts it gets, each arm keeping the exploration floor.
     */
    BANDIT
}
