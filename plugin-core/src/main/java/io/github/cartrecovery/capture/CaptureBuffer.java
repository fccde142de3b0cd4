package io.github.cartrecovery.capture;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import io.github.cartrecovery.metrics.PluginMetrics;

/**
 * Keeps capture off the shopper's request: Broadleaf's order events land here (a map update, no I/O, never
 * blocks) and a background thread writes them in batches through {@link CaptureWriter}, which isolates a row the
 * database refuses. Repeated events for one cart coalesce into the latest.
 * <p>
 * Bounded: at most {@code maxPendingCarts} carts wait (observations, email consent and SMS consent statements
 * counted separately).
 * At the bound, an event for a cart already waiting still replaces its older observation (no growth); an event
 * for a cart not yet waiting is dropped and counted ({@link #droppedCount()}), and logged once per interval.
 * Nothing is lost for good: the cart is still in Broadleaf's order table, and reconciliation finds a cart with no
 * record, and the cart's next change is captured again once the buffer has room.
 * If the node dies before a flush, reconciliation likewise finds the cart in Broadleaf's order table.
 */
public class CaptureBuffer implements InitializingBean, DisposableBean {

    private final CaptureWriter writer;
    private final long flushIntervalMillis;
    private final int maxPendingCarts;
    private final ThrottledLog log;
    private final Map<Long, CartObservation> pending = new ConcurrentHashMap<Long, CartObservation>();
    private final Map<Long, ConsentStatement> pendingConsent = new ConcurrentHashMap<Long, ConsentStatement>();
    private final Map<Long, ConsentStatement> pendingSmsConsent = new ConcurrentHashMap<Long, ConsentStatement>();
    private final AtomicInteger pendingSize = new AtomicInteger();
    private final AtomicInteger pendingConsentSize = new AtomicInteger();
    private final AtomicInteger pendingSmsConsentSize = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private BackgroundFlush flusher;

    public CaptureBuffer(CaptureWriter writer, long flushIntervalMillis, int maxPendingCarts, ThrottledLog log) {
        if (maxPendingCarts < 1) {
            throw new IllegalArgumentException("cartrecovery.capture.buffer.max-carts must be at least 1, was " + maxPendingCarts);
        }
        this.writer = writer;
        this.flushIntervalMillis = flushIntervalMillis;
        this.maxPendingCarts = maxPendingCarts;
        this.log = log;
    }

    /** The buffer's size becomes the gauge cartrecovery.capture.buffer.size (read at each scrape, in memory). */
    public void setMetrics(PluginMetrics metrics) {
        metrics.watchCaptureBuffer(this::pendingCount);
    }

    /** Called on the shopper's thread: constant time, never blocks on the database. */
    public void offer(CartObservation observation) {
        if (!putNewest(pending, pendingSize, observation.getOrderId(), observation)) {
            droppedAtBound(observation.getOrderId());
        }
    }

    /**
     * Called on the shopper's thread by guest email and phone capture: constant time, the latest statement of its
     * kind wins (an email consent statement never replaces an SMS one, nor the other way round).
     */
    public void offerConsent(ConsentStatement consent) {
        boolean sms = consent instanceof SmsConsentObservation;
        if (!putNewest(sms ? pendingSmsConsent : pendingConsent, sms ? pendingSmsConsentSize : pendingConsentSize,
                consent.getOrderId(), consent)) {
            droppedAtBound(consent.getOrderId());
        }
    }

