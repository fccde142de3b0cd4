/**
 * Data-subject requests and retention for everything the plugin stores about a shopper: export and erasure by
 * email address ({@code crPersonalData}), the keyed hashes that keep an erased address suppressed, and the purge
 * of carts, messages, events and coupons past their retention. Broadleaf's own tables are the store's, never
 * touched here (docs/privacy.md).
 */
package io.github.cartrecovery.privacy;
