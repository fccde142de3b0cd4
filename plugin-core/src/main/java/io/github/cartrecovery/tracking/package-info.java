/**
 * What the storefront learns after a message was sent: which message a verified link names, and the opens and
 * clicks recorded in CR_MESSAGE_EVENT, bounded per message. Link-scanning mail gateways are told apart from
 * people and recorded as SCANNED, so they never earn an open, a click or "recovered" credit.
 */
package io.github.cartrecovery.tracking;
