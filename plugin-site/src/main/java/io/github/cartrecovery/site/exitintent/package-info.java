/**
 * Exit-intent capture on the storefront: {@link io.github.cartrecovery.site.exitintent.ExitIntentOffers} (bean
 * {@code crExitIntent}) decides while a page renders whether it gets the dialog's script tag at all (cart with items, no
 * known email, not a bot, switched on) and with which texts ({@link io.github.cartrecovery.site.exitintent.ExitIntentTexts},
 * per locale); {@code cartrecovery/exit-intent.js} shows the dialog and posts through {@code POST /cart-recovery/email}.
 */
package io.github.cartrecovery.site.exitintent;
