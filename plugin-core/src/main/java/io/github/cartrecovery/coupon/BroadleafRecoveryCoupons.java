package io.github.cartrecovery.coupon;

import java.time.Clock;
import java.time.Instant;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.broadleafcommerce.core.offer.domain.OfferCode;
import org.broadleafcommerce.core.offer.service.OfferAuditService;
import org.broadleafcommerce.core.offer.service.OfferService;
import org.broadleafcommerce.core.offer.service.exception.OfferMaxUseExceededException;
import org.broadleafcommerce.core.order.domain.Order;
import org.broadleafcommerce.core.order.service.OrderService;
import org.broadleafcommerce.core.pricing.service.exception.PricingException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link RecoveryCoupons} on Broadleaf offers (bean {@code crRecoveryCoupons}): a message's code is usable
 * while its CR_COUPON row is open and unexpired, Broadleaf's OfferCode is active (dates, not archived) and
 * unused (Broadleaf's offer audit), and the message's cart was not bought. Applying goes through
 * {@code OrderService.addOfferCode}, so Broadleaf's own checks (max uses, per-customer limits) apply.
 */
public class BroadleafRecoveryCoupons implements RecoveryCoupons {

    private static final Log LOG = LogFactory.getLog(BroadleafRecoveryCoupons.class);

    private final CouponRecords records;
    private final CouponHistory history;
    private final OfferService offers;
    private final OfferAuditService audits;
    private final OrderService orders;
    private final TransactionTemplate transactions;
    private final Clock clock;

    public BroadleafRecoveryCoupons(CouponRecords records, CouponHistory history, OfferService offers,
                                    OfferAuditService audits, OrderService orders,
                                    PlatformTransactionManager transactionManager, Clock clock) {
        this.records = records;
        this.history = history;
        this.offers = offers;
        this.audits = audits;
        this.orders = orders;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
    }

    @Override
    public String validCodeFor(final long plannedMessageId) {
        return transactions.execute(new TransactionCallback<String>() {
            @Override
            public String doInTransaction(TransactionStatus status) {
                OfferCode code = usableCode(plannedMessageId);
                return code == null ? null : code.getOfferCode();
            }
        });
    }

    /**
     * Adds the message's code to the cart and reprices it. The cart is saved by Broadleaf (a caller holding
     * the order should re-read it, e.g. from CartState after a redirect). Never throws for a code that is
     * missing, expired, used, archived or already on the cart.
     */
    @Override
    public boolean applyTo(final Order cart, final long plannedMessageId) {
        if (cart == null) {
            return false;
        }
        return transactions.execute(new TransactionCallback<Boolean>() {
            @Override
            public Boolean doInTransaction(TransactionStatus status) {
                OfferCode code = usableCode(plannedMessageId);
                if (code == null) {
                    return false;
                }
                // the caller's order may be detached (read in another transaction): work on this one's copy
                Order order = cart.getId() == null ? cart : orders.findOrderById(cart.getId());
                if (order == null) {
                    return false;
                }
                if (order.getAddedOfferCodes().contains(code)) {
                    return true;
                }
                try {
                    Order saved = orders.addOfferCode(order, code, true);
                    return saved.getAddedOfferCodes().contains(code);
                } catch (OfferMaxUseExceededException e) {
                    LOG.info("Cart Recovery: coupon of planned message " + plannedMessageId + " refused by Broadleaf: "
                            + e.getMessage());
                    return false;
                } catch (PricingException e) {
                    LOG.warn("Cart Recovery: coupon of planned message " + plannedMessageId + " could not be priced", e);
                    status.setRollbackOnly();
                    return false;
                }
            }
        });
    }

    private OfferCode usableCode(long plannedMessageId) {
        Instant now = clock.instant();
        CouponRecords.Coupon coupon = records.forMessage(plannedMessageId);
        if (coupon == null || !coupon.isOpenAt(now) || history.isPurchased(coupon.orderId)) {
            return null;
        }
        OfferCode code = offers.findOfferCodeById(coupon.offerCodeId);
        if (code == null || !code.isActive()) {
            return null;
        }
        if (code.isLimitedUse() && audits.countOfferCodeUses(code.getId()) >= code.getMaxUses()) {
            return null;
        }
        return code;
    }
}
