package io.github.cartrecovery.demo;

/** The demo could not start; the message says why and what to do. */
public final class DemoStartupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DemoStartupException(String message) {
        super(message);
    }

    public DemoStartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
