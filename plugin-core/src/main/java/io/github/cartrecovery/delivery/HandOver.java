package io.github.cartrecovery.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionCallback;

import io.github.cartrecovery.database.SqlFailures;
import io.github.cartrecovery.channel.Channel;
import io.github.cartrecovery.channel.SendOutcome;
import io.github.cartrecovery.messages.MessageStatus;
import io.github.cartrecovery.messages.PlannedMessages.Held;
import io.github.cartrecovery.personaldata.PersonalDataMask;
import io.github.cartrecovery.metrics.PluginMetrics;

/**
 * Hands a chunk's PREPARED messages to their channel's sender, a window of them at a time (
 * {@code cartrecovery.delivery.hand-over-window}, default 1): one small transaction records the messages accepted
 * since the last one SENT and takes the next window from PREPARED to SENDING, if still this node's; only then are
 * they handed over, one after the other. So each sender never has more than a window of rows SENDING: a crash leaves
 * at most that many per sender UNCONFIRMED. A window above 1 trades that bound for fewer commits on the sending
 * thread (one per window instead of one per message). Senders of one node run this at once, each on its own share.
 * <p>
 * Each failure is recorded as it happens: a retry goes back to PLANNED with back-off (FAILED after the last attempt),
 * a refusal is FAILED (and the recipient, if refused for good, is not handed anything else this batch), an unknown
 * fate is UNCONFIRMED. When the sender breaks (a bug, the node stopping), the message at hand stays SENDING, the ones
 * accepted before are recorded SENT, and the rest go back to PLANNED. When the database fails, what is known is
 * remembered and written at the next batch ({@link KnownOutcomes}).
 */
final class HandOver {

    private static final Log LOG = LogFactory.getLog(MessageDelivery.class);

    private final DeliveryNode node;
    private final KnownOutcomes known;
    private final RetryPolicy retries;
    private final DeliveryTimings timings;
    /** PostgreSQL: a hand-over of one message is one statement ({@link ClaimQuery#handsOverInOneStatement}). */
    private final boolean oneStatement;
    private volatile int window = 1;
    private volatile PluginMetrics metrics = PluginMetrics.inMemory();

    HandOver(DeliveryNode node, KnownOutcomes known, RetryPolicy retries, DeliveryTimings timings, boolean oneStatement) {
        this.node = node;
        this.known = known;
        this.retries = retries;
        this.timings = timings;
        this.oneStatement = oneStatement;
    }

    void setMetrics(PluginMetrics metrics) {
        this.metrics = metrics;
    }

    /** cartrecovery.delivery.hand-over-window: messages SENDING at once per node and channel, 1 to 64. */
    void setWindow(int window) {
        if (window < 1 || window > 64) {
            throw new IllegalArgumentException("cartrecovery.delivery.hand-over-window must be from 1 to 64, was " + window);
        }
        this.window = window;
    }

    int window() {
        return window;
    }

