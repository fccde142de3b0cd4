/**
 * How money is shown to shoppers: one formatter for an amount in a currency and locale, used by emails, texts and
 * coupons alike.
 */
package io.github.cartrecovery.formatting;
