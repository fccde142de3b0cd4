package io.github.cartrecovery.coupon;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.broadleafcommerce.core.offer.domain.OfferCode;
import org.broadleafcommerce.core.offer.service.OfferAuditService;
import org.broadleafcommerce.core.offer.service.OfferService;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.cartrecovery.scheduling.ScheduledWork;

/**
 * The coupon clean-up job's work: closes open coupons that can no longer be meant for anyone, so Broadleaf
 * never accepts them. Unused codes past their expiry become EXPIRED and unused codes of a bought cart
 * REVOKED; both are archived in Broadleaf (OfferCode ARCHIVED = 'Y', end date now), which makes Broadleaf's
 * pricing ignore them even where they still sit on a cart. A code Broadleaf's offer audit shows as used
 * becomes REDEEMED and is left as it is (max uses 1 already stops it). One transaction per coupon,
 * conditional on STATUS = 'ISSUED': safe on every node, idempotent.
 */
public class CouponCleanup implements ScheduledWork {

    private static final Log LOG = LogFactory.getLog(CouponCleanup.class);

    private final CouponRecords records;
    private final OfferService offers;
    private final OfferAuditService audits;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final int batchSize;

    public CouponCleanup(CouponRecords records, OfferService offers, OfferAuditService audits,
                         PlatformTransactionManager transactionManager, Clock clock, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("cartrecovery.coupons.cleanup-batch-size must be at least 1, was " + batchSize);
        }
        this.records = records;
        this.offers = offers;
        this.audits = audits;
        this.transactions = new TransactionTemplate(transactionManager);
        this.clock = clock;
        this.batchSize = batchSize;
    }

    /** Closes up to one batch of expired and one of bought-cart coupons; returns how many it closed. */
    @Override
    public int run() {
        final Instant now = clock.instant();
        List<CouponRecords.Coupon> expired = transactions.execute(new TransactionCallback<List<CouponRecords.Coupon>>() {
            @Override
            public List<CouponRecords.Coupon> doInTransaction(TransactionStatus status) {
                return records.expired(now, batchSize);
            }
        });
        List<CouponRecords.Coupon> purchased = transactions.execute(new TransactionCallback<List<CouponRecords.Coupon>>() {
            @Override
            public List<CouponRecords.Coupon> doInTransaction(TransactionStatus status) {
                return records.forPurchasedCarts(batchSize);
            }
        });
        int closed = 0;
        for (CouponRecords.Coupon coupon : expired) {
            closed += close(coupon, CouponRecords.EXPIRED, now) ? 1 : 0;
        }
        for (CouponRecords.Coupon coupon : purchased) {
            closed += close(coupon, CouponRecords.REVOKED, now) ? 1 : 0;
        }
        return closed;
    }

    private boolean close(final CouponRecords.Coupon coupon, final String unusedStatus, final Instant now) {
        try {
            return transactions.execute(new TransactionCallback<Boolean>() {
                @Override
                public Boolean doInTransaction(TransactionStatus status) {
                    OfferCode code = offers.findOfferCodeById(coupon.offerCodeId);
                    boolean used = code != null && audits.countOfferCodeUses(code.getId()) > 0;
                    if (!records.close(coupon.id, used ? CouponRecords.REDEEMED : unusedStatus, now)) {
                        return false; // another node was first
                    }
                    if (code != null && !used) {
                        code.setArchived('Y');
                        code.setEndDate(new Date(now.toEpochMilli()));
                        offers.saveOfferCode(code);
                    }
                    return true;
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("Cart Recovery: coupon " + coupon.id + " could not be closed; the next run tries again", e);
            return false;
        }
    }
}
