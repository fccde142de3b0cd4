/**
 * The storefront side of a restore link: {@link io.github.cartrecovery.site.restore.CartRestorer} copies the
 * captured cart's lines into the visitor's own Broadleaf cart (never the owner's cart or identity), rebuilding a
 * purged cart from its snapshot, and records the copy so its order still counts as recovered.
 */
package io.github.cartrecovery.site.restore;