    /** Hands {@code outgoing} over in order; returns how many the channel accepted. */
    <T> int send(Channel<T> channel, List<Outgoing<T>> outgoing, Channel.Sender<T> sender, Set<String> refused) {
        int sent = 0;
        List<KnownOutcomes.Accepted> accepted = new ArrayList<KnownOutcomes.Accepted>(); // not recorded SENT yet
        List<Long> takenNotHanded = new ArrayList<Long>(); // SENDING, not handed over yet
        int reached = 0; // messages taken up so far: the ones after them are still PREPARED
        try {
            while (reached < outgoing.size()) {
                List<Outgoing<T>> group = new ArrayList<Outgoing<T>>();
                while (reached < outgoing.size() && group.size() < window) {
                    Outgoing<T> message = outgoing.get(reached++);
                    if (refused.contains(message.address())) {
                        notSentToRefused(message.id);
                    } else {
                        group.add(message);
                    }
                }
                if (group.isEmpty()) {
                    continue;
                }
                List<KnownOutcomes.Accepted> recording = accepted;
                accepted = new ArrayList<KnownOutcomes.Accepted>();
                long commitStart = System.nanoTime();
                Set<Long> mine = record(recording, idsOf(group));
                timings.committingHandOvers.addAndGet(System.nanoTime() - commitStart);
                timings.handOverCommits.incrementAndGet();
                for (Outgoing<T> message : group) {
                    if (mine.contains(message.id)) {
                        takenNotHanded.add(message.id);
                    }
                }
                for (Outgoing<T> message : group) {
                    if (!mine.contains(message.id)) {
                        continue; // its lease expired and another node took it, or the shopper unsubscribed meanwhile
                    }
                    takenNotHanded.remove(message.id);
                    if (refused.contains(message.address())) {
                        returnNotHandedOver(java.util.Collections.singletonList(message.id)); // refused earlier in this window
                        continue;
                    }
                    long sendStart = System.nanoTime();
                    SendOutcome outcome = sender.send(message.recipient, message.id, message.content);
                    long sendNanos = System.nanoTime() - sendStart;
                    timings.handingOver.addAndGet(sendNanos);
                    timings.handedOver.incrementAndGet();
                    metrics.channelSend(channel.name(), outcome.getKind().name(), sendNanos);
                    if (outcome.getKind() == SendOutcome.Kind.ACCEPTED) {
                        metrics.messageSent(channel.name());
                        accepted.add(new KnownOutcomes.Accepted(message.id, node.now(), outcome.getProviderReference()));
                        sent++;
                    } else if (recordFailure(channel, message, outcome)) {
                        refused.add(message.address());
                    }
                }
            }
        } catch (RuntimeException failure) {
            // The node fails mid-chunk. A message handed over may or may not have arrived: it stays SENDING
            // (UNCONFIRMED once its lease expires). The ones accepted before it are recorded SENT; the ones taken to
            // SENDING and not handed over, and the PREPARED ones after them, go back to PLANNED.
            try {
                recordSent(accepted);
            } catch (RuntimeException alsoFailed) {
                failure.addSuppressed(alsoFailed); // remembered, written at the next batch
            }
            try {
                returnNotHandedOver(takenNotHanded);
            } catch (RuntimeException alsoFailed) {
                failure.addSuppressed(alsoFailed);
            }
            try {
                known.release(idsOf(outgoing.subList(reached, outgoing.size())));
            } catch (RuntimeException alsoFailed) {
                failure.addSuppressed(alsoFailed); // remembered, written at the next batch
            }
            throw failure;
        }
        long commitStart = System.nanoTime();
        recordSent(accepted);
        timings.committingHandOvers.addAndGet(System.nanoTime() - commitStart);
        timings.handOverCommits.incrementAndGet();
        return sent;
    }

    /** Records accepted messages SENT, one transaction for all of them (remembered if it cannot). */
    void recordSent(List<KnownOutcomes.Accepted> accepted) {
        if (!accepted.isEmpty()) {
            record(accepted, java.util.Collections.<Long>emptyList());
        }
    }

    /**
     * One transaction (retried after a lost lock race): records {@code accepted} SENT with their events and takes
     * {@code next} from PREPARED to SENDING where still this node's. Returns the ones of {@code next} that may be
     * handed over.
     */
    private Set<Long> record(final List<KnownOutcomes.Accepted> accepted, final List<Long> next) {
        for (int attempt = 1; ; attempt++) {
            try {
                return node.inHandOver(new TransactionCallback<Set<Long>>() {
                    @Override
                    public Set<Long> doInTransaction(TransactionStatus status) {
                        List<Object[]> sent = new ArrayList<Object[]>();
                        for (KnownOutcomes.Accepted message : accepted) {
                            sent.add(new Object[] {message.id, message.at, message.providerReference});
                        }
                        Instant now = node.now();
                        if (oneStatement && sent.size() <= 1 && next.size() <= 1) {
                            // a window of one: one round trip for the SENT mark, its event and the SENDING mark
                            Long taking = next.isEmpty() ? null : next.get(0);
                            boolean taken = node.messages.sentThenSending(node.id, sent.isEmpty() ? null : sent.get(0),
                                    taking, now.plus(node.lease()), now);
                            return taken ? java.util.Collections.singleton(taking) : new HashSet<Long>();
                        }
                        // one round trip for the SENT marks, one for their events, one for the SENDING marks
                        node.messages.sentAll(node.id, sent);
                        return new HashSet<Long>(node.messages.sendingAll(next, node.id, now.plus(node.lease()), now));
                    }
                });
            } catch (RuntimeException e) {
                if (!SqlFailures.isLockRace(e) || attempt == KnownOutcomes.LOCK_RACE_ATTEMPTS) {
                    // Whether or not the transaction committed (a lost connection may hide a commit), what happened is
                    // known here: the accepted messages were sent, the next ones were not handed over. Written later.
                    for (KnownOutcomes.Accepted message : accepted) {
                        known.sent(message);
                    }
                    known.notHandedOver(next);
                    LOG.warn("Cart Recovery: could not record planned messages " + idsOfAccepted(accepted)
                            + " SENT nor take " + next + " to SENDING; written at the next batch ("
                            + PersonalDataMask.failure(e) + ")");
                    if (!SqlFailures.isLockRace(e)) {
                        throw e;
                    }
                    return new HashSet<Long>();
                }
            }
        }
    }

