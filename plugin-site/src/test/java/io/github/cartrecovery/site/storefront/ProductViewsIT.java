package io.github.cartrecovery.site.storefront;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import java.time.Duration;
import java.util.Map;

import javax.sql.DataSource;

import org.apache.commons.logging.LogFactory;
import org.broadleafcommerce.core.catalog.domain.Product;
import org.broadleafcommerce.profile.core.domain.Customer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.transaction.PlatformTransactionManager;

import io.github.cartrecovery.browse.BrowseBuffer;
import io.github.cartrecovery.browse.BrowseSessions;
import io.github.cartrecovery.capture.ThrottledLog;
import io.github.cartrecovery.detection.ExclusionRules;
import io.github.cartrecovery.site.browse.ProductViewRecorder;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;

/**
 * Product page views in a Broadleaf storefront (Broadleaf's own ProductHandlerMapping and product controller): a known
 * shopper's view is taken into memory on the request, with no database round trip, and written by the flush; a bot, an
 * unknown shopper and a missing page are never recorded.
 */
@BroadleafWithPlugin
class ProductViewsIT {

    private static final String GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

    PluginContext broadleaf;
    Storefront storefront;
    BrowseBuffer buffer;
    CountingSessions sessions;
    Product lamp;

    @BeforeEach
    void storefrontWithProductPages(PluginContext broadleaf) {
        this.broadleaf = broadleaf;
        sessions = new CountingSessions(broadleaf);
        buffer = new BrowseBuffer(sessions, true, 0, 1000,
                new ThrottledLog(LogFactory.getLog(ProductViewsIT.class), broadleaf.clock(), Duration.ofMinutes(1)));
        ProductViewRecorder recorder = new ProductViewRecorder(buffer, broadleaf.bean("crExclusionRules", ExclusionRules.class),
                broadleaf.clock());
        storefront = new Storefront(broadleaf, Map.of("crProductViewRecorder", recorder),
                "classpath:/cartrecovery/test/product-pages-servlet.xml");
        lamp = broadleaf.store().product("Brass Lamp", "45.00");
    }

    @AfterEach
    void close() {
        storefront.close();
    }

    private int sessionsOf(String email) {
        return storefront.jdbc.queryForObject("SELECT COUNT(*) FROM CR_BROWSE_SESSION WHERE EMAIL = ?", Integer.class, email);
    }

    @Test
    void aLoggedInShoppersViewIsTakenWithoutADatabaseRoundTripAndWrittenByTheFlush() throws Exception {
        String email = "viewer-" + System.nanoTime() + "@example.com";
        Customer customer = storefront.registeredCustomer(email);
        MockHttpSession session = Storefront.loggedIn(customer);
        storefront.seenBy(session); // Broadleaf's filters resolve the customer for this session

        MockHttpServletResponse page = storefront.perform(get(lamp.getUrl()).session(session));

        assertThat(page.getStatus()).isEqualTo(200);
        assertThat(buffer.pendingCount()).isEqualTo(1);
        assertThat(sessions.writes).as("nothing written on the request").isZero();
        assertThat(sessionsOf(email)).isZero();

        buffer.flush();

        assertThat(sessionsOf(email)).isEqualTo(1);
        assertThat(storefront.jdbc.queryForObject("SELECT p.PRODUCT_ID FROM CR_BROWSE_PRODUCT p JOIN CR_BROWSE_SESSION s "
                + "ON s.ID = p.SESSION_ID WHERE s.EMAIL = ?", Long.class, email)).isEqualTo(lamp.getId());
    }

    @Test
    void aGuestWhoseAddressWasCapturedInTheSessionIsKnown() throws Exception {
        String email = "guest-" + System.nanoTime() + "@example.com";
        MockHttpSession session = Storefront.newDevice();
        session.setAttribute(ProductViewRecorder.KNOWN_EMAIL, email);

        storefront.perform(get(lamp.getUrl()).session(session));
        buffer.flush();

        assertThat(sessionsOf(email)).isEqualTo(1);
    }

    @Test
    void botsAndUnknownShoppersAreNeverRecorded() throws Exception {
        MockHttpSession known = Storefront.newDevice();
        known.setAttribute(ProductViewRecorder.KNOWN_EMAIL, "bot-" + System.nanoTime() + "@example.com");

        storefront.perform(get(lamp.getUrl()).session(known).header("User-Agent", GOOGLEBOT));
        storefront.performAsIs(get(lamp.getUrl()).session(known)); // no User-Agent at all
        storefront.perform(get(lamp.getUrl()).session(Storefront.newDevice())); // nobody known

        assertThat(buffer.pendingCount()).isZero();
    }

    @Test
    void otherPagesCostNothing() throws Exception {
        MockHttpSession known = Storefront.newDevice();
        known.setAttribute(ProductViewRecorder.KNOWN_EMAIL, "other-" + System.nanoTime() + "@example.com");

        storefront.perform(get("/cart-recovery/unknown-page").session(known));

        assertThat(buffer.pendingCount()).isZero();
    }

    /** The context's browse writer, counting its writes. */
    private static final class CountingSessions extends BrowseSessions {
        volatile int writes;

        CountingSessions(PluginContext broadleaf) {
            super(broadleaf.bean("crDataSource", DataSource.class),
                    broadleaf.bean("crTransactionManager", PlatformTransactionManager.class),
                    new ThrottledLog(LogFactory.getLog(ProductViewsIT.class), broadleaf.clock(), Duration.ofMinutes(1)));
        }

        @Override
        public java.util.List<io.github.cartrecovery.browse.BrowseView> record(
                java.util.List<io.github.cartrecovery.browse.BrowseView> views) {
            writes++;
            return super.record(views);
        }
    }
}
