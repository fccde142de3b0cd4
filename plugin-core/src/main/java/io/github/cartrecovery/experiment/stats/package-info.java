/**
 * An experiment's statistics and per-arm report, from the arms' counts alone (no database, no Spring, no Broadleaf):
 * Wilson intervals for conversion, Newcombe's hybrid score interval, the pooled z-test and Katz's relative lift for
 * comparisons, Welch intervals for revenue per eligible cart, Holm's correction across comparisons, and a
 * fixed-horizon plan (carts per arm from alpha, power, baseline and minimum detectable effect) before any winner is
 * suggested. Distributions come from Apache Commons Math. The methods and why are in docs/experiments.md.
 */
package io.github.cartrecovery.experiment.stats;
