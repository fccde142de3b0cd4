/**
 * The second step of a cart's story: {@link io.github.cartrecovery.detection.AbandonmentDetector} decides which
 * idle captured carts are abandoned (items, a usable email, idle long enough, not before the plugin was switched
 * on) and which are IDLE or EXCLUDED by the store's exclusion rules. It scans by index, so its cost follows the
 * number of due carts, not the size of the order table.
 */
package io.github.cartrecovery.detection;
