package io.github.cartrecovery.capture;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The daemon thread that writes a request-path buffer (captured carts, product views) to the database every interval,
 * off the shopper's request. A failed flush is reported and the next one runs as planned (a task that throws would
 * never run again on its executor); {@link #close} stops it, and the buffer then flushes once more itself.
 */
public final class BackgroundFlush {

    private final ScheduledExecutorService executor;

    private BackgroundFlush(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    /** Runs {@code flush} every {@code intervalMillis} (above 0) on a daemon thread named {@code threadName}. */
    public static BackgroundFlush every(long intervalMillis, String threadName, final Runnable flush,
                                        final Consumer<RuntimeException> failure) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(() -> {
            try {
                flush.run();
            } catch (RuntimeException e) {
                failure.accept(e); // reported; the schedule goes on
            }
        }, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        return new BackgroundFlush(executor);
    }

    /** Stops the schedule (a flush under way finishes). */
    public void close() {
        executor.shutdown();
    }
}
