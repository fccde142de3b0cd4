/**
 * The engine that gets planned messages to shoppers exactly once: it claims due rows per channel, checks the exit
 * rules against Broadleaf's tables, prepares chunks (recipients, carts, coupons, rendering) and hands each
 * message to its channel, recording every outcome ({@link io.github.cartrecovery.delivery.MessageDelivery}). It
 * also holds the built-in email channel (SMTP through Apache Commons Email) and the preview used by the admin;
 * docs/architecture.md explains the design.
 */
package io.github.cartrecovery.delivery;
