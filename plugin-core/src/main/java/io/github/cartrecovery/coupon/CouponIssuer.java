package io.github.cartrecovery.coupon;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Date;
import java.util.Locale;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.broadleafcommerce.core.offer.domain.Offer;
import org.broadleafcommerce.core.offer.domain.OfferCode;
import org.broadleafcommerce.core.offer.service.OfferService;

/**
 * Issues the coupon of one message while delivery prepares it, inside delivery's transaction (so a message
 * that is not sent leaves no code behind): when {@link CouponRules} grant one, a new Broadleaf
 * {@link OfferCode} of the step's template offer with max uses 1, valid from now until the expiry, a
 * CR_COUPON row and a COUPON_ISSUED event. Idempotent per message: a retried send shows the same code.
 * Safe on every node (UQ_CR_COUPON_MESSAGE).
 */
public class CouponIssuer {

    private static final Log LOG = LogFactory.getLog(CouponIssuer.class);
    private static final int ATTEMPTS = 5;

    private final OfferService offers;
    private final TemplateOffers templates;
    private final CouponRules rules;
    private final CouponRecords records;
    private final CouponCodes codes;
    private final Clock clock;
    private final int defaultValidHours;
    private final ZoneId storeZone;

    public CouponIssuer(OfferService offers, TemplateOffers templates, CouponRules rules, CouponRecords records,
                        CouponCodes codes, Clock clock, int defaultValidHours, String storeTimeZone) {
        if (defaultValidHours < 1) {
            throw new IllegalArgumentException("cartrecovery.coupons.valid-hours must be at least 1, was " + defaultValidHours);
        }
        this.offers = offers;
        this.templates = templates;
        this.rules = rules;
        this.records = records;
        this.codes = codes;
        this.clock = clock;
        this.defaultValidHours = defaultValidHours;
        this.storeZone = ZoneId.of(storeTimeZone == null || storeTimeZone.trim().isEmpty() ? "UTC" : storeTimeZone.trim());
    }

    /**
     * The coupon this message carries, issuing it now if the step's policy grants one; null when it carries
     * none. Must run inside a transaction of blTransactionManager.
     */
    public IssuedCoupon issueFor(long plannedMessageId, long orderId, String email, CouponStep step, CouponCart cart) {
        CouponRule rule = CouponRule.parse(step.getCouponPolicy());
        if (rule == null || rule == CouponRule.NONE) {
            return null; // the common case: no database work at all
        }
        Instant now = clock.instant();
        Locale locale = locale(cart.getLocaleCode());
        CouponRecords.Coupon existing = records.forMessage(plannedMessageId);
        if (existing != null) {
            if (!existing.isOpenAt(now)) {
                return null;
            }
            OfferTerms terms = templates.terms(String.valueOf(existing.offerId));
            return terms == null ? null : view(existing.code, terms, existing.expiresAt, cart.getCurrencyCode(), locale);
        }
        CouponRequest request = new CouponRequest(plannedMessageId, orderId, email, step.getStepNo(), cart.total(),
                cart.itemQuantity(), cart.getCurrencyCode());
        Offer template = templates.find(step.getCouponOffer());
        OfferTerms terms = template == null ? null : TemplateOffers.terms(template);
        CouponRefusal refusal = rules.refusal(step, request, terms, now);
        if (refusal != null) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("Cart Recovery: planned message " + plannedMessageId + " carries no coupon: " + refusal);
            }
            return null;
        }
        Instant expiresAt = now.plus(Duration.ofHours(step.getCouponValidHours() == null ? defaultValidHours
                : step.getCouponValidHours()));
        if (terms.getEndsAt() != null && terms.getEndsAt().isBefore(expiresAt)) {
            expiresAt = terms.getEndsAt(); // a code cannot outlive its offer in Broadleaf's pricing
        }
        OfferCode offerCode = offers.getOfferCodeDao().create();
        offerCode.setOffer(template);
        offerCode.setMaxUses(1);
        offerCode.setStartDate(new Date(now.toEpochMilli()));
        offerCode.setEndDate(new Date(expiresAt.toEpochMilli()));
        String code = freeCode(null);
        offerCode.setOfferCode(code);
        offerCode = offers.saveOfferCode(offerCode);
        for (int attempt = 1; !records.insert(plannedMessageId, orderId, request.getEmail(), terms.getOfferId(),
                offerCode.getId(), code, now, expiresAt); attempt++) {
            if (attempt == ATTEMPTS) {
                throw new IllegalStateException("Cart Recovery: no unique coupon code after " + ATTEMPTS + " attempts");
            }
            code = freeCode(offerCode.getId());
            offerCode.setOfferCode(code); // still managed: the insert Hibernate flushes carries the new code
        }
        records.event(plannedMessageId, io.github.cartrecovery.messages.MessageEventType.COUPON_ISSUED, "offer=" + terms.getOfferId() + " offerCode=" + offerCode.getId()
                + " expires=" + expiresAt, now);
        return view(code, terms, expiresAt, cart.getCurrencyCode(), locale);
    }

    /** A random code no other Broadleaf offer code uses (a store may have made codes by hand). */
    private String freeCode(Long ownOfferCodeId) {
        for (int attempt = 1; ; attempt++) {
            String code = codes.next();
            OfferCode clash = offers.lookupOfferCodeByCode(code);
            if (clash == null || clash.getId().equals(ownOfferCodeId) || attempt == ATTEMPTS) {
                return code; // after that the database constraint decides
            }
        }
    }

    private IssuedCoupon view(String code, OfferTerms terms, Instant expiresAt, String currencyCode, Locale locale) {
        String expires = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.LONG).withLocale(locale).withZone(storeZone)
                .format(expiresAt);
        return new IssuedCoupon(code, terms.discountText(currencyCode, locale), expiresAt, expires);
    }

    private static Locale locale(String code) {
        if (code == null || code.trim().isEmpty()) {
            return Locale.US;
        }
        String[] parts = code.trim().split("[_-]");
        return parts.length > 1 ? new Locale(parts[0], parts[1]) : new Locale(parts[0]);
    }
}
