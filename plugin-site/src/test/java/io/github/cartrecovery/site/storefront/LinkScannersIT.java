package io.github.cartrecovery.site.storefront;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;

import javax.annotation.Resource;

import org.broadleafcommerce.core.order.domain.Order;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpMethod;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import io.github.cartrecovery.attribution.OrderAttribution;
import io.github.cartrecovery.delivery.RecoveryLinks;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;
import io.github.cartrecovery.tracking.RecordedVisits;
import io.github.cartrecovery.tracking.VisitVerdict;

/**
 * The recorded request patterns of link-scanning gateways and people (plugin-core's tracking/recorded-visits.txt)
 * replayed against the real open, click and restore endpoints: a gateway's visit is SCANNED, never OPENED or CLICKED,
 * never restores a cart when it is certainly a scanner, and never earns "recovered" credit; a person's visit counts
 * once however often the link is replayed.
 */
@BroadleafWithPlugin
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LinkScannersIT {

    @Resource(name = "crRecoveryLinks")
    RecoveryLinks links;

    @Resource(name = "crOrderAttribution")
    OrderAttribution attribution;

    Storefront site;
    PluginContext broadleaf;

    @BeforeAll
    void openTheStore(PluginContext broadleaf) {
        this.broadleaf = broadleaf;
        site = new Storefront(broadleaf);
    }

    @AfterAll
    void closeTheStore() {
        site.close();
    }

    static List<RecordedVisits.Visit> gateways() {
        return RecordedVisits.all().stream().filter(visit -> visit.expect() != VisitVerdict.Kind.PERSON).toList();
    }

    static List<RecordedVisits.Visit> people() {
        return RecordedVisits.expecting(VisitVerdict.Kind.PERSON);
    }

    private Order cart(String email) {
        Order cart = broadleaf.store().add(broadleaf.store().cartWithEmail(email), broadleaf.store().product("Scanned Jar", "3.00"), 2);
        site.flushCaptures();
        return cart;
    }

    /** A sent message of the cart whose SENT_AT puts the visit, made now, as long after sending as it was recorded. */
    private long messageFor(Order cart, String email, RecordedVisits.Visit visit) {
        long message = site.plannedMessage(cart.getId(), email, 1);
        site.jdbc.update("UPDATE CR_PLANNED_MESSAGE SET SENT_AT = ? WHERE ID = ?",
                Timestamp.from(site.now().minus(visit.afterSending())), message);
        return message;
    }

    /** The recorded request: its method, every header and its client address. */
    private MockHttpServletResponse replay(RecordedVisits.Visit visit, String url, MockHttpSession session) throws Exception {
        MockHttpServletRequestBuilder request = link(HttpMethod.valueOf(visit.method()), url).session(session);
        for (Map.Entry<String, String> header : visit.headers().entrySet()) {
            request.header(header.getKey(), header.getValue());
        }
        request.with(built -> {
            built.setRemoteAddr(visit.address());
            return built;
        });
        return site.performAsIs(request);
    }

    /** The request for a link; a click link's signed target as the "u" parameter (MockMvc would encode it twice). */
    private static MockHttpServletRequestBuilder link(HttpMethod method, String url) {
        String[] pathAndQuery = Storefront.path(url).split("\\?u=", 2);
        MockHttpServletRequestBuilder request = request(method, pathAndQuery[0]);
        return pathAndQuery.length == 1 ? request
                : request.param("u", URLDecoder.decode(pathAndQuery[1], StandardCharsets.UTF_8));
    }

    private List<String> cartLinesSeenBy(MockHttpSession session) throws Exception {
        Order cart = site.seenBy(session).cart;
        return cart == null || cart.getId() == null ? List.of() : site.lines(cart.getId());
    }

    private int allTrackingEvents(long message) {
        return site.jdbc.queryForObject("SELECT COUNT(*) FROM CR_MESSAGE_EVENT WHERE PLANNED_MESSAGE_ID = ?", Integer.class, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gateways")
    void aGatewaysVisitToTheRestoreLinkIsScannedNotClicked(RecordedVisits.Visit visit) throws Exception {
        String email = "restore-" + visit.name() + "@example.com";
        Order cart = cart(email);
        long message = messageFor(cart, email, visit);
        MockHttpSession gateway = Storefront.newDevice();

        MockHttpServletResponse response = replay(visit, links.restoreUrl(message, cart.getId()), gateway);

        assertThat(response.getStatus()).isEqualTo(302);
        assertThat(site.events(message, "CLICKED")).isZero();
        assertThat(site.events(message, "SCANNED")).isEqualTo(1);
        if (visit.expect() == VisitVerdict.Kind.SCANNER) {
            assertThat(cartLinesSeenBy(gateway)).as("a scanner's session gets no cart").isEmpty();
        } else {
            assertThat(cartLinesSeenBy(gateway)).as("an early visit may be a quick shopper: the cart comes back")
                    .containsExactly("Scanned Jar x2");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gateways")
    void aGatewaysVisitToAClickLinkIsScannedNotClicked(RecordedVisits.Visit visit) throws Exception {
        String email = "click-" + visit.name() + "@example.com";
        long message = messageFor(cart(email), email, visit);

        MockHttpServletResponse response = replay(visit, links.clickUrl(message, "/products/jar"), Storefront.newDevice());

        assertThat(response.getStatus()).isEqualTo(302);
        assertThat(response.getHeader("Location")).startsWith("https://shop.example.com/products/jar");
        assertThat(site.events(message, "CLICKED")).isZero();
        assertThat(site.events(message, "SCANNED")).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gateways")
    void aGatewaysFetchOfTheOpenPixelIsNotAnOpen(RecordedVisits.Visit visit) throws Exception {
        String email = "open-" + visit.name() + "@example.com";
        long message = messageFor(cart(email), email, visit);

        MockHttpServletResponse response = replay(visit, links.openPixelUrl(message), Storefront.newDevice());

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentType()).isEqualTo("image/gif");
        assertThat(site.events(message, "OPENED")).isZero();
        assertThat(site.events(message, "SCANNED")).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("people")
    void aPersonsVisitIsAClickAndBringsTheCartBack(RecordedVisits.Visit visit) throws Exception {
        String email = "person-" + visit.name() + "@example.com";
        Order cart = cart(email);
        long message = messageFor(cart, email, visit);
        MockHttpSession browser = Storefront.newDevice();

        replay(visit, links.restoreUrl(message, cart.getId()), browser);

        assertThat(site.events(message, "CLICKED")).isEqualTo(1);
        assertThat(site.events(message, "SCANNED")).isZero();
        assertThat(cartLinesSeenBy(browser)).containsExactly("Scanned Jar x2");
    }

    @Test
    void aHeadOnTheRestoreLinkNeitherRestoresNorCountsWhateverItsUserAgent() throws Exception {
        Order cart = cart("head@example.com");
        long message = site.plannedMessage(cart.getId(), "head@example.com", 1);
        MockHttpSession session = Storefront.newDevice();

        MockHttpServletResponse response = site.perform(request(HttpMethod.HEAD, Storefront.path(links.restoreUrl(message, cart.getId())))
                .session(session));

        assertThat(response.getStatus()).isEqualTo(302);
        assertThat(response.getContentLength()).isZero();
        assertThat(site.events(message, "CLICKED")).isZero();
        assertThat(cartLinesSeenBy(session)).isEmpty();
    }

    @Test
    void replayingTheRestoreLinkCountsOneClickAndStillRestoresEachTime() throws Exception {
        Order cart = cart("replay@example.com");
        long message = site.plannedMessage(cart.getId(), "replay@example.com", 1);

        for (int i = 0; i < 25; i++) {
            MockHttpSession device = Storefront.newDevice();
            assertThat(site.perform(get(Storefront.path(links.restoreUrl(message, cart.getId()))).session(device)).getStatus())
                    .isEqualTo(302);
            assertThat(cartLinesSeenBy(device)).containsExactly("Scanned Jar x2");
        }

        assertThat(site.events(message, "CLICKED")).isEqualTo(1);
        assertThat(allTrackingEvents(message)).isEqualTo(1);
    }

    @Test
    void replayingTheOpenPixelAndAClickLinkCountsOnceEach() throws Exception {
        long message = site.plannedMessage(cart("replay-open@example.com").getId(), "replay-open@example.com", 1);

        for (int i = 0; i < 25; i++) {
            site.perform(get(Storefront.path(links.openPixelUrl(message))));
            site.perform(link(HttpMethod.GET, links.clickUrl(message, "/products/jar")));
        }

        assertThat(site.events(message, "OPENED")).isEqualTo(1);
        assertThat(site.events(message, "CLICKED")).isEqualTo(1);
    }

    @Test
    void gatewaysVisitingTheRestoreLinkEarnNoRecoveredCredit() throws Exception {
        Order cart = cart("gateways-only@example.com");
        long message = site.plannedMessage(cart.getId(), "gateways-only@example.com", 1);
        for (RecordedVisits.Visit visit : gateways()) {
            site.jdbc.update("UPDATE CR_PLANNED_MESSAGE SET SENT_AT = ? WHERE ID = ?",
                    Timestamp.from(site.now().minus(visit.afterSending())), message);
            replay(visit, links.restoreUrl(message, cart.getId()), Storefront.newDevice());
        }

        assertThat(purchase(cart)).isEqualTo(OrderAttribution.Outcome.INFLUENCED);
    }

    @Test
    void aPersonsClickAfterTheGatewaysEarnsRecoveredCredit() throws Exception {
        Order cart = cart("gateways-then-person@example.com");
        long message = site.plannedMessage(cart.getId(), "gateways-then-person@example.com", 1);
        replay(RecordedVisits.named("mimecast-url-protect"), links.restoreUrl(message, cart.getId()), Storefront.newDevice());
        replay(RecordedVisits.named("iphone-mail-to-safari"), links.restoreUrl(message, cart.getId()), Storefront.newDevice());

        assertThat(purchase(cart)).isEqualTo(OrderAttribution.Outcome.RECOVERED);
    }

    @Test
    void noStoredEventHoldsTheVisitorsAddress() throws Exception {
        Order cart = cart("address@example.com");
        long message = site.plannedMessage(cart.getId(), "address@example.com", 1);
        for (RecordedVisits.Visit visit : RecordedVisits.all()) {
            replay(visit, links.restoreUrl(message, cart.getId()), Storefront.newDevice());
            replay(visit, links.clickUrl(message, "/products/jar"), Storefront.newDevice());
            replay(visit, links.openPixelUrl(message), Storefront.newDevice());
        }

        List<Map<String, Object>> stored = site.jdbc.queryForList("SELECT * FROM CR_MESSAGE_EVENT WHERE PLANNED_MESSAGE_ID = ?", message);
        assertThat(stored).extracting(row -> row.get("EVENT_TYPE")).contains("OPENED", "CLICKED", "SCANNED");
        for (RecordedVisits.Visit visit : RecordedVisits.all()) {
            for (Map<String, Object> row : stored) {
                assertThat(row.values()).as(visit.name()).noneMatch(value -> String.valueOf(value).contains(visit.address()));
            }
        }
    }

    /** The cart bought now (as capture records a submitted order), then decided by the attribution job. */
    private OrderAttribution.Outcome purchase(Order cart) {
        int marked = site.jdbc.update("UPDATE CR_CAPTURED_CART SET STATUS = 'PURCHASED', STATUS_CHANGED_AT = ? WHERE ORDER_ID = ?",
                Timestamp.from(site.now().plusSeconds(60)), cart.getId());
        assertThat(marked).as("captured cart " + cart.getId()).isEqualTo(1);
        return attribution.decide(cart.getId());
    }
}
