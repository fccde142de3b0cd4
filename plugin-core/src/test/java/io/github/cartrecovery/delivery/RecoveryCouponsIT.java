package io.github.cartrecovery.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import javax.annotation.Resource;

import org.broadleafcommerce.common.money.Money;
import org.broadleafcommerce.common.payment.PaymentGatewayType;
import org.broadleafcommerce.common.payment.PaymentTransactionType;
import org.broadleafcommerce.common.payment.PaymentType;
import org.broadleafcommerce.common.time.SystemTime;
import org.broadleafcommerce.core.checkout.service.CheckoutService;
import org.broadleafcommerce.core.offer.domain.Offer;
import org.broadleafcommerce.core.offer.domain.OfferCode;
import org.broadleafcommerce.core.offer.service.OfferAuditService;
import org.broadleafcommerce.core.offer.service.OfferService;
import org.broadleafcommerce.core.offer.service.exception.OfferMaxUseExceededException;
import org.broadleafcommerce.core.order.domain.Order;
import org.broadleafcommerce.core.order.service.OrderService;
import org.broadleafcommerce.core.order.service.type.OrderStatus;
import org.broadleafcommerce.core.payment.domain.OrderPayment;
import org.broadleafcommerce.core.payment.domain.PaymentTransaction;
import org.broadleafcommerce.core.payment.service.OrderPaymentService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;

import io.github.cartrecovery.campaign.Campaign;
import io.github.cartrecovery.campaign.CampaignCondition;
import io.github.cartrecovery.campaign.CampaignRepository;
import io.github.cartrecovery.campaign.CampaignStatus;
import io.github.cartrecovery.campaign.CampaignStep;
import io.github.cartrecovery.campaign.ConditionType;
import io.github.cartrecovery.campaign.InvalidCampaignException;
import io.github.cartrecovery.campaign.RecoveryPlanner;
import io.github.cartrecovery.coupon.CouponCodes;
import io.github.cartrecovery.coupon.CouponIssuer;
import io.github.cartrecovery.coupon.CouponRecords;
import io.github.cartrecovery.coupon.CouponRules;
import io.github.cartrecovery.coupon.IssuedCoupon;
import io.github.cartrecovery.coupon.RecoveryCoupons;
import io.github.cartrecovery.coupon.TemplateOffers;
import io.github.cartrecovery.rendering.CartLine;
import io.github.cartrecovery.rendering.RecoveryCart;
import io.github.cartrecovery.scheduling.ScheduledJob;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;
import jakarta.mail.internet.MimeMessage;

/**
 * Unique coupons on Broadleaf offers, end to end in the real Broadleaf context: issued while delivery
 * prepares a message, shown in the email, applied to a real cart by Broadleaf's OrderService, single use
 * through a real checkout, the rules, and the clean-up job. Broadleaf's own time (SystemTime) follows the
 * plugin's test clock, so expiry is judged the same way on both sides.
 */
@BroadleafWithPlugin
class RecoveryCouponsIT {

    private static final AtomicLong FAKE_MESSAGE_IDS = new AtomicLong(900_000_000L + (System.nanoTime() % 1_000_000L) * 100);

    @Resource(name = "crRecoveryPlanner")
    RecoveryPlanner planner;
    @Resource(name = "crCampaignRepository")
    CampaignRepository campaigns;
    @Resource(name = "crCouponIssuer")
    CouponIssuer issuer;
    @Resource(name = "crRecoveryCoupons")
    RecoveryCoupons coupons;
    @Resource(name = "crCouponCleanupJob")
    ScheduledJob cleanupJob;
    @Resource(name = "blOfferService")
    OfferService offerService;
    @Resource(name = "blOfferAuditService")
    OfferAuditService offerAudits;
    @Resource(name = "blOrderService")
    OrderService orderService;
    @Resource(name = "blCheckoutService")
    CheckoutService checkoutService;
    @Resource(name = "blOrderPaymentService")
    OrderPaymentService payments;

    PluginContext broadleaf;
    RecoveryFixture fixture;
    TransactionTemplate transactions;
    GreenMail smtp;
    MessageDelivery delivery;
    Instant clockBefore;