    /** SENDING (or PREPARED) messages this node took and never handed over: back to PLANNED, or remembered. */
    private void returnNotHandedOver(final List<Long> ids) {
        if (ids.isEmpty()) {
            return;
        }
        try {
            node.inHandOver(new TransactionCallback<Void>() {
                @Override
                public Void doInTransaction(TransactionStatus status) {
                    for (Long id : ids) {
                        node.messages.notHandedOver(id, node.id, node.now());
                    }
                    return null;
                }
            });
        } catch (RuntimeException e) {
            known.notHandedOver(ids);
            throw e;
        }
    }

    /** A message whose recipient was refused for good earlier in the batch: never handed over. */
    private void notSentToRefused(final long id) {
        node.inTransaction(new TransactionCallback<Void>() {
            @Override
            public Void doInTransaction(TransactionStatus status) {
                node.messages.skipPrepared(id, node.id, ExitReason.SUPPRESSED.name(), node.now());
                return null;
            }
        });
    }

    /** Records a failed hand-over; returns whether the recipient is refused for good. */
    private <T> boolean recordFailure(final Channel<T> channel, final Outgoing<T> message, final SendOutcome outcome) {
        final String kind = outcome.getKind() == SendOutcome.Kind.RETRY ? "TEMPORARY"
                : outcome.getKind() == SendOutcome.Kind.REJECTED ? "PERMANENT" : "UNKNOWN";
        LOG.warn("Cart Recovery: planned message " + message.id + " not delivered (" + kind + ") by " + channel.name() + ": "
                + PersonalDataMask.text(outcome.getDetail()));
        if (outcome.getKind() == SendOutcome.Kind.RETRY) {
            retryLater(message.id, Held.AT_HAND, outcome.getDetail(), outcome.getRetryAfter());
            return false;
        }
        node.inTransaction(new TransactionCallback<Void>() {
            @Override
            public Void doInTransaction(TransactionStatus status) {
                Instant now = node.now();
                MessageStatus next = outcome.getKind() == SendOutcome.Kind.REJECTED ? MessageStatus.FAILED : MessageStatus.UNCONFIRMED;
                node.messages.endAtHand(message.id, node.id, next, kind, outcome.getDetail(), now);
                if (outcome.isSuppressRecipient()) {
                    channel.recipientRefused(node.messages.jdbc(), message.recipient, outcome.getDetail(), now);
                }
                return null;
            }
        });
        return outcome.getKind() == SendOutcome.Kind.REJECTED && outcome.isSuppressRecipient();
    }

    /**
     * Definitely not sent: back to PLANNED with back-off (at least {@code retryAfter}), or FAILED after the last
     * attempt. {@code held}: CLAIMED (never prepared) or the message at hand.
     */
    void retryLater(final long id, final Held held, final String error, final Duration retryAfter) {
        node.inTransaction(new TransactionCallback<Void>() {
            @Override
            public Void doInTransaction(TransactionStatus status) {
                Instant now = node.now();
                int attempt = node.messages.attempts(id) + 1;
                if (retries.exhausted(attempt)) {
                    node.messages.tooManyAttempts(id, node.id, held, attempt, error, now);
                } else {
                    node.messages.retry(id, node.id, held, attempt, retries.nextDue(now, attempt, retryAfter), error, now);
                }
                return null;
            }
        });
    }

    static <T> List<Long> idsOf(List<Outgoing<T>> messages) {
        List<Long> ids = new ArrayList<Long>();
        for (Outgoing<T> message : messages) {
            ids.add(message.id);
        }
        return ids;
    }

    private static List<Long> idsOfAccepted(List<KnownOutcomes.Accepted> accepted) {
        List<Long> ids = new ArrayList<Long>();
        for (KnownOutcomes.Accepted message : accepted) {
            ids.add(message.id);
        }
        return ids;
    }
}
