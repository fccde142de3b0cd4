/**
 * Post-purchase follow-up: a configured time after an order (every order, or only recovered ones), one email of an
 * enabled POST_PURCHASE campaign recommending products related to the order's (never the order's own), through the same
 * planned-message engine as cart recovery. {@link io.github.cartrecovery.postpurchase.PostPurchasePlanner} decides each
 * bought order once (CR_POST_PURCHASE).
 */
package io.github.cartrecovery.postpurchase;