    @BeforeEach
    void start(PluginContext broadleaf) {
        this.broadleaf = broadleaf;
        fixture = new RecoveryFixture(broadleaf);
        transactions = new TransactionTemplate(broadleaf.bean("crTransactionManager", PlatformTransactionManager.class));
        // Store makes products active from the real yesterday: the shared clock moves to real time for this
        // test (and back afterwards, so other test classes find it where they left it)
        clockBefore = fixture.clock.instant();
        Instant realNow = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        if (fixture.clock.instant().isBefore(realNow)) {
            fixture.clock.set(realNow);
        }
        SystemTime.setGlobalTimeSource(() -> fixture.clock.millis());
        int port = RecoveryFixture.freePort();
        smtp = RecoveryFixture.greenMail(port);
        delivery = fixture.deliveryTo(port);
        delivery.setCoupons(issuer);
    }

    @AfterEach
    void stop() {
        smtp.stop();
        SystemTime.reset();
        fixture.clock.set(clockBefore);
    }

    // ---------------------------------------------------------------- issued at send time, shown in the email

    @Test
    void aStepThatGrantsACouponSendsEachShopperAUniqueSingleUseBroadleafCode() throws Exception {
        Offer template = templateOffer("10");
        Campaign campaign = couponCampaign(template.getName());
        try {
            Instant abandoned = fixture.nextMorning();
            String jane = RecoveryFixture.uniqueEmail("coupon-jane");
            String john = RecoveryFixture.uniqueEmail("coupon-john");
            Order janesCart = fixture.abandonedCart(jane, "Tea Caddy", "40.00", 1, "en_IE", "EUR");
            Order johnsCart = fixture.abandonedCart(john, "Tea Caddy", "40.00", 1, "en_IE", "EUR");
            planner.planDue();
            fixture.clock.set(abandoned.plus(Duration.ofHours(1)));
            delivery.deliverDue(100);
            fixture.clock.set(abandoned.plus(Duration.ofHours(2)));
            delivery.deliverDue(100);

            MimeMessage[] janes = smtp.getReceivedMessagesForDomain(jane);
            assertThat(janes).as(fixture.describe(janesCart.getId())).hasSize(2);
            long stepTwo = plannedId(janesCart, 2);
            Map<String, Object> coupon = fixture.jdbc.queryForMap("SELECT * FROM CR_COUPON WHERE PLANNED_MESSAGE_ID = ?", stepTwo);
            String code = (String) value(coupon, "CODE");
            assertThat(code).matches("CR-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}");
            assertThat(fixture.jdbc.queryForObject("SELECT COUNT(*) FROM CR_COUPON WHERE PLANNED_MESSAGE_ID = ?",
                    Integer.class, plannedId(janesCart, 1))).as("no coupon in the first step").isZero();

            Map<String, Object> offerCode = fixture.jdbc.queryForMap(
                    "SELECT OFFER_ID, MAX_USES, START_DATE, END_DATE, ARCHIVED FROM BLC_OFFER_CODE WHERE OFFER_CODE = ?", code);
            assertThat(((Number) value(offerCode, "OFFER_ID")).longValue()).isEqualTo(template.getId());
            assertThat(((Number) value(offerCode, "MAX_USES")).intValue()).isEqualTo(1);
            Instant sent = abandoned.plus(Duration.ofHours(2));
            assertThat(((java.sql.Timestamp) value(offerCode, "START_DATE")).toInstant()).isEqualTo(sent);
            assertThat(((java.sql.Timestamp) value(offerCode, "END_DATE")).toInstant()).isEqualTo(sent.plus(Duration.ofHours(72)));

            MimeMessage withCoupon = janes[1];
            String html = RecoverySequenceIT.htmlPart(withCoupon);
            assertThat(html).contains(code).contains("10%").contains("valid until");
            assertThat(GreenMailUtil.getWholeMessage(janes[0])).doesNotContain("CR-");
            assertThat(GreenMailUtil.getWholeMessage(withCoupon)).contains("Your code for 10% off: " + code);
            assertThat(fixture.jdbc.queryForObject("SELECT COUNT(*) FROM CR_MESSAGE_EVENT WHERE PLANNED_MESSAGE_ID = ? "
                    + "AND EVENT_TYPE = 'COUPON_ISSUED'", Integer.class, stepTwo)).isEqualTo(1);

            String johnsCode = fixture.jdbc.queryForObject("SELECT CODE FROM CR_COUPON WHERE PLANNED_MESSAGE_ID = ?",
                    String.class, plannedId(johnsCart, 2));
            assertThat(johnsCode).isNotEqualTo(code);
            assertThat(coupons.validCodeFor(stepTwo)).isEqualTo(code);
        } finally {
            disable(campaign);
        }
    }

