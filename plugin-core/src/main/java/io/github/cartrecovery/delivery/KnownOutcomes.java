package io.github.cartrecovery.delivery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionCallback;

import io.github.cartrecovery.database.SqlFailures;
import io.github.cartrecovery.personaldata.PersonalDataMask;

/**
 * What this node knows for certain but could not write when it happened (the database went away, or lock races ran
 * out), written at the start of its next batch: messages a channel accepted (when, and the provider's reference),
 * messages whose hand-over failed (so never handed over, even if the SENDING mark did commit and only its answer was
 * lost), and claimed or prepared messages it could not release. Lost only with the node itself, and then the leases
 * decide.
 */
final class KnownOutcomes {

    private static final Log LOG = LogFactory.getLog(KnownOutcomes.class);
    /** Tries of a transaction that lost a lock race (deadlock victim, lock wait timeout) before giving up on it. */
    static final int LOCK_RACE_ATTEMPTS = 3;

    private final DeliveryNode node;
    private final Map<Long, Accepted> unrecordedSent = new ConcurrentHashMap<Long, Accepted>();
    private final Set<Long> notHandedOver = Collections.newSetFromMap(new ConcurrentHashMap<Long, Boolean>());
    private final Set<Long> unreleased = Collections.newSetFromMap(new ConcurrentHashMap<Long, Boolean>());

    KnownOutcomes(DeliveryNode node) {
        this.node = node;
    }

    void sent(Accepted accepted) {
        unrecordedSent.put(accepted.id, accepted);
    }

    void notHandedOver(Collection<Long> ids) {
        notHandedOver.addAll(ids);
    }

    /**
     * Writes what is remembered, each message in its own transaction and only while the row is still this node's; a
     * failure leaves the rest for the next batch. {@code recordSent} writes one accepted message (and remembers it
     * again if it cannot).
     */
    void writeAll(HandOver handOver) {
        try {
            for (Accepted sent : new ArrayList<Accepted>(unrecordedSent.values())) {
                unrecordedSent.remove(sent.id, sent);
                handOver.recordSent(Collections.singletonList(sent));
            }
            for (final Long id : new ArrayList<Long>(notHandedOver)) {
                node.inHandOver(new TransactionCallback<Void>() {
                    @Override
                    public Void doInTransaction(TransactionStatus status) {
                        node.messages.notHandedOver(id, node.id, node.now());
                        return null;
                    }
                });
                notHandedOver.remove(id);
            }
            if (!unreleased.isEmpty()) {
                release(new ArrayList<Long>(unreleased));
            }
        } catch (RuntimeException e) {
            if (!SqlFailures.isLockRace(e) && !SqlFailures.isUnavailable(e)) {
                throw e;
            }
            LOG.info("Cart Recovery: outcomes of " + (unrecordedSent.size() + notHandedOver.size() + unreleased.size())
                    + " planned messages still to be written; the next batch tries again (" + PersonalDataMask.failure(e) + ")");
        }
    }

    /** Claimed or prepared, definitely never handed over: back to PLANNED, due as before (remembered until it commits). */
    void release(final List<Long> ids) {
        if (ids.isEmpty()) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            unreleased.addAll(ids);
            try {
                node.inTransaction(new TransactionCallback<Void>() {
                    @Override
                    public Void doInTransaction(TransactionStatus status) {
                        node.messages.release(ids, node.id, node.now());
                        return null;
                    }
                });
                unreleased.removeAll(ids);
                return;
            } catch (RuntimeException e) {
                if (!SqlFailures.isLockRace(e)) {
                    throw e;
                }
                if (attempt >= LOCK_RACE_ATTEMPTS) {
                    LOG.info("Cart Recovery: could not release planned messages " + ids + " yet; the next batch tries again",
                            PersonalDataMask.failure(e));
                    return;
                }
            }
        }
    }

    /** A message a channel accepted, when, and the provider's reference: recorded SENT with the next hand-over. */
    static final class Accepted {
        final long id;
        final Instant at;
        final String providerReference;

        Accepted(long id, Instant at, String providerReference) {
            this.id = id;
            this.at = at;
            this.providerReference = providerReference;
        }
    }
}
