package io.github.cartrecovery.channel;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One way of reaching a shopper. Implementations are Spring beans; the engine finds them all by type. Thread-safe:
 * {@link #build} runs on several render threads at once.
 *
 * @param <T> the content one message is built into (a MIME message, an SMS body, a JSON document)
 */
public interface Channel<T> {

    /**
     * The name campaign steps use: upper case letters, digits and '_', at most 16 characters ("EMAIL", "SMS",
     * "WEBHOOK"). Unique among the channels of a store.
     */
    String name();

    /**
     * Who receives each message, or why it must not be sent, or until when it must wait (quiet hours). Runs inside
     * the prepare transaction of a chunk and may read the database (consent, the shopper's phone number); it must
     * not write. One call per chunk, for all its messages of this channel: read set-based, not per message.
     *
     * @return one entry per addressee id; a missing entry means {@link Recipient#skip(String) skip} with reason
     *         {@link Recipient#NO_ADDRESS}
     */
    Map<Long, Recipient> recipients(JdbcTemplate jdbc, List<Addressee> addressees, Instant now);

    /**
     * Builds one message's content. Pure CPU work, no database: runs on the render threads after the prepare
     * transaction read everything. A RuntimeException marks that message FAILED with outcome PREPARE_ERROR (a broken
     * template, an address the channel cannot use); the rest of the chunk goes on.
     */
    T build(ChannelMessage message);

    /**
     * Opens what one batch sends over (an SMTP connection, an HTTP client). The engine asks once per batch, before
     * any message of the batch is SENDING, and closes it with {@link Sender#close(boolean)} when the batch ends.
     *
     * @throws ChannelUnavailableException nothing can be sent now (server unreachable, not configured): every
     *         claimed message of the batch goes back to PLANNED with back-off, nothing is marked sent
     */
    Sender<T> open() throws ChannelUnavailableException;

    /** Closes whatever {@link #open()} keeps between batches (the delivery job calls this when a run ends). */
    void closeIdle();

    /**
     * The key fixed for a planned message at its first prepare and kept for its retries ({@link
     * ChannelMessage#getMessageKey()}), at most 255 characters. By default {@code cr.<id>.<32 random hex digits>}; the
     * email channel makes it its Message-ID.
     */
    default String newMessageKey(long plannedMessageId) {
        return MessageKeys.random(plannedMessageId);
    }

    /**
     * Whether the store's email suppression list (CR_SUPPRESSION: unsubscribed, bounced and staff-suppressed addresses)
     * stops this channel's messages to the cart's address. True by default: email, and channels that act for the
     * shopper's address and carry its unsubscribe link (webhooks). False for a channel with its own consent and
     * opt-out list: a shopper who unsubscribes from email still gets the texts they consented to (SMS).
     */
    default boolean stoppedByEmailSuppressions() {
        return true;
    }

    /**
     * The channel refused a recipient for good ({@link SendOutcome#isSuppressRecipient()}): record the channel's own
     * suppression (a bounced email address, an unreachable number). Runs in the transaction that marks the message
     * FAILED, so both commit or neither. Default: nothing.
     */
    default void recipientRefused(JdbcTemplate jdbc, Recipient recipient, String detail, Instant now) {
    }

    /**
     * Hands messages over, one at a time, on the delivery thread. Not thread-safe: one batch uses it.
     *
     * @param <T> the channel's content
     */
    interface Sender<T> {

        /**
         * Hands one message over. Never throws for the message's own fate: that is the returned outcome. A
         * RuntimeException means the sender itself broke (a bug, the node stopping): the engine leaves this message
         * SENDING (UNCONFIRMED once its lease expires) and stops the batch.
         */
        SendOutcome send(Recipient recipient, long plannedMessageId, T content);

        /**
         * Ends the batch. {@code reusable}: the batch ended normally, so a connection may be kept for the next batch;
         * false: it ended on an error, close everything.
         */
        void close(boolean reusable);
    }
}
