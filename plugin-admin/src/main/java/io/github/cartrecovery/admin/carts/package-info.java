/**
 * What the "Abandoned Carts" admin screen reads: captured carts by status and last activity with their next
 * planned message, and one cart with its messages and events, personal data masked unless the viewer may see it.
 * Read only.
 */
package io.github.cartrecovery.admin.carts;
