/**
 * Simulated shoppers for {@code demo/run --simulate N}: over HTTP they browse, buy, or give an email and leave,
 * and half come back through their recovery email's restore link and buy, so the report has a story to show.
 */
package io.github.cartrecovery.demo.simulation;