    @Test
    void aRetriedSendShowsTheSameCode() {
        Offer template = templateOffer("10");
        Order cart = cart(RecoveryFixture.uniqueEmail("retry"), "40.00");
        long message = FAKE_MESSAGE_IDS.incrementAndGet();
        IssuedCoupon first = issue(message, cart, step(2, "ANY", template.getName(), null));
        IssuedCoupon again = issue(message, cart, step(2, "ANY", template.getName(), null));
        assertThat(first).isNotNull();
        assertThat(again.getCode()).isEqualTo(first.getCode());
        assertThat(fixture.jdbc.queryForObject("SELECT COUNT(*) FROM BLC_OFFER_CODE WHERE OFFER_CODE = ?", Integer.class,
                first.getCode())).isEqualTo(1);
    }

    @Test
    void aCodeThatIsAlreadyTakenIsReplacedByANewRandomOne() {
        Offer template = templateOffer("10");
        String taken = "CR-TAKE-N" + UUID.randomUUID().toString().substring(0, 3).toUpperCase() + "-XXXX";
        fixture.jdbc.update("INSERT INTO CR_COUPON (PLANNED_MESSAGE_ID, ORDER_ID, EMAIL, OFFER_ID, OFFER_CODE_ID, CODE, STATUS, "
                + "ISSUED_AT, EXPIRES_AT) VALUES (?, -1, 'x@example.com', -1, -1, ?, 'EXPIRED', ?, ?)",
                FAKE_MESSAGE_IDS.incrementAndGet(), taken, ts(fixture.clock.instant()), ts(fixture.clock.instant()));
        CouponCodes takenFirst = new CouponCodes("CR") {
            boolean first = true;

            @Override
            public String next() {
                if (first) {
                    first = false;
                    return taken;
                }
                return super.next();
            }
        };
        CouponIssuer withClash = new CouponIssuer(offerService, broadleaf.bean("crTemplateOffers", TemplateOffers.class),
                broadleaf.bean("crCouponRules", CouponRules.class), broadleaf.bean("crCouponRecords", CouponRecords.class),
                takenFirst, fixture.clock, 72, "UTC");
        Order cart = cart(RecoveryFixture.uniqueEmail("clash"), "40.00");
        long message = FAKE_MESSAGE_IDS.incrementAndGet();
        IssuedCoupon coupon = transactions.execute(status -> withClash.issueFor(message, cart.getId(), cart.getEmailAddress(),
                step(2, "ANY", template.getName(), null), recoveryCart("40.00")));
        assertThat(coupon.getCode()).isNotEqualTo(taken).startsWith("CR-");
        assertThat(fixture.jdbc.queryForObject("SELECT OFFER_CODE FROM BLC_OFFER_CODE WHERE OFFER_CODE_ID = "
                + "(SELECT OFFER_CODE_ID FROM CR_COUPON WHERE PLANNED_MESSAGE_ID = ?)", String.class, message))
                .isEqualTo(coupon.getCode());
    }

    // ---------------------------------------------------------------- applied to a real cart, once

