/**
 * The last step of a cart's story: when a captured cart is bought, {@link
 * io.github.cartrecovery.attribution.OrderAttribution} credits the purchase once as RECOVERED (a cart message
 * was clicked), INFLUENCED (one was sent), BROWSE_CONVERTED / BROWSE_INFLUENCED (a browse email), REPEAT_CONVERTED /
 * REPEAT_INFLUENCED (a post-purchase follow-up of an earlier order) or NONE, in CR_ORDER_ATTRIBUTION. {@link
 * io.github.cartrecovery.attribution.RestoredCarts} remembers which visitor cart a restore link copied a cart
 * into, so an order placed from the copy still counts.
 */
package io.github.cartrecovery.attribution;
