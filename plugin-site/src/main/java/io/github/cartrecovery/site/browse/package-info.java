/**
 * Storefront edge of browse abandonment: {@link io.github.cartrecovery.site.browse.ProductViewRecorder} sees each
 * product page Broadleaf renders and hands a known shopper's view to the engine's buffer, without database work.
 */
package io.github.cartrecovery.site.browse;
