/**
 * What the store wants sent, and the planner that turns an abandoned cart into planned messages. Campaigns with
 * their audience conditions, steps (delay, channel, template, coupon, send-time conditions) and validation live
 * here; {@link io.github.cartrecovery.campaign.RecoveryPlanner} takes each ABANDONED cart, picks the
 * highest-priority matching campaign and writes one planned message per step, moving the cart to IN_RECOVERY.
 */
package io.github.cartrecovery.campaign;
