/**
 * Turns a captured cart into what a shopper sees: the cart read with today's prices and stock ({@link
 * io.github.cartrecovery.rendering.RecoveryCartReader}), and the Thymeleaf email renderer with escaped values,
 * the cart's locale and currency, and tracked links. Pure rendering runs off the database on the render threads.
 */
package io.github.cartrecovery.rendering;
