/**
 * Browse abandonment: a known shopper (logged in, or whose address was captured) looked at products and neither
 * added them to a cart nor bought. {@link io.github.cartrecovery.browse.BrowseBuffer} takes each product view on the
 * shopper's thread without any database work and {@link io.github.cartrecovery.browse.BrowseSessions} writes them in
 * batches into CR_BROWSE_SESSION / CR_BROWSE_PRODUCT; {@link io.github.cartrecovery.browse.BrowsePlanner} turns a
 * session idle past the configured time into one planned message of an enabled BROWSE campaign (at most one per
 * address and period), which delivery sends like every other message (exit rules at send time: the product added to a
 * cart, an order since the first view).
 */
package io.github.cartrecovery.browse;
