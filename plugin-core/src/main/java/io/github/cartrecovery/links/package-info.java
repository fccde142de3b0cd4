/**
 * The signed links a recovery message carries (restore, open pixel, tracked click, unsubscribe, and the short SMS
 * restore link): tokens bound to one planned message and one purpose, with an expiry, and the store URLs they
 * point at. The storefront verifies them; nothing else makes them.
 */
package io.github.cartrecovery.links;
