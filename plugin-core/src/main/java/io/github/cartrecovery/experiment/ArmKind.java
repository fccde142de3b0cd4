package io.github.cartrecovery.experiment;

/** What an experiment's arm does with the carts assigned to it. */
public enum ArmKind {
    /** Gets no message on any channel; captured, detected and attributed like the others (the baseline). */
    HOLDOUT,
    /** The campaign as it is. */
    CONTROL,
    /** The campaign with some steps changed (subject, template, delay, channel, coupon, or steps left out). */
    VARIANT
}
