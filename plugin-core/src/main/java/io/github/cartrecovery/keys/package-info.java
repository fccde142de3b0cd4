/**
 * The HMAC key ring from {@code cartrecovery.links.signing-keys}: it signs every link a message carries and keys
 * the hashes of erased addresses. There is no default key; rotation is "put the new key first".
 */
package io.github.cartrecovery.keys;
