/**
 * The demo's webhook receiver, built the way docs/webhooks.md tells a store to: it verifies each signed document,
 * folds repeats by Idempotency-Key and shows what it received.
 */
package io.github.cartrecovery.demo.webhooks;
