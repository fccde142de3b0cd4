package io.github.cartrecovery.testing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

import org.broadleafcommerce.core.offer.domain.Offer;
import org.broadleafcommerce.core.offer.service.OfferService;
import org.broadleafcommerce.core.offer.service.type.OfferDeliveryType;
import org.broadleafcommerce.core.offer.service.type.OfferDiscountType;
import org.broadleafcommerce.core.offer.service.type.OfferType;
import org.springframework.transaction.support.TransactionTemplate;

/** Broadleaf offers for coupon tests, made through Broadleaf's OfferService as a store's admin would. */
public final class Offers {

    private Offers() {
    }

    /** A template offer for recovery coupons: percent off the order, delivered by code, uniquely named. */
    public static Offer templateOffer(OfferService offerService, TransactionTemplate transactions, String percentOff) {
        return transactions.execute(status -> {
            Offer offer = offerService.getOfferDao().create();
            offer.setName("Recovery " + percentOff + "% " + UUID.randomUUID().toString().substring(0, 8));
            offer.setDescription("template for recovery coupons");
            offer.setType(OfferType.ORDER);
            offer.setDiscountType(OfferDiscountType.PERCENT_OFF);
            offer.setValue(new BigDecimal(percentOff));
            offer.setDeliveryType(OfferDeliveryType.CODE);
            offer.setStartDate(new Date(Instant.parse("2020-01-01T00:00:00Z").toEpochMilli()));
            offer.setCombinableWithOtherOffers(true);
            return offerService.save(offer);
        });
    }
}
