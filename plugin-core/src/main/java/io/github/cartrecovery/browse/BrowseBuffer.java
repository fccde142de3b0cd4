package io.github.cartrecovery.browse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

import io.github.cartrecovery.capture.BackgroundFlush;
import io.github.cartrecovery.capture.ThrottledLog;

/**
 * Keeps browse recording off the shopper's request, with the discipline of cart capture's buffer: a product view
 * lands here (a map update, no I/O, never blocks) and a background thread writes the views in batches through
 * {@link BrowseSessions}. Views of one product by one address coalesce into one entry (latest time, views added).
 * <p>
 * Bounded: at most {@code maxPending} address-and-product entries wait; at the bound a view of an entry already
 * waiting still coalesces, a new one is dropped and counted ({@link #droppedCount()}), logged once per interval. A
 * dropped view costs at most one product in one browse email. Off ({@code cartrecovery.browse.enabled=false}, the
 * default): {@link #offer} takes nothing and no thread is started.
 */
public class BrowseBuffer implements InitializingBean, DisposableBean {

    private final BrowseSessions sessions;
    private final boolean enabled;
    private final long flushIntervalMillis;
    private final int maxPending;
    private final ThrottledLog log;
    private final Map<String, BrowseView> pending = new ConcurrentHashMap<String, BrowseView>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private BackgroundFlush flusher;

    public BrowseBuffer(BrowseSessions sessions, boolean enabled, long flushIntervalMillis, int maxPending, ThrottledLog log) {
        if (maxPending < 1) {
            throw new IllegalArgumentException("cartrecovery.browse.buffer.max-views must be at least 1, was " + maxPending);
        }
        this.sessions = sessions;
        this.enabled = enabled;
        this.flushIntervalMillis = flushIntervalMillis;
        this.maxPending = maxPending;
        this.log = log;
    }

    /** Whether product views are recorded at all (cartrecovery.browse.enabled). */
    public boolean isEnabled() {
        return enabled;
    }

    /** Called on the shopper's thread: constant time, never touches the database. False when not taken. */
    public boolean offer(final BrowseView view) {
        if (!enabled) {
            return false;
        }
        final boolean[] accepted = {true};
        pending.compute(view.key(), (key, older) -> {
            if (older != null) {
                return older.coalescedWith(view);
            }
            for (int now = size.get(); ; now = size.get()) {
                if (now >= maxPending) {
                    accepted[0] = false;
                    return null;
                }
                if (size.compareAndSet(now, now + 1)) {
                    return view;
                }
            }
        });
        if (!accepted[0]) {
            long total = dropped.incrementAndGet();
            log.warn("browse-buffer-full", "Cart Recovery's browse buffer is full (" + maxPending + " views waiting, "
                    + "cartrecovery.browse.buffer.max-views): dropped a product view (" + total + " dropped since start)", null);
        }
        return accepted[0];
    }

    /**
     * Writes everything buffered so far; what the database could not take because it was unavailable is put back (and
     * coalesced with views that arrived meanwhile). Safe from any thread; tests call it directly.
     */
    public synchronized void flush() {
        if (pending.isEmpty()) {
            return;
        }
        List<BrowseView> batch = new ArrayList<BrowseView>(pending.size());
        for (String key : new ArrayList<String>(pending.keySet())) {
            BrowseView view = pending.remove(key);
            if (view != null) {
                size.decrementAndGet();
                batch.add(view);
            }
        }
        List<BrowseView> unwritten;
        try {
            unwritten = sessions.record(batch);
        } catch (RuntimeException e) {
            unwritten = batch; // not expected (record sorts its failures), but nothing is lost to a bug either
            log.warn("browse-flush:" + e.getClass().getName(), "Cart Recovery could not write product views; will retry", e);
        }
        for (BrowseView view : unwritten) {
            putBack(view);
        }
    }

    private void putBack(final BrowseView view) {
        pending.compute(view.key(), (key, newer) -> {
            if (newer != null) {
                return newer.coalescedWith(view);
            }
            size.incrementAndGet(); // may pass the bound by what was already taken once: never lost for the bound
            return view;
        });
    }

    /** Address-and-product entries waiting to be written. */
    public int pendingCount() {
        return size.get();
    }

    /** Views dropped at the bound since this node started. */
    public long droppedCount() {
        return dropped.get();
    }

    @Override
    public void afterPropertiesSet() {
        if (!enabled || flushIntervalMillis <= 0) {
            return;
        }
        flusher = BackgroundFlush.every(flushIntervalMillis, "cartrecovery-browse-flusher", this::flush,
                e -> log.warn("browse-flush:" + e.getClass().getName(),
                        "Cart Recovery could not write product views; will retry", e));
    }

    @Override
    public void destroy() {
        if (flusher != null) {
            flusher.close();
        }
        try {
            flush();
        } catch (RuntimeException e) {
            log.warn("browse-shutdown", "Cart Recovery could not write product views at shutdown", e);
        }
    }
}
