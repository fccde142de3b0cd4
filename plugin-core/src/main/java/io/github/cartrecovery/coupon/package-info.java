/**
 * Unique, single-use recovery coupons: while delivery prepares a message, {@link
 * io.github.cartrecovery.coupon.CouponIssuer} checks the step's coupon policy and rules and makes a Broadleaf
 * {@code OfferCode} from the store's template offer, recorded in CR_COUPON. The restore landing applies the code
 * to the restored cart, and a clean-up job expires, revokes or marks redeemed the codes the story no longer needs.
 */
package io.github.cartrecovery.coupon;
