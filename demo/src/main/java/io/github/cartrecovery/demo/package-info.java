/**
 * A runnable demo store ({@code demo/run}): one JVM with a Broadleaf 3.1 storefront and admin that install the
 * plugin as a real store does, an SMTP server with a mailbox page, an SMS provider stand-in and a webhook
 * receiver, so one cart's whole story can be watched. {@link io.github.cartrecovery.demo.DemoStore} starts it and
 * prints READY; also a cluster node for the reliability suite ({@code --node}).
 */
package io.github.cartrecovery.demo;