    @Test
    void applyingTheCodeLowersTheCartTotalAndItWorksOnlyOnce() throws Exception {
        Offer template = templateOffer("10");
        Order cart = cart(RecoveryFixture.uniqueEmail("apply"), "40.00");
        long id = cart.getId();
        long message = FAKE_MESSAGE_IDS.incrementAndGet();
        IssuedCoupon coupon = issue(message, cart, step(2, "ANY", template.getName(), null));
        Money subTotalBefore = inTx(() -> orderService.findOrderById(id).getSubTotal());
        Money totalBefore = inTx(() -> orderService.findOrderById(id).getTotal());

        assertThat(coupons.applyTo(orderService.findOrderById(id), message)).isTrue();
        inTx(() -> {
            Order discounted = orderService.findOrderById(id);
            assertThat(discounted.getAddedOfferCodes()).extracting(OfferCode::getOfferCode).containsExactly(coupon.getCode());
            assertThat(discounted.getOrderAdjustmentsValue().getAmount()).isEqualByComparingTo("4.00");
            assertThat(discounted.getTotal().lessThan(totalBefore)).as("total %s, before %s", discounted.getTotal(), totalBefore).isTrue();
            assertThat(discounted.getSubTotal()).isEqualTo(subTotalBefore);
            return null;
        });

        assertThat(coupons.applyTo(orderService.findOrderById(id), message)).as("applying again is harmless").isTrue();
        assertThat(inTx(() -> orderService.findOrderById(id).getAddedOfferCodes().size())).isEqualTo(1);

        checkOut(id);
        long offerCodeId = inTx(() -> offerService.lookupOfferCodeByCode(coupon.getCode()).getId());
        assertThat(offerAudits.countOfferCodeUses(offerCodeId)).isEqualTo(1L);

        // a second use: Broadleaf itself refuses the code, and the plugin neither offers nor applies it
        long another = cart(RecoveryFixture.uniqueEmail("second-use"), "40.00").getId();
        assertThatThrownBy(() -> inTx(() -> orderService.addOfferCode(orderService.findOrderById(another),
                offerService.lookupOfferCodeByCode(coupon.getCode()), true)))
                .hasCauseInstanceOf(OfferMaxUseExceededException.class);
        assertThat(coupons.validCodeFor(message)).isNull();
        assertThat(coupons.applyTo(orderService.findOrderById(another), message)).isFalse();
        assertThat(inTx(() -> orderService.findOrderById(another).getAddedOfferCodes().size())).isZero();
    }

    @Test
    void anExpiredCodeIsNotAppliedAndBroadleafGivesNoDiscountForIt() throws Exception {
        Offer template = templateOffer("10");
        Order cart = cart(RecoveryFixture.uniqueEmail("expired"), "40.00");
        long id = cart.getId();
        long message = FAKE_MESSAGE_IDS.incrementAndGet();
        IssuedCoupon coupon = issue(message, cart, step(2, "ANY", template.getName(), null));
        fixture.clock.advance(Duration.ofHours(72).plusSeconds(1));

        assertThat(coupons.validCodeFor(message)).isNull();
        assertThat(coupons.applyTo(orderService.findOrderById(id), message)).isFalse();
        assertThat(inTx(() -> orderService.findOrderById(id).getAddedOfferCodes().size())).isZero();

        // typed in by hand, Broadleaf takes the expired code onto the cart but prices nothing for it
        BigDecimal adjustments = inTx(() -> orderService.addOfferCode(orderService.findOrderById(id),
                offerService.lookupOfferCodeByCode(coupon.getCode()), true).getOrderAdjustmentsValue().getAmount());
        assertThat(adjustments).isEqualByComparingTo("0");
    }

    @Test
    void applyingWithoutACouponIsHarmless() {
        Order cart = cart(RecoveryFixture.uniqueEmail("none"), "40.00");
        assertThat(coupons.validCodeFor(FAKE_MESSAGE_IDS.incrementAndGet())).isNull();
        assertThat(coupons.applyTo(orderService.findOrderById(cart.getId()), FAKE_MESSAGE_IDS.incrementAndGet())).isFalse();
        assertThat(coupons.applyTo(null, 1L)).isFalse();
    }

    // ---------------------------------------------------------------- rules

    @Test
    void noCouponInTheFirstStepByDefault() {
        Offer template = templateOffer("10");
        Order cart = cart(RecoveryFixture.uniqueEmail("first"), "40.00");
        assertThat(issue(FAKE_MESSAGE_IDS.incrementAndGet(), cart, step(1, "ANY", template.getName(), null))).isNull();
        assertThat(couponsFor(cart)).isZero();
    }

