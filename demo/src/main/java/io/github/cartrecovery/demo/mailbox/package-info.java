/**
 * The demo's mailbox: every email the demo's SMTP server received, listed and shown (HTML in a sandboxed frame,
 * text, links), where a recovery email of the story arrives. Also as JSON for the simulation and tests.
 */
package io.github.cartrecovery.demo.mailbox;
