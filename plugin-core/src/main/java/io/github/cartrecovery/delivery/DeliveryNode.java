package io.github.cartrecovery.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.cartrecovery.messages.PlannedMessages;

/**
 * What the parts of one node's delivery share: the node's id (its claims' CLAIMED_BY), its clock, the claim lease,
 * the owner of CR_PLANNED_MESSAGE's transitions and two kinds of transaction: {@link #inTransaction} (the
 * persistence unit's, for chunks that issue coupons through JPA) and {@link #inHandOver} (plain JDBC on the same
 * datasource, without the cost of opening an EntityManager for each small hand-over).
 */
final class DeliveryNode {

    final String id;
    final Clock clock;
    final PlannedMessages messages;
    private final TransactionTemplate transactions;
    private final TransactionTemplate handOvers;
    private volatile Duration lease;

    DeliveryNode(String id, Clock clock, PlannedMessages messages, TransactionTemplate transactions,
                 TransactionTemplate handOvers, Duration lease) {
        this.id = id;
        this.clock = clock;
        this.messages = messages;
        this.transactions = transactions;
        this.handOvers = handOvers;
        this.lease = lease;
    }

    Instant now() {
        return clock.instant();
    }

    Duration lease() {
        return lease;
    }

    void setLease(Duration lease) {
        this.lease = lease;
    }

    <T> T inTransaction(TransactionCallback<T> work) {
        return transactions.execute(work);
    }

    <T> T inHandOver(TransactionCallback<T> work) {
        return handOvers.execute(work);
    }
}
