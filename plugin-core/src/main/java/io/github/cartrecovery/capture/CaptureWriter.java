package io.github.cartrecovery.capture;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.github.cartrecovery.database.SqlFailures;
import io.github.cartrecovery.metrics.PluginMetrics;

/**
 * Writes observations through {@link CapturedCartStore} so that one row the database refuses costs only itself.
 * A batch is written in one transaction; when the database refuses it, each cart (its observation together with
 * its consent statement) is written alone, in its own transaction. A cart that fails alone twice (the second try
 * absorbs a race with another node inserting the same new cart) is recorded in {@link CaptureRejections} and
 * dropped: it blocks nothing. When the database itself is unavailable ({@link SqlFailures}) nothing
 * is rejected: the caller gets what was not written back and tries again later. Values left out by
 * {@link CaptureInputRules} are recorded as rejected fields once the cart is written.
 * Failures are logged once per cause per interval ({@link ThrottledLog}). Thread-safe.
 */
public class CaptureWriter {

    private final CapturedCartStore store;
    private final CaptureRejections rejections;
    private final ThrottledLog log;
    private final AtomicLong rejectedRows = new AtomicLong();
    private volatile PluginMetrics metrics = PluginMetrics.inMemory();

    public CaptureWriter(CapturedCartStore store, CaptureRejections rejections, ThrottledLog log) {
        this.store = store;
        this.rejections = rejections;
        this.log = log;
    }