    @Test
    void noSecondCouponForTheSameAddressWithinTheWindow() {
        Offer template = templateOffer("10");
        String email = RecoveryFixture.uniqueEmail("window");
        Order first = cart(email, "40.00");
        Order second = cart(email.toUpperCase(java.util.Locale.ROOT), "40.00");
        assertThat(issue(FAKE_MESSAGE_IDS.incrementAndGet(), first, step(2, "ANY", template.getName(), null))).isNotNull();
        assertThat(issue(FAKE_MESSAGE_IDS.incrementAndGet(), second, step(2, "ANY", template.getName(), null))).isNull();
        fixture.clock.advance(Duration.ofDays(30).plusSeconds(1));
        assertThat(issue(FAKE_MESSAGE_IDS.incrementAndGet(), second, step(3, "ANY", template.getName(), null))).isNotNull();
    }

    @Test
    void segmentsNewReturningAndHighValue() {
        Offer template = templateOffer("10");
        String email = RecoveryFixture.uniqueEmail("segment");
        Order newShopper = cart(email, "40.00");
        assertThat(issue(FAKE_MESSAGE_IDS.incrementAndGet(), newShopper, step(2, "RETURNING", template.getName(), null))).isNull();
        assertThat(issue(FAKE_MESSAGE_IDS.incrementAndGet(), newShopper, step(2, "NEW", template.getName(), null))).isNotNull();

        String returningEmail = RecoveryFixture.uniqueEmail("returning");
        Order earlier = cart(returningEmail, "10.00");
        fixture.jdbc.update("UPDATE BLC_ORDER SET ORDER_STATUS = 'SUBMITTED', SUBMIT_DATE = ? WHERE ORDER_ID = ?",
                ts(fixture.clock.instant()), earlier.getId());
        Order returning = cart(returningEmail, "40.00");
        assertThat(issue(FAKE_MESSAGE_IDS.incrementAndGet(), returning, step(2, "NEW", template.getName(), null))).isNull();
        assertThat(issue(FAKE_MESSAGE_IDS.incrementAndGet(), returning, step(2, "RETURNING", template.getName(), null))).isNotNull();

        Order small = cart(RecoveryFixture.uniqueEmail("small"), "99.99");
        Order big = cart(RecoveryFixture.uniqueEmail("big"), "150.00");
        assertThat(issueFor(FAKE_MESSAGE_IDS.incrementAndGet(), small, "99.99", step(2, "HIGH_VALUE", template.getName(), null))).isNull();
        assertThat(issueFor(FAKE_MESSAGE_IDS.incrementAndGet(), big, "150.00", step(2, "HIGH_VALUE", template.getName(), null))).isNotNull();
    }

    @Test
    void noCouponWhenTheOfferWouldTakeMoreThanTheMaximumDiscountOffThisCart() {
        Offer template = templateOffer("10"); // 10% of 40.00 = 4.00
        Order cart = cart(RecoveryFixture.uniqueEmail("max"), "40.00");
        assertThat(issue(FAKE_MESSAGE_IDS.incrementAndGet(), cart, step(2, "ANY", template.getName(), new BigDecimal("3.99")))).isNull();
        assertThat(couponsFor(cart)).isZero();
        assertThat(issue(FAKE_MESSAGE_IDS.incrementAndGet(), cart, step(2, "ANY", template.getName(), new BigDecimal("4.00")))).isNotNull();
    }

    @Test
    void noNewCodeForAPurchasedCart() throws Exception {
        Offer template = templateOffer("10");
        Order cart = cart(RecoveryFixture.uniqueEmail("bought"), "40.00");
        checkOut(cart.getId());
        assertThat(issue(FAKE_MESSAGE_IDS.incrementAndGet(), cart, step(2, "ANY", template.getName(), null))).isNull();
        assertThat(couponsFor(cart)).isZero();
    }

