/**
 * Email templates as content: the words of the layout-based templates edited in the admin, stored per template and
 * locale with every save a version (CR_EMAIL_TEMPLATE_VERSION), checked against sample carts before they are saved,
 * compared and reverted; delivery renders each message with the newest version and records it. The classpath copy
 * stays the default (docs/emails.md, "Editing templates in the admin").
 */
package io.github.cartrecovery.templates;
