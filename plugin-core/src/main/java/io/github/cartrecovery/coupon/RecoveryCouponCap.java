package io.github.cartrecovery.coupon;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.broadleafcommerce.common.extension.ExtensionResultStatusType;
import org.broadleafcommerce.common.money.Money;
import org.broadleafcommerce.core.offer.domain.Adjustment;
import org.broadleafcommerce.core.offer.domain.OfferCode;
import org.broadleafcommerce.core.offer.domain.OrderAdjustment;
import org.broadleafcommerce.core.offer.domain.OrderItemPriceDetailAdjustment;
import org.broadleafcommerce.core.offer.service.AbstractOfferServiceExtensionHandler;
import org.broadleafcommerce.core.offer.service.OfferServiceExtensionManager;
import org.broadleafcommerce.core.offer.service.discount.domain.PromotableOrder;
import org.broadleafcommerce.core.order.domain.Order;
import org.broadleafcommerce.core.order.domain.OrderItem;
import org.broadleafcommerce.core.order.domain.OrderItemPriceDetail;

/**
 * Enforces a recovery code's maximum discount whenever Broadleaf prices a cart, whichever way the code got
 * there (restore link, typed at checkout, another cart than the one it was issued for). Broadleaf 3.1 offers
 * have no maximum discount of their own, and a percent-off template offer takes more off a bigger cart than
 * the one checked at issue; so after Broadleaf has written the offer's adjustments to the order (extension
 * point {@code synchronizeAdjustmentsAndPrices}, before it sums the subtotal and saves), the adjustments of
 * each recovery code's offer are scaled down, rounded down to the currency's cents, until together they
 * take off at most the step's maximum in the order's currency ({@link CouponCaps}). Runs on every pricing, so the cap follows the
 * cart as it grows or shrinks. Stateless; registered with {@code blOfferServiceExtensionManager}.
 */
public class RecoveryCouponCap extends AbstractOfferServiceExtensionHandler {

    private static final Log LOG = LogFactory.getLog(RecoveryCouponCap.class);

    private final OfferServiceExtensionManager extensions;
    private final CouponCaps caps;

    public RecoveryCouponCap(OfferServiceExtensionManager extensions, CouponCaps caps) {
        this.extensions = extensions;
        this.caps = caps;
    }

    /** Spring init-method. */
    public void register() {
        extensions.registerHandler(this);
    }

    @Override
    public ExtensionResultStatusType synchronizeAdjustmentsAndPrices(PromotableOrder promotableOrder) {
        Order order = promotableOrder.getOrder();
        if (order == null || order.getAddedOfferCodes() == null || order.getAddedOfferCodes().isEmpty()) {
            return ExtensionResultStatusType.NOT_HANDLED; // the common case: no lookup at all
        }
        Map<String, OfferCode> byCode = new HashMap<String, OfferCode>();
        for (OfferCode code : order.getAddedOfferCodes()) {
            if (code.getOfferCode() != null && code.getOffer() != null) {
                byCode.put(code.getOfferCode(), code);
            }
        }
        // several recovery codes of one template offer: Broadleaf applies the offer once; the smallest cap holds
        Map<Long, BigDecimal> capByOffer = new HashMap<Long, BigDecimal>();
        for (Map.Entry<String, BigDecimal> cap : caps.forCodes(byCode.keySet(), currencyOf(order)).entrySet()) {
            if (cap.getValue().compareTo(CouponCaps.NO_MAXIMUM) == 0) {
                continue;
            }
            Long offerId = byCode.get(cap.getKey()).getOffer().getId();
            BigDecimal known = capByOffer.get(offerId);
            capByOffer.put(offerId, known == null ? cap.getValue() : known.min(cap.getValue()));
        }
        for (Map.Entry<Long, BigDecimal> cap : capByOffer.entrySet()) {
            capOffer(order, cap.getKey(), cap.getValue());
        }
        return ExtensionResultStatusType.HANDLED_CONTINUE;
    }

    private static String currencyOf(Order order) {
        return order.getCurrency() == null ? null : order.getCurrency().getCurrencyCode();
    }

    private void capOffer(Order order, Long offerId, BigDecimal cap) {
        List<Share> shares = new ArrayList<Share>();
        for (OrderAdjustment adjustment : order.getOrderAdjustments()) {
            if (isOf(adjustment, offerId)) {
                shares.add(new Share(adjustment, 1));
            }
        }
        for (OrderItem item : order.getOrderItems()) {
            for (OrderItemPriceDetail detail : item.getOrderItemPriceDetails()) {
                for (OrderItemPriceDetailAdjustment adjustment : detail.getOrderItemPriceDetailAdjustments()) {
                    if (isOf(adjustment, offerId)) {
                        shares.add(new Share(adjustment, detail.getQuantity()));
                    }
                }
            }
        }
        BigDecimal total = BigDecimal.ZERO;
        for (Share share : shares) {
            total = total.add(share.total());
        }
        if (total.compareTo(cap) <= 0) {
            return;
        }
        BigDecimal factor = cap.max(BigDecimal.ZERO).divide(total, MathContext.DECIMAL64);
        for (Share share : shares) {
            share.scale(factor);
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("Cart Recovery: order " + order.getId() + ": recovery coupon offer " + offerId + " took " + total
                    + " off, capped at the step's maximum " + cap);
        }
    }

    private static boolean isOf(Adjustment adjustment, Long offerId) {
        return adjustment.getOffer() != null && offerId.equals(adjustment.getOffer().getId())
                && adjustment.getValue() != null;
    }

    /** One adjustment of the offer: its value per unit and how many units it applies to. */
    private static final class Share {
        final Adjustment adjustment;
        final int units;

        Share(Adjustment adjustment, int units) {
            this.adjustment = adjustment;
            this.units = units;
        }

        BigDecimal total() {
            return adjustment.getValue().getAmount().multiply(new BigDecimal(units));
        }

        void scale(BigDecimal factor) {
            adjustment.setValue(scaled(adjustment.getValue(), factor));
            if (adjustment instanceof OrderItemPriceDetailAdjustment) {
                OrderItemPriceDetailAdjustment item = (OrderItemPriceDetailAdjustment) adjustment;
                if (item.getRetailPriceValue() != null) {
                    item.setRetailPriceValue(scaled(item.getRetailPriceValue(), factor));
                }
                if (item.getSalesPriceValue() != null) {
                    item.setSalesPriceValue(scaled(item.getSalesPriceValue(), factor));
                }
            }
        }

        /** Rounded down to the currency's minor unit, so the scaled shares never add up to more than the cap. */
        private static Money scaled(Money value, BigDecimal factor) {
            int digits = value.getCurrency() == null || value.getCurrency().getDefaultFractionDigits() < 0 ? 2
                    : value.getCurrency().getDefaultFractionDigits();
            BigDecimal amount = value.getAmount().multiply(factor).setScale(digits, RoundingMode.DOWN);
            return new Money(amount, value.getCurrency());
        }
    }
}
