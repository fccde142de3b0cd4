package io.github.cartrecovery.coupon;

import java.time.Instant;
import java.util.List;

import javax.persistence.EntityManager;
import javax.persistence.PersistenceContext;

import org.broadleafcommerce.core.offer.domain.Offer;
import org.broadleafcommerce.core.offer.domain.OfferImpl;

/**
 * Finds the template Broadleaf {@link Offer} a coupon policy names, by id (digits) or by name, and reads
 * its terms. A name that several live offers share is ambiguous and finds nothing. Stateless.
 */
public class TemplateOffers {

    /** Offers read for the editor's picker at most (a store with more names the rest by id or name in the list). */
    static final int MAX_PICKER_OFFERS = 500;

    @PersistenceContext(unitName = "blPU")
    private EntityManager entityManager;

    /** The offer itself (managed in the caller's transaction), or null. */
    public Offer find(String reference) {
        if (reference == null || reference.trim().isEmpty()) {
            return null;
        }
        String ref = reference.trim();
        if (ref.matches("\\d{1,18}")) {
            Offer byId = entityManager.find(OfferImpl.class, Long.valueOf(ref));
            if (byId != null) {
                return byId;
            }
        }
        List<OfferImpl> named = entityManager.createQuery("select o from OfferImpl o where o.name = :name",
                OfferImpl.class).setParameter("name", ref).getResultList();
        Offer found = null;
        for (OfferImpl offer : named) {
            if (!isArchived(offer)) {
                if (found != null) {
                    return null;
                }
                found = offer;
            }
        }
        return found;
    }

    /**
     * The offers a coupon policy can name (not archived, delivery type CODE, an ORDER or ORDER_ITEM offer taking a
     * percentage or an amount off), by name: what the campaign editor offers in its picker. Ended offers are included
     * (a step may name one that will be renewed); {@link CouponPolicyCheck} still checks the one chosen.
     */
    public List<OfferTerms> usableAsTemplates() {
        List<OfferTerms> usable = new java.util.ArrayList<OfferTerms>();
        for (OfferImpl offer : entityManager.createQuery("select o from OfferImpl o order by o.name, o.id", OfferImpl.class)
                .setMaxResults(MAX_PICKER_OFFERS).getResultList()) {
            OfferTerms terms = terms(offer);
            if (terms.unsupportedBecause() == null) {
                usable.add(terms);
            }
        }
        return usable;
    }

    /** The terms of the offer a policy names, or null. */
    public OfferTerms terms(String reference) {
        Offer offer = find(reference);
        return offer == null ? null : terms(offer);
    }

    static OfferTerms terms(Offer offer) {
        return new OfferTerms(offer.getId(), offer.getName(),
                offer.getType() == null ? null : offer.getType().getType(),
                offer.getDiscountType() == null ? null : offer.getDiscountType().getType(),
                offer.getValue(),
                offer.getDeliveryType() == null ? null : offer.getDeliveryType().getType(),
                offer.getStartDate() == null ? null : Instant.ofEpochMilli(offer.getStartDate().getTime()),
                offer.getEndDate() == null ? null : Instant.ofEpochMilli(offer.getEndDate().getTime()),
                isArchived(offer));
    }

    private static boolean isArchived(Offer offer) {
        return offer.getArchived() != null && offer.getArchived() == 'Y';
    }
}
