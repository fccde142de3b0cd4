/**
 * The WEBHOOK channel: a recovery message as a signed JSON document POSTed to the store's own URL, for push
 * notifications, a CRM or any other tool (docs/webhooks.md). {@link io.github.cartrecovery.webhook.WebhookChannel}
 * is the {@link io.github.cartrecovery.channel.Channel}; {@link io.github.cartrecovery.webhook.WebhookDocument}
 * writes the document, {@link io.github.cartrecovery.webhook.WebhookSigner} signs (and verifies) it and
 * {@link io.github.cartrecovery.webhook.WebhookPoster} sends it and says what the answer means.
 */
package io.github.cartrecovery.webhook;
