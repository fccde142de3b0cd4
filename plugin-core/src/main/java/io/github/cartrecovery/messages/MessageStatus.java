package io.github.cartrecovery.messages;

/**
 * A planned message's lifecycle: PLANNED -> CLAIMED (a node holds a lease) -> PREPARED (exit rules passed,
 * rendered, Message-ID fixed; not handed to SMTP yet) -> SENDING (being handed to SMTP, one row per node at a
 * time) -> SENT. Side exits: SKIPPED (an exit rule), FAILED (permanent SMTP
 * failure or too many attempts), UNCONFIRMED (the node lost track after SENDING; never retried blindly; only the node that was sending it may
 * still record its outcome).
 * A temporary failure moves CLAIMED/SENDING back to PLANNED with a later due time; CLAIMED and PREPARED rows of a
 * node that stopped go back to PLANNED.
 */
public enum MessageStatus {
    PLANNED, CLAIMED, PREPARED, SENDING, SENT, SKIPPED, FAILED, UNCONFIRMED
}
