/**
 * Small helpers for reading the plugin's settings from {@code config/bc/cartrecovery/common.properties}, such as
 * the comma-separated lists of domains, user agents and IP ranges. No state, no Broadleaf types.
 */
package io.github.cartrecovery.config;
