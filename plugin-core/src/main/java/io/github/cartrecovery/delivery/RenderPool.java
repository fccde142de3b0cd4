package io.github.cartrecovery.delivery;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.github.cartrecovery.channel.Channel;
import io.github.cartrecovery.channel.ChannelMessage;

/**
 * Builds a chunk's messages: pure CPU work without the database (render, build, encode), spread over up to
 * {@code cartrecovery.delivery.render-threads} threads, the calling thread taking the first share. Its threads end
 * when idle.
 */
final class RenderPool {

    private volatile int threads = Math.min(4, Runtime.getRuntime().availableProcessors());
    private final ThreadPoolExecutor renderers = daemonThreads("cr-delivery-render", 3);

    /** cartrecovery.delivery.render-threads: empty for the default (the processors, at most 4), else 1 to 4. */
    void setThreads(String setting) {
        if (setting == null || setting.trim().isEmpty()) {
            return;
        }
        int value;
        try {
            value = Integer.parseInt(setting.trim());
        } catch (NumberFormatException e) {
            value = 0;
        }
        if (value < 1 || value > 4) {
            throw new IllegalArgumentException("cartrecovery.delivery.render-threads must be empty or a number from 1 to 4, was '"
                    + setting + "'");
        }
        this.threads = value;
    }

    /** Per message and in order: what the channel built, or the RuntimeException that stopped it. */
    <T> List<Object> buildAll(final Channel<T> channel, final List<ChannelMessage> messages) {
        final Object[] built = new Object[messages.size()];
        int shares = Math.min(threads, messages.size());
        List<Future<?>> others = new ArrayList<Future<?>>();
        for (int share = 1; share < shares; share++) {
            final int first = share;
            final int step = shares;
            others.add(renderers.submit(new Runnable() {
                @Override
                public void run() {
                    buildEvery(channel, messages, built, first, step);
                }
            }));
        }
        buildEvery(channel, messages, built, 0, Math.max(1, shares));
        for (Future<?> other : others) {
            await(other);
        }
        return Arrays.asList(built);
    }

    private static <T> void buildEvery(Channel<T> channel, List<ChannelMessage> messages, Object[] built, int first, int step) {
        for (int i = first; i < messages.size(); i += step) {
            built[i] = buildOne(channel, messages.get(i));
        }
    }

    /**
     * One message's content, or the RuntimeException of a second try. A build that fails once is tried again at once
     * on the same thread before its message is marked FAILED: a template engine can fail for a moment when several
     * render threads meet a class for the first time, and a failure that comes from the message itself fails again.
     * (Seen once on JDK 25: OGNL 3.0.6 did not find c.showTotal while another thread grew its getter cache; the
     * renderer now fills that cache for the email model before rendering, see OgnlWarmUp, but a store's own template
     * can still read classes it does not know.)
     */
    static <T> Object buildOne(Channel<T> channel, ChannelMessage message) {
        try {
            return channel.build(message);
        } catch (RuntimeException first) {
            try {
                return channel.build(message);
            } catch (RuntimeException again) {
                return again;
            }
        }
    }

    static <T> T await(Future<T> work) {
        try {
            return work.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing recovery messages", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IllegalStateException(cause);
        }
    }

    static ThreadPoolExecutor daemonThreads(final String name, int threads) {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<Runnable>(), new ThreadFactory() {
                    @Override
                    public Thread newThread(Runnable work) {
                        Thread thread = new Thread(work, name);
                        thread.setDaemon(true);
                        return thread;
                    }
                });
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }
}
