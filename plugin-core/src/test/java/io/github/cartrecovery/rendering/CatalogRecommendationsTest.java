package io.github.cartrecovery.rendering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.broadleafcommerce.common.money.Money;
import org.broadleafcommerce.core.catalog.domain.CrossSaleProductImpl;
import org.broadleafcommerce.core.catalog.domain.Product;
import org.broadleafcommerce.core.catalog.domain.RelatedProduct;
import org.broadleafcommerce.core.catalog.domain.Sku;
import org.broadleafcommerce.core.catalog.domain.UpSaleProductImpl;
import org.broadleafcommerce.core.catalog.service.CatalogService;
import org.broadleafcommerce.core.inventory.service.type.InventoryType;
import org.junit.jupiter.api.Test;

import io.github.cartrecovery.capture.ProductImages;

/** Recommendations from Broadleaf's cross-sale and up-sale relations, as Broadleaf's Product API gives them. */
class CatalogRecommendationsTest {

    private final CatalogService catalog = mock(CatalogService.class);
    private final List<Sku> skus = new ArrayList<>();
    private final CatalogRecommendations recommendations = new CatalogRecommendations(catalog, new CatalogPrices(catalog),
            new ProductImages("https://shop.test", "/cmsstatic/", ""), null);

    private final Product kettle = product(1, "Kettle", true, 10);
    private final Product mug = product(2, "Mug", true, 10);
    private final Product teapot = product(3, "Teapot", true, 10);
    private final Product soldOut = product(4, "Sold Out Tin", true, 0);
    private final Product retired = product(5, "Retired Cup", false, 10);
    private final Product strainer = product(6, "Strainer", true, 10);
    private final Product towel = product(7, "Towel", true, 10);

    CatalogRecommendationsTest() {
        when(catalog.findSkusByIds(anyList())).thenAnswer(call -> {
            List<Long> ids = call.getArgument(0);
            List<Sku> found = new ArrayList<>();
            for (Sku sku : skus) {
                if (ids.contains(sku.getId())) {
                    found.add(sku);
                }
            }
            return found;
        });
        crossSales(kettle, mug, soldOut, retired, teapot);
        upSales(kettle, strainer);
        crossSales(mug, kettle, towel);
    }

    @Test
    void neverRecommendsAProductAlreadyInTheCart() {
        List<Recommendation> picked = recommendations.forCart(cart(kettle, mug), 12);
        assertThat(names(picked)).containsExactly("Teapot", "Towel", "Strainer").doesNotContain("Kettle", "Mug");
    }

    @Test
    void neverRecommendsAnOutOfStockOrInactiveProduct() {
        assertThat(names(recommendations.forCart(cart(kettle), 12))).containsExactly("Mug", "Teapot", "Strainer");
    }

    @Test
    void recommendsAtMostTheLimitCrossSalesFirstInSequence() {
        assertThat(names(recommendations.forCart(cart(kettle), 2))).containsExactly("Mug", "Teapot");
        assertThat(recommendations.forCart(cart(kettle), 0)).isEmpty();
    }

    @Test
    void carriesTodaysPriceTheEmailImageAndTheProductPage() {
        Recommendation teapotShown = recommendations.forCart(cart(kettle, mug), 1).get(0);
        assertThat(teapotShown.getName()).isEqualTo("Teapot");
        assertThat(teapotShown.getPrice()).isEqualByComparingTo("13");
        assertThat(teapotShown.getImageUrl()).isEqualTo("https://shop.test/img/3.png");
        assertThat(teapotShown.getProductUrl()).isEqualTo("/products/Teapot");
    }

    private Set<Long> cart(Product... products) {
        Set<Long> ids = new LinkedHashSet<>();
        for (Product product : products) {
            ids.add(product.getId());
        }
        return ids;
    }

    private static List<String> names(List<Recommendation> picked) {
        List<String> names = new ArrayList<>();
        for (Recommendation recommendation : picked) {
            names.add(recommendation.getName());
        }
        return names;
    }

    private Product product(long id, String name, boolean active, int stock) {
        Sku sku = mock(Sku.class);
        when(sku.getId()).thenReturn(100 + id);
        when(sku.isActive()).thenReturn(true);
        when(sku.isAvailable()).thenReturn(true);
        when(sku.getPrice()).thenReturn(new Money(new BigDecimal(10 + id)));
        when(sku.getInventoryType()).thenReturn(InventoryType.CHECK_QUANTITY);
        when(sku.getQuantityAvailable()).thenReturn(stock);
        org.broadleafcommerce.common.media.domain.Media image = new org.broadleafcommerce.common.media.domain.MediaImpl();
        image.setUrl("/img/" + id + ".png");
        when(sku.getSkuMedia()).thenReturn(new java.util.HashMap<>(java.util.Map.of("primary", image)));
        skus.add(sku);
        Product product = mock(Product.class);
        when(product.getId()).thenReturn(id);
        when(product.getName()).thenReturn(name);
        when(product.getUrl()).thenReturn("/products/" + name);
        when(product.isActive()).thenReturn(active);
        when(product.getDefaultSku()).thenReturn(sku);
        when(product.getCrossSaleProducts()).thenReturn(new ArrayList<>());
        when(product.getUpSaleProducts()).thenReturn(new ArrayList<>());
        when(catalog.findProductById(id)).thenReturn(product);
        return product;
    }

    private static void crossSales(Product product, Product... related) {
        List<RelatedProduct> relations = new ArrayList<>();
        for (int i = related.length - 1; i >= 0; i--) { // stored out of order: the sequence decides
            RelatedProduct relation = new CrossSaleProductImpl();
            relation.setProduct(product);
            relation.setRelatedProduct(related[i]);
            relation.setSequence(BigDecimal.valueOf(i));
            relations.add(relation);
        }
        when(product.getCrossSaleProducts()).thenReturn(relations);
    }

    private static void upSales(Product product, Product... related) {
        List<RelatedProduct> relations = new ArrayList<>();
        for (int i = 0; i < related.length; i++) {
            RelatedProduct relation = new UpSaleProductImpl();
            relation.setProduct(product);
            relation.setRelatedProduct(related[i]);
            relation.setSequence(BigDecimal.valueOf(i));
            relations.add(relation);
        }
        when(product.getUpSaleProducts()).thenReturn(relations);
    }
}
