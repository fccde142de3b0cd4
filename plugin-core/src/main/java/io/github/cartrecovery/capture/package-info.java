/**
 * The first step of a cart's story: what the shopper's cart looks like, copied from Broadleaf's order events into
 * CR_CAPTURED_CART and its items without any database work on the shopper's request. Also the guest email and
 * phone capture with their consents, the input rules every captured value passes, the reconciliation job that
 * sweeps BLC_ORDER for what events missed, and {@link io.github.cartrecovery.capture.CartStatusTransitions}, the
 * one place a later step moves a cart through its {@link io.github.cartrecovery.capture.CartStatus}.
 */
package io.github.cartrecovery.capture;
