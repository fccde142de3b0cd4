/**
 * The benchmarks behind {@code benchmarks/run capture|delivery|report}: what capture adds to the shopper's
 * request and how detection scales, delivery throughput against a bare javax.mail loop, and the report over a
 * large history. Each prints a RESULT line with its goal; docs/performance.md has the figures.
 */
package io.github.cartrecovery.benchmarks;
