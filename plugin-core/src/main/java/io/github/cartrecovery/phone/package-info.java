/**
 * Phone numbers for the SMS channel: {@link io.github.cartrecovery.phone.PhoneNumbers} turns what a shopper typed or
 * Broadleaf holds into the one form the plugin stores and texts (E.164, {@code +4915112345678}), or says which rule
 * it broke. Pure computation on Google's libphonenumber metadata; no Broadleaf types, no I/O.
 */
package io.github.cartrecovery.phone;
