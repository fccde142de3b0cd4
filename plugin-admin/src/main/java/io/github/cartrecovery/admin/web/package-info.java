/**
 * The "Cart Recovery" admin module's own pages (controllers): the recovery report and its CSV, the campaign
 * editor, abandoned carts and capture rejections, preview and test send, and privacy requests. Campaigns,
 * messages, events and suppressions use Broadleaf's generic entity screens instead.
 */
package io.github.cartrecovery.admin.web;
