/**
 * The storefront's doors into the plugin (host edge): guest email and phone capture ({@code POST
 * /cart-recovery/email}, {@code capture.js}), the restore, open, click and unsubscribe landings for signed links,
 * and the SMS provider's webhooks. Each controller checks its input, answers with a clear status and hands the
 * work to plugin-core.
 */
package io.github.cartrecovery.site.web;
