/**
 * The addresses never emailed again: {@link io.github.cartrecovery.suppression.Suppressions} is the one writer of
 * CR_SUPPRESSION (unsubscribes, bounces, erasure), storing and looking up every address in one normalised,
 * case-insensitive form.
 */
package io.github.cartrecovery.suppression;