    /**
     * Writes everything buffered so far. Safe to call from any thread; tests call it directly. A refused cart is
     * rejected by the writer and not kept; what could not be written because the database was unavailable is put
     * back (unless a newer observation of its cart arrived meanwhile) for the next flush.
     */
    public synchronized void flush() {
        if (pending.isEmpty() && pendingConsent.isEmpty() && pendingSmsConsent.isEmpty()) {
            return;
        }
        List<CartObservation> batch = takeAll(pending, pendingSize);
        List<ConsentStatement> consents = takeAll(pendingConsent, pendingConsentSize);
        consents.addAll(takeAll(pendingSmsConsent, pendingSmsConsentSize));
        CaptureWriter.Unwritten unwritten;
        try {
            unwritten = writer.write(batch, consents, false);
        } catch (RuntimeException e) {
            // not expected (the writer sorts every failure), but nothing buffered is lost to a bug either
            unwritten = new CaptureWriter.Unwritten(batch, consents);
            log.warn("capture-flush:" + e.getClass().getName(), "Cart Recovery could not write captured carts; will retry", e);
        }
        for (CartObservation observation : unwritten.getObservations()) {
            offer(observation);
        }
        for (ConsentStatement consent : unwritten.getConsents()) {
            offerConsent(consent);
        }
    }

    /**
     * Drops everything buffered, as a node crash would; reconciliation restores it from Broadleaf's orders.
     * For operational tooling and fault-injection tests.
     */
    public void discardAll() {
        takeAll(pending, pendingSize);
        takeAll(pendingConsent, pendingConsentSize);
        takeAll(pendingSmsConsent, pendingSmsConsentSize);
    }

    /** Carts with something waiting to be written (an observation, consent statements or both). */
    public int pendingCount() {
        Set<Long> carts = new HashSet<Long>(pending.keySet());
        carts.addAll(pendingConsent.keySet());
        carts.addAll(pendingSmsConsent.keySet());
        return carts.size();
    }

    /** Observations and consent statements dropped at the bound since this node started. */
    public long droppedCount() {
        return dropped.get();
    }

    /** Adds or replaces the cart's entry with the newer one; false when the cart is new and the bound is reached. */
    private <T> boolean putNewest(Map<Long, T> map, final AtomicInteger size, Long orderId, final T offered) {
        final boolean[] accepted = {true};
        map.compute(orderId, (id, older) -> {
            if (older == null) {
                for (int now = size.get(); ; now = size.get()) {
                    if (now >= maxPendingCarts) {
                        accepted[0] = false;
                        return null;
                    }
                    if (size.compareAndSet(now, now + 1)) {
                        return offered;
                    }
                }
            }
            return observedAt(offered).isBefore(observedAt(older)) ? older : offered;
        });
        return accepted[0];
    }

    private static java.time.Instant observedAt(Object observation) {
        return observation instanceof CartObservation
                ? ((CartObservation) observation).getObservedAt()
                : ((ConsentStatement) observation).getObservedAt();
    }

    private static <T> List<T> takeAll(Map<Long, T> map, AtomicInteger size) {
        List<T> taken = new ArrayList<T>(map.size());
        for (Long orderId : new ArrayList<Long>(map.keySet())) {
            T entry = map.remove(orderId);
            if (entry != null) {
                size.decrementAndGet();
                taken.add(entry);
            }
        }
        return taken;
    }

    private void droppedAtBound(long orderId) {
        long total = dropped.incrementAndGet();
        log.warn("capture-buffer-full", "Cart Recovery's capture buffer is full (" + maxPendingCarts
                + " carts waiting, cartrecovery.capture.buffer.max-carts): dropped the change of cart " + orderId
                + " (" + total + " dropped since start); reconciliation and the cart's next change catch up", null);
    }

    @Override
    public void afterPropertiesSet() {
        if (flushIntervalMillis <= 0) {
            return;
        }
        // a failed flush is logged and retried: capture must never stop for good
        flusher = BackgroundFlush.every(flushIntervalMillis, "cartrecovery-capture-flusher", this::flush,
                e -> log.warn("capture-flush:" + e.getClass().getName(),
                        "Cart Recovery could not write captured carts; will retry", e));
    }

    @Override
    public void destroy() {
        if (flusher != null) {
            flusher.close();
        }
        try {
            flush();
        } catch (RuntimeException e) {
            log.warn("capture-shutdown", "Cart Recovery could not write captured carts at shutdown; reconciliation will find them", e);
        }
    }
}
