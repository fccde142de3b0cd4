/**
 * The demo's stand-in for Twilio: it takes the plugin's texts, shows them in the SMS outbox, sends signed status
 * callbacks, and lets a visitor reply STOP as a phone would.
 */
package io.github.cartrecovery.demo.sms;
