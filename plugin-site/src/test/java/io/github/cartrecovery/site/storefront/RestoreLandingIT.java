package io.github.cartrecovery.site.storefront;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.annotation.Resource;

import org.broadleafcommerce.common.money.Money;
import org.broadleafcommerce.core.catalog.domain.Product;
import org.broadleafcommerce.core.catalog.domain.Sku;
import org.broadleafcommerce.core.catalog.service.CatalogService;
import org.broadleafcommerce.core.order.domain.Order;
import org.broadleafcommerce.core.order.service.OrderService;
import org.broadleafcommerce.core.order.service.type.OrderStatus;
import org.broadleafcommerce.profile.core.domain.Customer;
import org.broadleafcommerce.profile.web.core.security.CustomerStateRequestProcessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;

import io.github.cartrecovery.attribution.OrderAttribution;
import io.github.cartrecovery.coupon.RecoveryCoupons;
import io.github.cartrecovery.delivery.RecoveryLinks;
import io.github.cartrecovery.links.LinkPurpose;
import io.github.cartrecovery.site.restore.CartRestorer;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;
import io.github.cartrecovery.testing.Store;

/**
 * GET /cart-recovery/restore/&lt;token&gt; in a Broadleaf storefront (real customer-state and cart-state
 * filters, sessions as devices): every branch of the landing, what Broadleaf resolves for the shopper
 * afterwards, and that an invalid link shows and writes nothing.
 * (Tests live outside {@code io.github.cartrecovery.site.web}, which the site's servlet file scans.)
 */
