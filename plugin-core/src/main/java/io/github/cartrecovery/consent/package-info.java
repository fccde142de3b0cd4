/**
 * What happens when a shopper says "no more emails": {@link io.github.cartrecovery.consent.Unsubscriptions}
 * suppresses the address, records the UNSUBSCRIBED event and skips every message to it not yet handed over, in
 * one transaction (and takes it back on resubscribe). Text messages keep their own consent and opt-out list
 * ({@code sms}).
 */
package io.github.cartrecovery.consent;
