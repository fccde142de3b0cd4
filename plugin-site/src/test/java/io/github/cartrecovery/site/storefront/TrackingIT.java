package io.github.cartrecovery.site.storefront;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import java.time.Duration;

import javax.annotation.Resource;

import org.broadleafcommerce.core.order.domain.Order;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.mock.web.MockHttpServletResponse;

import io.github.cartrecovery.delivery.RecoveryLinks;
import io.github.cartrecovery.links.LinkPurpose;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;

/** The open pixel and tracked clicks: recorded for valid links only, and redirects only to the store's hosts. */
@BroadleafWithPlugin
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrackingIT {

    private static final String UTM = "utm_source=cart-recovery&utm_medium=email&utm_campaign=abandoned-cart";

    @Resource(name = "crRecoveryLinks")
    RecoveryLinks links;

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

    private long message(String email) {
        Order cart = broadleaf.store().add(broadleaf.store().cartWithEmail(email), broadleaf.store().product("Jar", "3.00"), 1);
        return site.plannedMessage(cart.getId(), email, 1);
    }

    @Test
    void theOpenPixelRecordsAnOpenAndIsATransparentGif() throws Exception {
        long message = message("opens@example.com");

        MockHttpServletResponse pixel = site.perform(get(Storefront.path(links.openPixelUrl(message))));

        assertThat(pixel.getStatus()).isEqualTo(200);
        assertThat(pixel.getContentType()).isEqualTo("image/gif");
        assertThat(pixel.getContentAsByteArray()).hasSize(43).startsWith('G', 'I', 'F', '8', '9', 'a');
        assertThat(pixel.getHeader("Cache-Control")).isEqualTo("no-store");
        assertThat(site.events(message, "OPENED")).isEqualTo(1);
    }

    @Test
    void anInvalidPixelGetsTheSameImageAndRecordsNothing() throws Exception {
        long message = message("no-opens@example.com");
        byte[] valid = site.perform(get(Storefront.path(links.openPixelUrl(message)))).getContentAsByteArray();
        int before = site.events(message, "OPENED");

        for (String token : new String[] {"garbage", site.tokens().issue(LinkPurpose.OPEN, message, site.now().minusSeconds(1), null),
                token(links.restoreUrl(message, 1L))}) {
            MockHttpServletResponse pixel = site.perform(get("/cart-recovery/open/" + token));
            assertThat(pixel.getStatus()).isEqualTo(200);
            assertThat(pixel.getContentAsByteArray()).isEqualTo(valid);
        }
        assertThat(site.events(message, "OPENED")).isEqualTo(before);
    }

    @Test
    void aClickIsRecordedAndRedirectedToTheStorePageWithUtmParameters() throws Exception {
        long message = message("clicks@example.com");
        String url = links.clickUrl(message, "/products/jar?size=large");

        MockHttpServletResponse response = site.perform(get(Storefront.path(url).replaceFirst("\\?.*", ""))
                .param("u", "https://shop.example.com/products/jar?size=large"));
        assertThat(url).endsWith("?u=" + java.net.URLEncoder.encode("https://shop.example.com/products/jar?size=large", "UTF-8"));

        assertThat(response.getStatus()).isEqualTo(302);
        assertThat(response.getHeader("Location")).isEqualTo("https://shop.example.com/products/jar?size=large&" + UTM);
        assertThat(site.jdbc.queryForObject("SELECT DETAIL FROM CR_MESSAGE_EVENT WHERE PLANNED_MESSAGE_ID = ? "
                + "AND EVENT_TYPE = 'CLICKED'", String.class, message)).isEqualTo("https://shop.example.com/products/jar?size=large");
    }

    @Test
    void theUtmParametersNameTheMessagesChannelAndTrigger() throws Exception {
        long message = message("texted-price-drop@example.com");
        site.jdbc.update("UPDATE CR_PLANNED_MESSAGE SET CHANNEL = 'SMS', TRIGGER_TYPE = 'PRICE_DROP' WHERE ID = ?", message);
        String url = links.clickUrl(message, "/products/jar");

        MockHttpServletResponse response = site.perform(get(Storefront.path(url).replaceFirst("\\?.*", ""))
                .param("u", "https://shop.example.com/products/jar"));

        assertThat(response.getStatus()).isEqualTo(302);
        assertThat(response.getHeader("Location"))
                .isEqualTo("https://shop.example.com/products/jar?utm_source=cart-recovery&utm_medium=sms&utm_campaign=price-drop");
    }

    @Test
    void clicksNeverRedirectOutsideTheStore() throws Exception {
        long message = message("no-open-redirect@example.com");
        String evil = "https://evil.example.net/phish";
        String signedForEvil = site.tokens().issue(LinkPurpose.CLICK, message, site.now().plus(Duration.ofDays(1)), evil);
        String signedForJar = token(links.clickUrl(message, "/products/jar").replaceFirst("\\?.*", ""));

        String[] attempts = {
            "/cart-recovery/click/" + signedForEvil + "?u=" + evil,                                        // signed, but not a store host
            "/cart-recovery/click/" + signedForJar + "?u=https://shop.example.com/products/other",         // another target
            "/cart-recovery/click/" + signedForJar + "?u=//evil.example.net/",
            "/cart-recovery/click/" + signedForJar + "?u=https://shop.example.com@evil.example.net/",
            "/cart-recovery/click/" + signedForJar,                                                         // no target
            "/cart-recovery/click/garbage?u=https://shop.example.com/products/jar",
        };
        for (String attempt : attempts) {
            MockHttpServletResponse response = site.perform(get(attempt));
            assertThat(response.getStatus()).as(attempt).isEqualTo(404);
            assertThat(response.getHeader("Location")).as(attempt).isNull();
            assertThat(response.getContentAsString()).contains("This link is no longer valid");
        }
        assertThat(site.events(message, "CLICKED")).isZero();
    }

    private static String token(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }
}
