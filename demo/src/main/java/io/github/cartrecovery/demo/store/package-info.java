/**
 * The demo storefront on Broadleaf's own controllers: product list and pages, cart, checkout with the capture
 * snippet, confirmation, registration and sign-in. Where a demo shopper's cart begins and, after a restore link,
 * ends.
 */
package io.github.cartrecovery.demo.store;
