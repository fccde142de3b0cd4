package io.github.cartrecovery.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.LinkedHashMap;
import java.util.Map;

import org.broadleafcommerce.common.media.domain.Media;
import org.broadleafcommerce.common.media.domain.MediaImpl;
import org.broadleafcommerce.core.catalog.domain.Product;
import org.broadleafcommerce.core.catalog.domain.Sku;
import org.junit.jupiter.api.Test;

class ProductImagesTest {

    private static final String RESIZE = "resize-width-amount=128&resize-height-amount=128";
    private final ProductImages images = new ProductImages("https://shop.test/", "/cmsstatic/", RESIZE);

    @Test
    void makesARelativeMediaUrlAbsoluteAgainstTheStore() {
        assertThat(images.emailUrl("/img/mug.svg")).isEqualTo("https://shop.test/img/mug.svg");
        assertThat(images.emailUrl("img/mug.svg")).isEqualTo("https://shop.test/img/mug.svg");
        assertThat(images.emailUrl("//cdn.shop.test/mug.png")).isEqualTo("https://cdn.shop.test/mug.png");
        assertThat(images.emailUrl("http://cdn.shop.test/mug.png")).isEqualTo("http://cdn.shop.test/mug.png");
    }

    @Test
    void asksBroadleafForAnEmailSizedImageOfItsStaticAssets() {
        assertThat(images.emailUrl("/cmsstatic/img/mug.png")).isEqualTo("https://shop.test/cmsstatic/img/mug.png?" + RESIZE);
        assertThat(images.emailUrl("/cmsstatic/img/mug.png?v=2")).isEqualTo("https://shop.test/cmsstatic/img/mug.png?v=2&" + RESIZE);
        assertThat(new ProductImages("https://shop.test", "/cmsstatic/", "").emailUrl("/cmsstatic/a.png"))
                .isEqualTo("https://shop.test/cmsstatic/a.png");
    }

    @Test
    void leavesOutUrlsThatCannotBeUsed() {
        assertThat(images.emailUrl(null)).isNull();
        assertThat(images.emailUrl("  ")).isNull();
        assertThat(images.emailUrl("/a b.png")).isNull();
        assertThat(images.emailUrl("/a\".png")).isNull();
        assertThat(images.emailUrl("/" + "a".repeat(1100) + ".png")).as("longer than IMAGE_URL").isNull();
    }

    @Test
    void takesTheSkusPrimaryMediaElseTheProductsDefaultSkus() {
        Sku variant = sku(Map.of());
        Sku defaultSku = sku(Map.of("alt1", media("/img/side.png"), "primary", media("/img/front.png")));
        Product product = mock(Product.class);
        when(product.getDefaultSku()).thenReturn(defaultSku);

        assertThat(images.imageUrl(variant, product)).isEqualTo("https://shop.test/img/front.png");
        assertThat(images.imageUrl(sku(Map.of("alt1", media("/img/red.png"))), product)).isEqualTo("https://shop.test/img/red.png");
        assertThat(images.imageUrl(variant, null)).isNull();
    }

    @Test
    void aSkuWhoseMediaCannotBeLoadedHasNoImage() {
        Sku detached = mock(Sku.class);
        when(detached.getSkuMedia()).thenThrow(new IllegalStateException("could not initialize proxy - no Session"));
        assertThat(images.imageUrl(detached, null)).isNull();
    }

    @Test
    void emptyImageBaseUrlMeansTheLinksBaseUrlAndABadOneIsRefused() {
        assertThat(ProductImages.of("", "https://links.test", "", "").emailUrl("/a.png")).isEqualTo("https://links.test/a.png");
        assertThat(ProductImages.of("https://img.test", "https://links.test", "", "").emailUrl("/a.png")).isEqualTo("https://img.test/a.png");
        assertThatThrownBy(() -> ProductImages.of("img.test", "https://links.test", "", ""))
                .hasMessageStartingWith("cartrecovery.email.image-base-url: must be an absolute http(s) URL");
    }

    private static Sku sku(Map<String, Media> media) {
        Sku sku = mock(Sku.class);
        when(sku.getSkuMedia()).thenReturn(new LinkedHashMap<>(media));
        return sku;
    }

    private static Media media(String url) {
        Media media = new MediaImpl();
        media.setUrl(url);
        return media;
    }
}