    /** Where the plugin counts what happens (bean crMetrics); in memory only until set. */
    public void setMetrics(PluginMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * @param reconciling true for reconciliation's writes (recorded with source RECONCILIATION), false for the
     *                    buffer's (source STOREFRONT or ADMIN, from the observation)
     * @return what is still to be written because the database was unavailable (empty when all was written or
     *         rejected)
     */
    public Unwritten write(List<CartObservation> observations, List<? extends ConsentStatement> consents, boolean reconciling) {
        if (observations.isEmpty() && consents.isEmpty()) {
            return Unwritten.NOTHING;
        }
        try {
            store.record(observations, consents);
            metrics.cartsCaptured(observations.size());
            recordRejectedFields(observations, reconciling);
            return Unwritten.NOTHING;
        } catch (RuntimeException batchFailure) {
            if (SqlFailures.isTransient(batchFailure)) {
                log.warn("capture-unavailable:" + SqlFailures.kind(batchFailure),
                        "Cart Recovery could not write " + observations.size() + " captured carts (database unavailable: "
                                + SqlFailures.reason(batchFailure) + "); will retry", batchFailure);
                return new Unwritten(observations, consents);
            }
            return rowByRow(observations, consents, reconciling);
        }
    }

    /** Records that reconciliation could not even read cart {@code orderId} from Broadleaf, so it can move on. */
    public void rejectUnreadable(long orderId, RuntimeException failure) {
        reject(orderId, CaptureRejections.Source.RECONCILIATION, failure, null);
    }

    /** Carts rejected since this node started (each refused row counts once per refusal). */
    public long rejectedRows() {
        return rejectedRows.get();
    }

    private Unwritten rowByRow(List<CartObservation> observations, List<? extends ConsentStatement> consents, boolean reconciling) {
        // a cart may have an email and an SMS consent statement: both go with its observation
        Map<Long, List<ConsentStatement>> consentByCart = new LinkedHashMap<Long, List<ConsentStatement>>();
        for (ConsentStatement consent : consents) {
            List<ConsentStatement> its = consentByCart.get(consent.getOrderId());
            if (its == null) {
                its = new ArrayList<ConsentStatement>(2);
                consentByCart.put(consent.getOrderId(), its);
            }
            its.add(consent);
        }
        List<CartObservation> unwrittenObservations = new ArrayList<CartObservation>();
        List<ConsentStatement> unwrittenConsents = new ArrayList<ConsentStatement>();
        for (CartObservation observation : observations) {
            List<ConsentStatement> consent = consentByCart.remove(observation.getOrderId());
            List<ConsentStatement> itsConsent = consent == null ? Collections.<ConsentStatement>emptyList() : consent;
            RuntimeException failure = writeAlone(Collections.singletonList(observation), itsConsent);
            if (failure == null) {
                metrics.cartsCaptured(1);
                recordRejectedFields(Collections.singletonList(observation), reconciling);
            } else if (SqlFailures.isTransient(failure)) {
                unwrittenObservations.add(observation);
                unwrittenConsents.addAll(itsConsent);
            } else {
                reject(observation.getOrderId(), sourceOf(observation, reconciling), failure,
                        MaskedEmail.of(observation.getEmail()));
            }
        }
        for (List<ConsentStatement> consent : consentByCart.values()) {
            RuntimeException failure = writeAlone(Collections.<CartObservation>emptyList(), consent);
            if (failure != null && SqlFailures.isTransient(failure)) {
                unwrittenConsents.addAll(consent);
            } else if (failure != null) {
                reject(consent.get(0).getOrderId(),
                        reconciling ? CaptureRejections.Source.RECONCILIATION : CaptureRejections.Source.STOREFRONT,
                        failure, null);
            }
        }
        return unwrittenObservations.isEmpty() && unwrittenConsents.isEmpty()
                ? Unwritten.NOTHING : new Unwritten(unwrittenObservations, unwrittenConsents);
    }

    private RuntimeException writeAlone(List<CartObservation> observation, List<? extends ConsentStatement> consent) {
        RuntimeException failure = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                store.record(observation, consent);
                return null;
            } catch (RuntimeException e) {
                failure = e;
                if (SqlFailures.isTransient(e)) {
                    break;
                }
            }
        }
        return failure;
    }

    private void reject(long orderId, CaptureRejections.Source source, RuntimeException failure, String maskedEmail) {
        rejectedRows.incrementAndGet();
        metrics.captureRejected();
        String reason = SqlFailures.reason(failure);
        rejections.record(orderId, source, CaptureRejections.WHOLE_ROW, reason, maskedEmail);
        // without the exception: its message can quote the refused row (PostgreSQL's "Failing row contains (...)")
        log.warn("capture-refused:" + SqlFailures.kind(failure),
                "Cart Recovery could not capture cart " + orderId + " (" + reason + ", " + failure.getClass().getName()
                        + "); recorded in CR_CAPTURE_REJECTION, other carts are not affected", null);
    }

    private void recordRejectedFields(Collection<CartObservation> written, boolean reconciling) {
        for (CartObservation observation : written) {
            for (FieldRejection field : observation.getRejectedFields()) {
                rejections.record(observation.getOrderId(), sourceOf(observation, reconciling), field.getField(),
                        field.getReason(), field.getMaskedValue());
            }
        }
    }

    private static CaptureRejections.Source sourceOf(CartObservation observation, boolean reconciling) {
        if (reconciling) {
            return CaptureRejections.Source.RECONCILIATION;
        }
        return observation.getOrigin() == CartOrigin.ADMIN ? CaptureRejections.Source.ADMIN : CaptureRejections.Source.STOREFRONT;
    }

    /** Observations and consent statements not written because the database was unavailable. */
    public static final class Unwritten {
        static final Unwritten NOTHING = new Unwritten(Collections.<CartObservation>emptyList(),
                Collections.<ConsentStatement>emptyList());

        private final List<CartObservation> observations;
        private final List<ConsentStatement> consents;

        Unwritten(List<CartObservation> observations, List<? extends ConsentStatement> consents) {
            this.observations = observations;
            this.consents = new ArrayList<ConsentStatement>(consents);
        }

        public List<CartObservation> getObservations() { return observations; }
        public List<ConsentStatement> getConsents() { return consents; }
        public boolean isEmpty() { return observations.isEmpty() && consents.isEmpty(); }
    }
}
