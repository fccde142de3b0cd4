package io.github.cartrecovery.links;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import io.github.cartrecovery.keys.SigningKeys;

class StoreUrlsTest {

    private final StoreUrls store = new StoreUrls("https://shop.example.com/", "www.example.com", "utm_source=cr&utm_medium=email");

    @Test
    void storePathsAndStoreHostsResolve() {
        assertThat(store.resolve("/mugs/enamel?colour=red")).isEqualTo("https://shop.example.com/mugs/enamel?colour=red");
        assertThat(store.resolve("https://shop.example.com/cart")).isEqualTo("https://shop.example.com/cart");
        assertThat(store.resolve("http://WWW.example.com/sale")).isEqualTo("http://WWW.example.com/sale");
    }

    @Test
    void everythingElseIsRefused() {
        for (String target : new String[] {"https://evil.example.net/", "//evil.example.net/", "/\\evil.example.net",
                "https://shop.example.com@evil.example.net/", "https://user@shop.example.com/", "javascript:alert(1)",
                "data:text/html,hi", "ftp://shop.example.com/", "https://shop.example.com.evil.net/", "mugs",
                "/a\r\nLocation: https://evil.example.net/", "https://shop.example.com/\u0000", "", null}) {
            assertThat(store.resolve(target)).as(String.valueOf(target)).isNull();
        }
    }

    @Test
    void utmParametersAreAddedBeforeTheFragment() {
        assertThat(store.withUtm("/cart", "SMS", "PRICE_DROP")).isEqualTo("/cart?utm_source=cr&utm_medium=email");
        assertThat(store.withUtm("/p?x=1#top", "EMAIL", null)).isEqualTo("/p?x=1&utm_source=cr&utm_medium=email#top");
        assertThat(new StoreUrls("https://s.example.com", "", "").withUtm("/cart", "EMAIL", "BROWSE")).isEqualTo("/cart");
    }

    @Test
    void theChannelAndTriggerPlaceholdersNameTheMessagesChannelAndTrigger() {
        StoreUrls named = new StoreUrls("https://shop.example.com", "", "utm_source=cr&utm_medium={channel}&utm_campaign={trigger}");
        assertThat(named.withUtm("/cart", "SMS", "BACK_IN_STOCK")).isEqualTo("/cart?utm_source=cr&utm_medium=sms&utm_campaign=back-in-stock");
        assertThat(named.withUtm("/p", "WEBHOOK", "POST_PURCHASE")).isEqualTo("/p?utm_source=cr&utm_medium=webhook&utm_campaign=post-purchase");
        assertThat(named.withUtm("/p", null, null)).as("rows from before channels and triggers")
                .isEqualTo("/p?utm_source=cr&utm_medium=email&utm_campaign=abandoned-cart");
        assertThat(named.withUtm("/p", "Push&Go=1", "ABANDONED_CART")).as("a store's own channel name is encoded")
                .isEqualTo("/p?utm_source=cr&utm_medium=push%26go%3D1&utm_campaign=abandoned-cart");
    }

    @Test
    void anUnknownPlaceholderInTheUtmParametersStopsStartUp() {
        assertThatThrownBy(() -> new StoreUrls("https://shop.example.com", "", "utm_medium={channel}&utm_campaign={campaign}"))
                .hasMessageContaining("cartrecovery.links.utm-parameters").hasMessageContaining("{campaign}");
        assertThatThrownBy(() -> new StoreUrls("https://shop.example.com", "", "utm_medium={channel"))
                .hasMessageContaining("{channel");
    }

    @Test
    void cartAndHomePathsMustBePathsOnTheStore() {
        StoreUrls custom = new StoreUrls("https://shop.example.com", "", "", "/basket", "/shop/");
        assertThat(custom.cartPath()).isEqualTo("/basket");
        assertThat(custom.homePath()).isEqualTo("/shop/");
        assertThatThrownBy(() -> new StoreUrls("https://shop.example.com", "", "", "https://evil.example.net/", "/"))
                .hasMessageContaining("cartrecovery.site.cart-path must be a path on the store");
        assertThatThrownBy(() -> new StoreUrls("https://shop.example.com", "", "", "/cart", "//evil.example.net"))
                .hasMessageContaining("cartrecovery.site.home-path must be a path on the store");
    }

    @Test
    void aBaseUrlThatIsNotAnHttpUrlIsRefused() {
        assertThatThrownBy(() -> new StoreUrls("shop.example.com", "", "")).hasMessageContaining("cartrecovery.links.base-url");
    }

    @Test
    void signedLinksCarryTokensForTheirPurposeAndClickLinksOnlyWrapStoreUrls() {
        Instant now = Instant.parse("2026-01-05T10:00:00Z");
        LinkTokens tokens = new LinkTokens(SigningKeys.parse("k1:0123456789-0123456789-0123456789"));
        SignedRecoveryLinks links = new SignedRecoveryLinks(store, "u@example.com", tokens,
                Clock.fixed(now, ZoneOffset.UTC), 30, 400);

        assertThat(tokens.verify(last(links.restoreUrl(7, 99)), LinkPurpose.RESTORE, null, now)).isEqualTo(7L);
        assertThat(tokens.verify(last(links.unsubscribeUrl(7)), LinkPurpose.UNSUBSCRIBE, null, now.plusSeconds(399L * 86400)))
                .isEqualTo(7L);
        assertThat(tokens.verify(last(links.openPixelUrl(7)), LinkPurpose.OPEN, null, now)).isEqualTo(7L);
        assertThat(links.restoreUrl(7, 99)).startsWith("https://shop.example.com/cart-recovery/restore/");

        String click = links.clickUrl(7, "/mugs/enamel");
        assertThat(click).startsWith("https://shop.example.com/cart-recovery/click/")
                .endsWith("?u=https%3A%2F%2Fshop.example.com%2Fmugs%2Fenamel");
        String token = click.substring(click.lastIndexOf('/') + 1, click.indexOf('?'));
        assertThat(tokens.verify(token, LinkPurpose.CLICK, "https://shop.example.com/mugs/enamel", now)).isEqualTo(7L);

        assertThat(links.clickUrl(7, "https://elsewhere.example.org/")).isEqualTo("https://elsewhere.example.org/");
        assertThat(links.clickUrl(7, null)).isNull();
    }

    private static String last(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }
}
