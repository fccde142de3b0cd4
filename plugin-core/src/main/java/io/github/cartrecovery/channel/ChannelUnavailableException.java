package io.github.cartrecovery.channel;

/** Nothing can be sent over a channel right now; the batch's messages are retried later with back-off. */
public class ChannelUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    public ChannelUnavailableException(String message) {
        super(message);
    }

    public ChannelUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
