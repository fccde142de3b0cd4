package io.github.cartrecovery.channel;

import java.time.Instant;

/**
 * What a provider reports after it accepted a message (an SMS status callback, a bounce): the engine records it
 * against the planned message. Implemented by the engine (bean {@code crDeliveryReceipts}); channels call it from
 * their verified callback endpoints. Idempotent: a repeated receipt records nothing new.
 */
public interface DeliveryReceipts {

    /**
     * The provider delivered the message. {@code providerReference} must match the one recorded when the message was
     * accepted (or none is recorded yet: the receipt overtook the SENT record).
     *
     * @return false when no such message of this channel exists or the reference does not match
     */
    boolean delivered(String channel, long plannedMessageId, String providerReference, Instant at);

    /**
     * The provider accepted the message but could not deliver it ({@code detail}: the provider's status and error
     * code). The message stays handed over (never retried: it may still arrive); its outcome says UNDELIVERED.
     *
     * @return false when no such message of this channel exists or the reference does not match
     */
    boolean undelivered(String channel, long plannedMessageId, String providerReference, String detail, Instant at);
}
