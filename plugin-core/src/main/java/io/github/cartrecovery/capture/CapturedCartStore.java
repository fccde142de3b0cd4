package io.github.cartrecovery.capture;

import java.util.Collection;
import java.util.Collections;
import java.util.Date;

import javax.persistence.EntityManager;
import javax.persistence.PersistenceContext;

import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes observations into {@link CapturedCart} records. One transaction per batch; idempotent (applying
 * the same observation twice leaves the same record). A final status is never left by a later
 * observation: a purchased cart stays purchased.
 */
public class CapturedCartStore {

    @PersistenceContext(unitName = "blPU")
    private EntityManager entityManager;

    @Transactional(value = "blTransactionManager", propagation = Propagation.REQUIRES_NEW)
    public void record(Collection<CartObservation> observations) {
        record(observations, Collections.<ConsentStatement>emptyList());
    }

    /**
     * Observations first, then consent statements (email and SMS), in one transaction. A consent for a cart with no record
     * yet starts one (its order values arrive with the next observation or reconciliation).
     */
    @Transactional(value = "blTransactionManager", propagation = Propagation.REQUIRES_NEW)
    public void record(Collection<CartObservation> observations, Collection<? extends ConsentStatement> consents) {
        for (CartObservation observation : observations) {
            CapturedCart cart = entityManager.find(CapturedCart.class, observation.getOrderId());
            if (cart == null) {
                if (observation.getOrderState() == CartObservation.OrderState.DELETED) {
                    continue; // never seen alive: nothing to remember
                }
                cart = new CapturedCart(observation.getOrderId(), Date.from(observation.getObservedAt()),
                        observation.getOrigin());
                cart.observe(observation);
                entityManager.persist(cart);
            } else {
                cart.observe(observation);
            }
        }
        for (ConsentStatement consent : consents) {
            CapturedCart cart = entityManager.find(CapturedCart.class, consent.getOrderId());
            if (cart == null) {
                cart = new CapturedCart(consent.getOrderId(), Date.from(consent.getObservedAt()), CartOrigin.STOREFRONT);
                consent.applyTo(cart);
                entityManager.persist(cart);
            } else {
                consent.applyTo(cart);
            }
        }
    }

    @Transactional(value = "blTransactionManager", readOnly = true)
    public CapturedCart find(long orderId) {
        CapturedCart cart = entityManager.find(CapturedCart.class, orderId);
        if (cart != null) {
            cart.getItems().size();
        }
        return cart;
    }
}
