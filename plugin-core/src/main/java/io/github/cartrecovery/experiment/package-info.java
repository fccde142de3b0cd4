/**
 * Experiments: a campaign's carts split into arms (a holdout that gets no message at all, a control, variants of
 * steps), assigned stickily per shopper before any message, counted per arm so the report can show incremental
 * recovery with honest intervals. The statistics are in {@code experiment.stats}, the learning policies in
 * {@code experiment.bandit}.
 */
package io.github.cartrecovery.experiment;
