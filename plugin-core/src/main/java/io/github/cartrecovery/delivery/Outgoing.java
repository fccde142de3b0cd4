package io.github.cartrecovery.delivery;

import io.github.cartrecovery.channel.Recipient;

/** A prepared message, committed as PREPARED, waiting for its turn on its channel's sender. */
final class Outgoing<T> {
    final long id;
    final Recipient recipient;
    final T content;

    Outgoing(long id, Recipient recipient, T content) {
        this.id = id;
        this.recipient = recipient;
        this.content = content;
    }

    String address() {
        return recipient.getAddress();
    }
}