    @Test
    void aBadCouponPolicyIsRejectedOnSaveWithAClearMessageAndNothingIsWritten() {
        int before = fixture.jdbc.queryForObject("SELECT COUNT(*) FROM CR_CAMPAIGN", Integer.class);
        assertThatThrownBy(() -> campaigns.save(new Campaign(null, "Bad coupons " + UUID.randomUUID(), CampaignStatus.ENABLED, 1,
                fixture.clock.instant())
                .addStep(step(1, "ANY", "no such offer " + UUID.randomUUID(), null))
                .addStep(step(2, "SOMETIMES", null, null))))
                .isInstanceOf(InvalidCampaignException.class)
                .hasMessageContaining("steps[1].couponPolicy: no coupon in the first step")
                .hasMessageContaining("steps[1].couponOffer: no single live Broadleaf offer with id or name 'no such offer")
                .hasMessageContaining("steps[2].couponPolicy: unknown rule 'SOMETIMES'");
        assertThat(fixture.jdbc.queryForObject("SELECT COUNT(*) FROM CR_CAMPAIGN", Integer.class)).isEqualTo(before);
    }

    // ---------------------------------------------------------------- clean-up job

    @Test
    void theCleanupJobArchivesExpiredAndPurchasedCartCodesInBroadleaf() throws Exception {
        Offer template = templateOffer("10");
        Order open = cart(RecoveryFixture.uniqueEmail("cleanup-open"), "40.00");
        Order bought = cart(RecoveryFixture.uniqueEmail("cleanup-bought"), "40.00");
        long openMessage = FAKE_MESSAGE_IDS.incrementAndGet();
        long boughtMessage = FAKE_MESSAGE_IDS.incrementAndGet();
        IssuedCoupon openCoupon = issue(openMessage, open, step(2, "ANY", template.getName(), null));
        IssuedCoupon boughtCoupon = issue(boughtMessage, bought, step(2, "ANY", template.getName(), null));
        checkOut(bought.getId()); // bought without its code

        cleanupJob.getWork().run();
        assertThat(couponStatus(boughtMessage)).isEqualTo("REVOKED");
        assertThat(archived(boughtCoupon.getCode())).isEqualTo("Y");
        assertThat(offerService.lookupOfferCodeByCode(boughtCoupon.getCode())).as("typed in, Broadleaf finds no such code").isNull();
        assertThat(couponStatus(openMessage)).isEqualTo("ISSUED");
        assertThat(archived(openCoupon.getCode())).isEqualTo("N");
        assertThat(offerService.lookupOfferCodeByCode(openCoupon.getCode())).isNotNull();

        fixture.clock.advance(Duration.ofHours(72));
        cleanupJob.getWork().run();
        assertThat(couponStatus(openMessage)).isEqualTo("EXPIRED");
        assertThat(archived(openCoupon.getCode())).isEqualTo("Y");
        assertThat(offerService.lookupOfferCodeByCode(openCoupon.getCode())).isNull();
        assertThat(cleanupJob.getWork().run()).as("nothing left to close for these two").isGreaterThanOrEqualTo(0);
        assertThat(couponStatus(openMessage)).isEqualTo("EXPIRED");
    }

    @Test
    void theCleanupJobLeavesARedeemedCodeAsItIs() throws Exception {
        Offer template = templateOffer("10");
        Order cart = cart(RecoveryFixture.uniqueEmail("cleanup-redeemed"), "40.00");
        long message = FAKE_MESSAGE_IDS.incrementAndGet();
        IssuedCoupon coupon = issue(message, cart, step(2, "ANY", template.getName(), null));
        assertThat(coupons.applyTo(orderService.findOrderById(cart.getId()), message)).isTrue();
        checkOut(cart.getId());

        cleanupJob.getWork().run();
        assertThat(couponStatus(message)).isEqualTo("REDEEMED");
        assertThat(archived(coupon.getCode())).isEqualTo("N");
    }

    // ---------------------------------------------------------------- arrangement

    private Offer templateOffer(String percentOff) {
        return io.github.cartrecovery.testing.Offers.templateOffer(offerService, transactions, percentOff);
    }

    private Campaign couponCampaign(String offerName) {
        return campaigns.save(new Campaign(null, "Coupons " + UUID.randomUUID(), CampaignStatus.ENABLED, 60, fixture.clock.instant())
                .addCondition(new CampaignCondition(ConditionType.LOCALE, null, null, "en_IE"))
                .addStep(new CampaignStep(null, 1, 60, "gentle-reminder", Collections.singletonMap("*", "Your cart")))
                .addStep(new CampaignStep(null, 2, 60, "value-reminder", Collections.singletonMap("*", "A little something"))
                        .withCoupon("ANY", offerName, null, null)));
    }

