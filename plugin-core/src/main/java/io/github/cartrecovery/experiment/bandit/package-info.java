/**
 * Learning: a Thompson-sampling bandit per shopper segment that chooses among the delay and discount arms an operator
 * allows, the words the admin shows about what it prefers, and the learned send time. Pure: no database, no Spring,
 * no other package of the plugin, so the planner can call it without a package cycle; the caller reads the counts
 * and stores the choices. Randomness comes from an injected {@code RandomGenerator} (Apache Commons Math).
 * docs/experiments.md, "Learning: bandit and send time", describes the rules.
 */
package io.github.cartrecovery.experiment.bandit;
