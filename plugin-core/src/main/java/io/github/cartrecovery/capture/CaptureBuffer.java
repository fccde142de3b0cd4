package io.github.cartrecovery.capture;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

import io.github.cartrecovery.personaldata.PersonalDataMask;

/**
 * Keeps capture off the shopper's request: Broadleaf's order events land here (a map put, no I/O) and
 * a background thread writes them in batches. Repeated events for one cart coalesce into the latest.
 * If the node dies before a flush, the reconciliation pass finds the cart in Broadleaf's order table.
 */
public class CaptureBuffer implements InitializingBean, DisposableBean {

    private static final Log LOG = LogFactory.getLog(CaptureBuffer.class);

    private final CapturedCartStore store;
    private final long flushIntervalMillis;
    private final Map<Long, CartObservation> pending = new ConcurrentHashMap<Long, CartObservation>();
    private final Map<Long, ConsentObservation> pendingConsent = new ConcurrentHashMap<Long, ConsentObservation>();
    private ScheduledExecutorService flusher;

    public CaptureBuffer(CapturedCartStore store, long flushIntervalMillis) {
        this.store = store;
        this.flushIntervalMillis = flushIntervalMillis;
    }

    /** Called on the shopper's thread: constant time, never blocks on the database. */
    public void offer(CartObservation observation) {
        pending.merge(observation.getOrderId(), observation,
                (older, newer) -> newer.getObservedAt().isBefore(older.getObservedAt()) ? older : newer);
    }

    /** Called on the shopper's thread by guest email capture: constant time, the latest statement wins. */
    public void offerConsent(ConsentObservation consent) {
        pendingConsent.merge(consent.getOrderId(), consent,
                (older, newer) -> newer.getObservedAt().isBefore(older.getObservedAt()) ? older : newer);
    }

    /** Writes everything buffered so far. Safe to call from any thread; tests call it directly. */
    public synchronized void flush() {
        if (pending.isEmpty() && pendingConsent.isEmpty()) {
            return;
        }
        List<CartObservation> batch = new ArrayList<CartObservation>(pending.size());
        for (Long orderId : new ArrayList<Long>(pending.keySet())) {
            CartObservation observation = pending.remove(orderId);
            if (observation != null) {
                batch.add(observation);
            }
        }
        List<ConsentObservation> consents = new ArrayList<ConsentObservation>(pendingConsent.size());
        for (Long orderId : new ArrayList<Long>(pendingConsent.keySet())) {
            ConsentObservation consent = pendingConsent.remove(orderId);
            if (consent != null) {
                consents.add(consent);
            }
        }
        try {
            store.record(batch, consents);
        } catch (RuntimeException e) {
            // Put them back unless a newer observation arrived meanwhile; the next flush retries.
            for (CartObservation observation : batch) {
                offer(observation);
            }
            for (ConsentObservation consent : consents) {
                offerConsent(consent);
            }
            throw e;
        }
    }

    /**
     * Drops everything buffered, as a node crash would; reconciliation restores it from Broadleaf's orders.
     * For operational tooling and fault-injection tests.
     */
    public void discardAll() {
        pending.clear();
        pendingConsent.clear();
    }

    /** Carts with something waiting to be written (an observation, a consent statement or both). */
    public int pendingCount() {
        java.util.Set<Long> carts = new java.util.HashSet<Long>(pending.keySet());
        carts.addAll(pendingConsent.keySet());
        return carts.size();
    }

    @Override
    public void afterPropertiesSet() {
        if (flushIntervalMillis <= 0) {
            return;
        }
        flusher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "cartrecovery-capture-flusher");
            thread.setDaemon(true);
            return thread;
        });
        flusher.scheduleWithFixedDelay(() -> {
            try {
                flush();
            } catch (RuntimeException e) {
                LOG.warn("Cart Recovery could not write captured carts; will retry", PersonalDataMask.failure(e));
            }
        }, flushIntervalMillis, flushIntervalMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void destroy() {
        if (flusher != null) {
            flusher.shutdown();
        }
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("Cart Recovery could not write captured carts at shutdown; reconciliation will find them", PersonalDataMask.failure(e));
        }
    }
}
