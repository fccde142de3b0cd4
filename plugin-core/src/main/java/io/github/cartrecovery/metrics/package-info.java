/**
 * The plugin's meters ({@code PluginMetrics}, bean {@code crMetrics}): counters, gauges and timers for the whole story
 * of a cart, from capture to recovered revenue, on Micrometer, exposed through JMX and, by the storefront, in the
 * Prometheus text format at {@code /cart-recovery/metrics}. Other packages count here when their events commit; nothing
 * here reads the database on a shopper's request.
 */
package io.github.cartrecovery.metrics;
