/**
 * The plugin's small shared state in CR_SETTING: when it was first switched on (so installing it never emails old
 * carts), the reconciliation cursors and the report version. Every node reads and writes the same rows.
 */
package io.github.cartrecovery.state;
