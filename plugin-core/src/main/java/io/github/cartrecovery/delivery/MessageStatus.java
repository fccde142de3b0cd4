package io.github.cartrecovery.delivery;

/**
 * A planned message's lifecycle: PLANNED -> CLAIMED (a node holds a lease) -> SENDING (Message-ID fixed,
 * about to hand the message to SMTP) -> SENT. Side exits: SKIPPED (an exit rule), FAILED (permanent SMTP
 * failure or too many attempts), UNCONFIRMED (the node lost track after SENDING; never retried blindly).
 * A temporary failure moves CLAIMED/SENDING back to PLANNED with a later due time.
 */
public enum MessageStatus {
    PLANNED, CLAIMED, SENDING, SENT, SKIPPED, FAILED, UNCONFIRMED
}
