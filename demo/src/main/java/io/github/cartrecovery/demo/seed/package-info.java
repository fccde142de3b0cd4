/**
 * What the demo seeds on its first start through Broadleaf's and the plugin's own services: admin login and menu,
 * products, a coupon, the template offer recovery coupons come from, and the fast demo campaigns (email, SMS and
 * webhook steps). Parts already there are skipped.
 */
package io.github.cartrecovery.demo.seed;