@BroadleafWithPlugin
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestoreLandingIT {

    private static final String UTM = "utm_source=cart-recovery&utm_medium=email&utm_campaign=abandoned-cart";

    @Resource(name = "blOrderService")
    OrderService orderService;

    @Resource(name = "blCatalogService")
    CatalogService catalogService;

    @Resource(name = "crRecoveryLinks")
    RecoveryLinks links;

    Storefront site;
    Store store;
    RecordingCoupons coupons;

    @BeforeAll
    void openTheStore(PluginContext broadleaf) {
        site = new Storefront(broadleaf);
    }

    @AfterAll
    void closeTheStore() {
        site.close();
    }

    @BeforeEach
    void arrange(PluginContext broadleaf) {
        store = broadleaf.store();
        coupons = new RecordingCoupons();
        restorer().setCoupons(coupons);
    }

    @AfterEach
    void removeCoupons() {
        restorer().setCoupons(null);
    }

    // ---- anonymous cart, still open: copied into the visitor's own cart, never shared ----

    @Test
    void aRestoreLinkFromABackInStockTextSaysSoInItsUtmParameters() throws Exception {
        Order abandoned = abandonedCart("texted-restore@example.com", store.product("Enamel Mug", "12.50"), 1);
        long message = site.plannedMessage(abandoned.getId(), "texted-restore@example.com", 1);
        site.jdbc.update("UPDATE CR_PLANNED_MESSAGE SET CHANNEL = 'SMS', TRIGGER_TYPE = 'BACK_IN_STOCK' WHERE ID = ?", message);

        MockHttpServletResponse response = restore(links.restoreUrl(message, abandoned.getId()), Storefront.newDevice());

        assertThat(response.getStatus()).isEqualTo(302);
        assertThat(response.getHeader("Location"))
                .isEqualTo("/cart?utm_source=cart-recovery&utm_medium=sms&utm_campaign=back-in-stock");
    }

    @Test
    void anotherDeviceGetsACopyOfTheCartInItsOwnCartNeverTheOwnersCustomer() throws Exception {
        Order abandoned = abandonedCart("device@example.com", store.product("Enamel Mug", "12.50"), 2);
        long message = site.plannedMessage(abandoned.getId(), "device@example.com", 1);
        MockHttpSession otherDevice = Storefront.newDevice();

        MockHttpServletResponse response = restore(links.restoreUrl(message, abandoned.getId()), otherDevice);

        assertThat(response.getStatus()).isEqualTo(302);
        assertThat(response.getHeader("Location")).isEqualTo("/cart?" + UTM);
        assertThat(otherDevice.getAttribute(CustomerStateRequestProcessor.getAnonymousCustomerIdSessionAttributeName()))
                .as("the owner's customer id never enters another session").isNotEqualTo(abandoned.getCustomer().getId());
        Storefront.Seen seen = site.seenBy(otherDevice);
        assertThat(seen.customer.getId()).as("the visitor keeps their own identity").isNotEqualTo(abandoned.getCustomer().getId());
        assertThat(seen.cart.getId()).as("a cart of the visitor's own").isNotEqualTo(abandoned.getId());
        assertThat(seen.cart.getCustomer().getId()).isEqualTo(seen.customer.getId());
        assertThat(seen.cart.getEmailAddress()).as("nothing of the owner's is copied").isNull();
        assertThat(lines(seen.cart)).containsExactly("Enamel Mug x2");
        assertThat(lines(orderService.findOrderById(abandoned.getId()))).as("the owner's cart is left as it was")
                .containsExactly("Enamel Mug x2");
        assertThat(site.events(message, "CLICKED")).isEqualTo(1);
        assertThat(restoredInto(message)).containsExactly(seen.cart.getId());
        assertThat(coupons.appliedTo).containsExactly(seen.cart.getId() + "/" + message);
    }

    /**
     * The defect found on the demo: B opened A's restore link and typed an email at checkout; A's checkout then
     * showed B's email (both sessions held A's anonymous customer and cart). Now each keeps its own.
     */
    @Test
    void whatTheVisitorTypesNeverReachesTheOwnersCartNorTheOtherWayRound() throws Exception {
        Order abandoned = abandonedCart("owner-a@example.com", store.product("Copper Kettle", "45.00"), 1);
        long message = site.plannedMessage(abandoned.getId(), "owner-a@example.com", 1);
        MockHttpSession ownersDevice = Storefront.newDevice();
        ownersDevice.setAttribute(CustomerStateRequestProcessor.getAnonymousCustomerIdSessionAttributeName(),
                abandoned.getCustomer().getId());
        MockHttpSession visitor = Storefront.newDevice();

        restore(links.restoreUrl(message, abandoned.getId()), visitor);
        Order visitorsCart = orderService.findOrderById(site.seenBy(visitor).cart.getId());
        visitorsCart.setEmailAddress("visitor-b@example.com");      // B types an email at checkout
        orderService.save(visitorsCart, false);
        Order ownersCart = orderService.findOrderById(abandoned.getId());
        ownersCart.setEmailAddress("owner-a-new@example.com");      // A types one on their own device
        orderService.save(ownersCart, false);

        Storefront.Seen owner = site.seenBy(ownersDevice);
        Storefront.Seen other = site.seenBy(visitor);
        assertThat(owner.cart.getId()).isEqualTo(abandoned.getId());
        assertThat(owner.cart.getEmailAddress()).isEqualTo("owner-a-new@example.com");
        assertThat(other.cart.getId()).isNotEqualTo(abandoned.getId());
        assertThat(other.cart.getEmailAddress()).isEqualTo("visitor-b@example.com");
        assertThat(other.customer.getId()).isNotEqualTo(owner.customer.getId());
    }

    @Test
    void openingTheSameLinkTwiceInOneSessionAddsNothingTwice() throws Exception {
        Order abandoned = abandonedCart("twice@example.com", store.product("Tea Towel", "8.00"), 3);
        abandoned = store.add(abandoned, store.product("Oven Glove", "11.00"), 1);
        long message = site.plannedMessage(abandoned.getId(), "twice@example.com", 1);
        MockHttpSession device = Storefront.newDevice();

        restore(links.restoreUrl(message, abandoned.getId()), device);
        long firstCart = site.seenBy(device).cart.getId();
        restore(links.restoreUrl(message, abandoned.getId()), device);

        Storefront.Seen seen = site.seenBy(device);
        assertThat(seen.cart.getId()).isEqualTo(firstCart);
        assertThat(lines(seen.cart)).containsExactly("Oven Glove x1", "Tea Towel x3");
        assertThat(restoredInto(message)).containsExactly(firstCart);
    }

    @Test
    void theSameDeviceKeepsItsCart() throws Exception {
        Order abandoned = abandonedCart("same@example.com", store.product("Teapot", "30.00"), 1);
        long message = site.plannedMessage(abandoned.getId(), "same@example.com", 1);
        MockHttpSession device = Storefront.newDevice();
        device.setAttribute(CustomerStateRequestProcessor.getAnonymousCustomerIdSessionAttributeName(), abandoned.getCustomer().getId());

        assertThat(restore(links.restoreUrl(message, abandoned.getId()), device).getStatus()).isEqualTo(302);

        Storefront.Seen seen = site.seenBy(device);
        assertThat(seen.cart.getId()).isEqualTo(abandoned.getId());
        assertThat(lines(seen.cart)).containsExactly("Teapot x1");
    }

    @Test
    void theOrderPlacedFromTheCopyCreditsTheMessageAndMarksTheOriginalCartRecovered(PluginContext broadleaf) throws Exception {
        Order abandoned = abandonedCart("credit-owner@example.com", store.product("Bread Bin", "28.00"), 1);
        long message = site.plannedMessage(abandoned.getId(), "credit-owner@example.com", 1);
        long pending = site.pendingMessage(abandoned.getId(), "credit-owner@example.com", 2);
        MockHttpSession visitor = Storefront.newDevice();
        restore(links.restoreUrl(message, abandoned.getId()), visitor);
        broadleaf.clock().advance(Duration.ofMinutes(5));

        Order copy = orderService.findOrderById(site.seenBy(visitor).cart.getId());
        copy.setEmailAddress("someone-else@example.com");   // not the owner's address: only the link connects them
        copy.setStatus(OrderStatus.SUBMITTED);
        copy.setSubmitDate(new java.util.Date());
        orderService.save(copy, false);
        site.flushCaptures();
        broadleaf.bean("crOrderAttribution", OrderAttribution.class).run();

        assertThat(site.jdbc.queryForMap("SELECT OUTCOME, PLANNED_MESSAGE_ID FROM CR_ORDER_ATTRIBUTION WHERE ORDER_ID = ?",
                copy.getId())).containsEntry("OUTCOME", "RECOVERED").containsEntry("PLANNED_MESSAGE_ID", message);
        assertThat(site.jdbc.queryForObject("SELECT STATUS FROM CR_CAPTURED_CART WHERE ORDER_ID = ?", String.class,
                copy.getId())).isEqualTo("RECOVERED");
        assertThat(site.jdbc.queryForObject("SELECT STATUS FROM CR_CAPTURED_CART WHERE ORDER_ID = ?", String.class,
                abandoned.getId())).as("the original cart").isEqualTo("RECOVERED");
        assertThat(site.events(message, "RECOVERED")).isEqualTo(1);
        assertThat(site.jdbc.queryForObject("SELECT STATUS FROM CR_PLANNED_MESSAGE WHERE ID = ?", String.class, pending))
                .as("the original's next message is still planned; its exit rules stop it at send time").isEqualTo("PLANNED");
    }

    // ---- another cart in the session: the lines are added to it, no duplicate lines ----

    @Test
    void itemsAreMergedIntoTheSessionsOtherCartWithoutDuplicatingLines() throws Exception {
        Product mug = store.product("Stoneware Mug", "9.00");
        Product plate = store.product("Side Plate", "6.00");
        Product tea = store.product("Green Tea", "4.50");
        Order abandoned = abandonedCart("merge@example.com", mug, 2);
        abandoned = store.add(abandoned, tea, 1);
        long message = site.plannedMessage(abandoned.getId(), "merge@example.com", 1);
        Order sessionCart = store.add(store.cartFor(store.anonymousCustomer()), mug, 1);
        sessionCart = store.add(sessionCart, plate, 3);
        MockHttpSession device = Storefront.newDevice();
        device.setAttribute(CustomerStateRequestProcessor.getAnonymousCustomerIdSessionAttributeName(), sessionCart.getCustomer().getId());

        assertThat(restore(links.restoreUrl(message, abandoned.getId()), device).getHeader("Location")).isEqualTo("/cart?" + UTM);
        assertThat(restore(links.restoreUrl(message, abandoned.getId()), device).getStatus()).as("again").isEqualTo(302);

        Storefront.Seen seen = site.seenBy(device);
        assertThat(seen.customer.getId()).as("still the session's shopper").isEqualTo(sessionCart.getCustomer().getId());
        assertThat(seen.cart.getId()).isEqualTo(sessionCart.getId());
        assertThat(lines(seen.cart)).containsExactly("Green Tea x1", "Side Plate x3", "Stoneware Mug x1");
        assertThat(lines(orderService.findOrderById(abandoned.getId()))).as("the abandoned cart is left as it was")
                .containsExactly("Green Tea x1", "Stoneware Mug x2");
        assertThat(coupons.appliedTo).containsExactly(sessionCart.getId() + "/" + message, sessionCart.getId() + "/" + message);
    }

    // ---- logged-in shopper: merge into their cart, never switch identity ----

    @Test
    void aLoggedInShopperGetsTheItemsInTheirOwnCartAndStaysLoggedInAsThemselves() throws Exception {
        Product mug = store.product("Espresso Cup", "7.00");
        Product saucer = store.product("Saucer", "3.00");
        Order abandoned = abandonedCart("guest-then-login@example.com", mug, 2);
        long message = site.plannedMessage(abandoned.getId(), "guest-then-login@example.com", 1);
        Customer reggie = site.registeredCustomer("reggie@example.com");
        Order reggiesCart = store.add(store.cartFor(reggie), saucer, 1);
        MockHttpSession reggiesBrowser = Storefront.loggedIn(reggie);

        assertThat(restore(links.restoreUrl(message, abandoned.getId()), reggiesBrowser).getStatus()).isEqualTo(302);

        Storefront.Seen seen = site.seenBy(reggiesBrowser);
        assertThat(seen.customer.getId()).isEqualTo(reggie.getId());
        assertThat(seen.customer.isLoggedIn()).isTrue();
        assertThat(seen.cart.getId()).isEqualTo(reggiesCart.getId());
        assertThat(lines(seen.cart)).containsExactly("Espresso Cup x2", "Saucer x1");
        assertThat(reggiesBrowser.getAttribute(CustomerStateRequestProcessor.getAnonymousCustomerIdSessionAttributeName()))
                .as("the guest's customer is not attached to Reggie's session").isNotEqualTo(abandoned.getCustomer().getId());
        assertThat(coupons.appliedTo).containsExactly(reggiesCart.getId() + "/" + message);
    }

    @Test
    void aLoggedInShopperWithoutACartGetsANewCartWithTheItems() throws Exception {
        Order abandoned = abandonedCart("no-cart@example.com", store.product("Milk Jug", "15.00"), 1);
        long message = site.plannedMessage(abandoned.getId(), "no-cart@example.com", 1);
        Customer rita = site.registeredCustomer("rita@example.com");
        MockHttpSession ritasBrowser = Storefront.loggedIn(rita);

        assertThat(restore(links.restoreUrl(message, abandoned.getId()), ritasBrowser).getStatus()).isEqualTo(302);

        Storefront.Seen seen = site.seenBy(ritasBrowser);
        assertThat(seen.customer.getId()).isEqualTo(rita.getId());
        assertThat(seen.cart.getId()).isNotEqualTo(abandoned.getId());
        assertThat(seen.cart.getCustomer().getId()).isEqualTo(rita.getId());
        assertThat(lines(seen.cart)).containsExactly("Milk Jug x1");
    }

    @Test
    void aRegisteredShoppersCartOpenedWithoutLoginIsCopiedNeverAttached() throws Exception {
        Customer owner = site.registeredCustomer("owner@example.com");
        Order ownersCart = store.add(store.cartFor(owner), store.product("Cake Stand", "40.00"), 1);
        site.flushCaptures();
        long message = site.plannedMessage(ownersCart.getId(), "owner@example.com", 1);
        MockHttpSession device = Storefront.newDevice();

        assertThat(restore(links.restoreUrl(message, ownersCart.getId()), device).getStatus()).isEqualTo(302);

        Storefront.Seen seen = site.seenBy(device);
        assertThat(seen.customer.getId()).as("nobody is logged in as the owner").isNotEqualTo(owner.getId());
        assertThat(seen.customer.isRegistered()).isFalse();
        assertThat(seen.cart.getId()).isNotEqualTo(ownersCart.getId());
        assertThat(lines(seen.cart)).containsExactly("Cake Stand x1");
    }

    // ---- bought ----

    @Test
    void aBoughtCartGetsTheOrderCompletePage() throws Exception {
        Order abandoned = abandonedCart("bought@example.com", store.product("Butter Dish", "11.00"), 1);
        long message = site.plannedMessage(abandoned.getId(), "bought@example.com", 1);
        Order order = orderService.findOrderById(abandoned.getId());
        order.setStatus(OrderStatus.SUBMITTED);
        order.setSubmitDate(new java.util.Date());
        orderService.save(order, false);
        MockHttpSession device = Storefront.newDevice();

        MockHttpServletResponse response = restore(links.restoreUrl(message, abandoned.getId()), device);

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentAsString()).contains("This order is complete").contains("href=\"/\"")
                .doesNotContain("Butter Dish").doesNotContain("bought@example.com");
        assertThat(device.getAttribute(CustomerStateRequestProcessor.getAnonymousCustomerIdSessionAttributeName())).isNull();
        assertThat(coupons.appliedTo).isEmpty();
    }

    // ---- purged: rebuilt from the snapshot, items still sold, today's prices ----

    @Test
    void aPurgedCartIsRebuiltFromItsSnapshotWithItemsStillSoldAtTodaysPrices() throws Exception {
        Product kept = store.product("Linen Napkin", "5.00");
        Product discontinued = store.product("Old Teacup", "8.00");
        Order abandoned = abandonedCart("purged@example.com", kept, 4);
        abandoned = store.add(abandoned, discontinued, 1);
        site.flushCaptures();
        long message = site.plannedMessage(abandoned.getId(), "purged@example.com", 1);
        orderService.cancelOrder(orderService.findOrderById(abandoned.getId()));   // Broadleaf deletes the cart
        assertThat(orderService.findOrderById(abandoned.getId())).isNull();
        Sku napkin = catalogService.findSkuById(kept.getDefaultSku().getId());
        napkin.setRetailPrice(new Money(new BigDecimal("4.25")));
        catalogService.saveSku(napkin);
        Sku teacup = catalogService.findSkuById(discontinued.getDefaultSku().getId());
        teacup.setActiveEndDate(new java.util.Date(System.currentTimeMillis() - 60_000L));
        catalogService.saveSku(teacup);
        MockHttpSession device = Storefront.newDevice();

        assertThat(restore(links.restoreUrl(message, abandoned.getId()), device).getHeader("Location")).isEqualTo("/cart?" + UTM);

        Storefront.Seen seen = site.seenBy(device);
        assertThat(lines(seen.cart)).containsExactly("Linen Napkin x4");
        assertThat(site.price(seen.cart.getId(), "Linen Napkin")).isEqualByComparingTo("4.25");
        assertThat(coupons.appliedTo).containsExactly(seen.cart.getId() + "/" + message);
    }

    @Test
    void aPurgedCartWithNothingStillSoldGetsAFriendlyPage() throws Exception {
        Product gone = store.product("Limited Edition Jug", "99.00");
        Order abandoned = abandonedCart("nothing-left@example.com", gone, 1);
        long message = site.plannedMessage(abandoned.getId(), "nothing-left@example.com", 1);
        orderService.cancelOrder(orderService.findOrderById(abandoned.getId()));
        Sku sku = catalogService.findSkuById(gone.getDefaultSku().getId());
        sku.setActiveEndDate(new java.util.Date(System.currentTimeMillis() - 60_000L));
        catalogService.saveSku(sku);

        MockHttpServletResponse response = restore(links.restoreUrl(message, abandoned.getId()), Storefront.newDevice());

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentAsString()).contains("no longer available").doesNotContain("Limited Edition Jug");
    }

    // ---- invalid links: one plain page, nothing revealed, nothing written ----

    @Test
    void tamperedExpiredUnknownAndWrongPurposeLinksGetTheSamePlainPageAndChangeNothing() throws Exception {
        Order abandoned = abandonedCart("secret-shopper@example.com", store.product("Secret Saucepan", "55.00"), 1);
        long message = site.plannedMessage(abandoned.getId(), "secret-shopper@example.com", 1);
        String valid = token(links.restoreUrl(message, abandoned.getId()));
        List<String> invalid = new ArrayList<>();
        invalid.add(flipLastBit(valid));                                                             // tampered
        invalid.add(valid.substring(0, valid.length() - 5));                                         // truncated
        invalid.add(site.tokens().issue(LinkPurpose.RESTORE, message, site.now().minusSeconds(1), null)); // expired
        invalid.add(site.tokens().issue(LinkPurpose.RESTORE, 987_654_321L, site.now().plus(Duration.ofDays(1)), null)); // unknown
        invalid.add(token(links.unsubscribeUrl(message)));                                           // other purpose
        invalid.add(token(links.openPixelUrl(message)));
        invalid.add("not-a-token");

        String firstBody = null;
        for (String token : invalid) {
            MockHttpSession device = Storefront.newDevice();
            MockHttpServletResponse response = site.perform(get("/cart-recovery/restore/" + token).session(device));
            assertThat(response.getStatus()).as(token).isEqualTo(404);
            String body = response.getContentAsString();
            assertThat(body).contains("This link is no longer valid").contains("href=\"/\"")
                    .doesNotContain("secret-shopper").doesNotContain("Secret Saucepan")
                    .doesNotContainPattern("(?<![0-9A-Za-z])" + abandoned.getId() + "(?![0-9A-Za-z])"); // not the order id (its digits may occur inside other numbers and in the page's colours, e.g. #1a73e8)
            if (firstBody == null) {
                firstBody = body;
            }
            assertThat(body).as("the same page for every invalid link").isEqualTo(firstBody);
            assertThat(response.getHeader("Location")).isNull();
            assertThat(device.getAttribute(CustomerStateRequestProcessor.getAnonymousCustomerIdSessionAttributeName())).isNull();
        }
        assertThat(site.jdbc.queryForObject("SELECT COUNT(*) FROM CR_MESSAGE_EVENT WHERE PLANNED_MESSAGE_ID IN (?, ?)",
                Integer.class, message, 987_654_321L)).isZero();
        assertThat(coupons.appliedTo).isEmpty();
        assertThat(lines(orderService.findOrderById(abandoned.getId()))).containsExactly("Secret Saucepan x1");
    }

    @Test
    void aLinkSignedWithARemovedKeyIsInvalid() throws Exception {
        Order abandoned = abandonedCart("old-key@example.com", store.product("Egg Cup", "2.00"), 1);
        long message = site.plannedMessage(abandoned.getId(), "old-key@example.com", 1);
        io.github.cartrecovery.links.LinkTokens retired = new io.github.cartrecovery.links.LinkTokens(
                io.github.cartrecovery.keys.SigningKeys.parse("retired:a-key-that-is-no-longer-configured-0123"));
        String token = retired.issue(LinkPurpose.RESTORE, message, site.now().plus(Duration.ofDays(1)), null);

        assertThat(site.perform(get("/cart-recovery/restore/" + token).session(Storefront.newDevice())).getStatus()).isEqualTo(404);
        assertThat(site.events(message, "CLICKED")).isZero();
    }

    // ---- helpers ----

    private MockHttpServletResponse restore(String url, MockHttpSession session) throws Exception {
        return site.perform(get(Storefront.path(url)).session(session));
    }

    private Order abandonedCart(String email, Product product, int quantity) {
        Order cart = store.add(store.cartWithEmail(email), product, quantity);
        site.flushCaptures();
        return cart;
    }

    private List<Long> restoredInto(long message) {
        return site.jdbc.queryForList("SELECT TARGET_ORDER_ID FROM CR_RESTORED_CART WHERE PLANNED_MESSAGE_ID = ?",
                Long.class, message);
    }

    private CartRestorer restorer() {
        return site.servlet.getBean("crCartRestorer", CartRestorer.class);
    }

    private List<String> lines(Order cart) {
        return site.lines(cart.getId());
    }

    private static String token(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private static String flipLastBit(String token) {
        byte[] bytes = java.util.Base64.getUrlDecoder().decode(token);
        bytes[bytes.length - 1] ^= 1;
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A stand-in for the coupons module: remembers which cart it was asked to discount for which message. */
    static final class RecordingCoupons implements RecoveryCoupons {
        final List<String> appliedTo = new ArrayList<>();

        @Override
        public String validCodeFor(long plannedMessageId) {
            return null;
        }

        @Override
        public boolean applyTo(Order cart, long plannedMessageId) {
            appliedTo.add(cart.getId() + "/" + plannedMessageId);
            return false;
        }
    }
}
