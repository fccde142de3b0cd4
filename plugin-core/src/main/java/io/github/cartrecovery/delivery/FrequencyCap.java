package io.github.cartrecovery.delivery;

import java.time.Duration;
import java.util.Locale;

/**
 * At most {@code messages} recovery messages to one shopper (identified by email address) within a rolling window:
 * on one channel, or on all channels together (channel null). 0 messages = no cap. Immutable.
 */
public final class FrequencyCap {

    private final String channel;
    private final int messages;
    private final Duration window;

    /**
     * @param channel     a channel's name ("SMS"), or null / blank for all channels together
     * @param messages    the most messages in the window; 0 = no cap
     * @param windowHours the rolling window, in hours
     */
    public FrequencyCap(String channel, int messages, int windowHours) {
        String what = channel == null || channel.trim().isEmpty() ? "" : "." + channel.trim().toLowerCase(Locale.ROOT);
        if (messages < 0) {
            throw new IllegalArgumentException("cartrecovery.delivery.frequency-cap" + what + ".messages must be 0 (no cap) "
                    + "or more, was " + messages);
        }
        if (messages > 0 && windowHours < 1) {
            throw new IllegalArgumentException("cartrecovery.delivery.frequency-cap" + what + ".window-hours must be at "
                    + "least 1 with a cap, was " + windowHours);
        }
        this.channel = what.isEmpty() ? null : channel.trim().toUpperCase(Locale.ROOT);
        this.messages = messages;
        this.window = Duration.ofHours(Math.max(0, windowHours));
    }

    /** The channel, or null for all channels together. */
    public String getChannel() { return channel; }
    public int getMessages() { return messages; }
    public Duration getWindow() { return window; }
    public boolean isCapped() { return messages > 0; }

    /** "SMS: 2 messages in 24 h", "all channels: 4 messages in 168 h". */
    public String describe() {
        return (channel == null ? "all channels" : channel) + ": " + messages + (messages == 1 ? " message" : " messages")
                + " in " + window.toHours() + " h";
    }
}