    private void disable(Campaign campaign) {
        fixture.jdbc.update("UPDATE CR_CAMPAIGN SET STATUS = 'DISABLED' WHERE ID = ?", campaign.getId());
    }

    private static CampaignStep step(int no, String rule, String offer, BigDecimal max) {
        return new CampaignStep(null, no, 60, "value-reminder", Collections.singletonMap("*", "s")).withCoupon(rule, offer, max, null);
    }

    private Order cart(String email, String price) {
        Order cart = fixture.store.cartWithEmail(email);
        return fixture.store.add(cart, fixture.store.product("Tea Caddy", price), 1);
    }

    private static RecoveryCart recoveryCart(String price) {
        return new RecoveryCart(null, "en_US", "USD", Collections.singletonList(
                new CartLine("Tea Caddy", 1, new BigDecimal(price), new BigDecimal(price), null, null)));
    }

    private IssuedCoupon issue(long message, Order cart, CampaignStep step) {
        return issueFor(message, cart, "40.00", step);
    }

    private IssuedCoupon issueFor(long message, Order cart, String total, CampaignStep step) {
        return transactions.execute(status -> issuer.issueFor(message, cart.getId(), cart.getEmailAddress(), step,
                recoveryCart(total)));
    }

    /** A real Broadleaf checkout: a captured payment for the whole total, then the checkout workflow. */
    private void checkOut(long orderId) {
        inTx(() -> {
            Order order = orderService.findOrderById(orderId);
            OrderPayment payment = payments.create();
            payment.setOrder(order);
            payment.setType(PaymentType.THIRD_PARTY_ACCOUNT);
            payment.setPaymentGatewayType(PaymentGatewayType.PASSTHROUGH);
            payment.setAmount(order.getTotal());
            PaymentTransaction captured = payments.createTransaction();
            captured.setType(PaymentTransactionType.AUTHORIZE_AND_CAPTURE);
            captured.setAmount(order.getTotal());
            captured.setSuccess(true);
            captured.setDate(new Date(fixture.clock.millis()));
            captured.setOrderPayment(payment);
            payment.addTransaction(captured);
            order.getPayments().add(payment);
            order = orderService.save(order, false);
            checkoutService.performCheckout(order);
            return null;
        });
        assertThat(fixture.jdbc.queryForObject("SELECT ORDER_STATUS FROM BLC_ORDER WHERE ORDER_ID = ?", String.class, orderId))
                .isEqualTo(OrderStatus.SUBMITTED.getType());
    }

    /** Broadleaf's lazy collections need an open entity manager, as a storefront request has. */
    private <T> T inTx(java.util.concurrent.Callable<T> work) {
        return transactions.execute(status -> {
            try {
                return work.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private long plannedId(Order cart, int stepNo) {
        return fixture.jdbc.queryForObject("SELECT ID FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? AND STEP_NO = ?",
                Long.class, cart.getId(), stepNo);
    }

    private int couponsFor(Order cart) {
        return fixture.jdbc.queryForObject("SELECT COUNT(*) FROM CR_COUPON WHERE ORDER_ID = ?", Integer.class, cart.getId());
    }

    private String couponStatus(long message) {
        return fixture.jdbc.queryForObject("SELECT STATUS FROM CR_COUPON WHERE PLANNED_MESSAGE_ID = ?", String.class, message);
    }

    private String archived(String code) {
        return fixture.jdbc.queryForObject("SELECT ARCHIVED FROM BLC_OFFER_CODE WHERE OFFER_CODE = ?", String.class, code)
                .trim(); // CHAR column: padded on HSQLDB
    }

    private static Object value(Map<String, Object> row, String label) {
        return row.containsKey(label) ? row.get(label) : row.get(label.toLowerCase(java.util.Locale.ROOT));
    }

    private static java.sql.Timestamp ts(Instant instant) {
        return new java.sql.Timestamp(instant.toEpochMilli());
    }

}
