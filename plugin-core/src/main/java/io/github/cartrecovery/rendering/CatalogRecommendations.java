package io.github.cartrecovery.rendering;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.broadleafcommerce.core.catalog.domain.Product;
import org.broadleafcommerce.core.catalog.domain.RelatedProduct;
import org.broadleafcommerce.core.catalog.domain.Sku;
import org.broadleafcommerce.core.catalog.service.CatalogService;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.cartrecovery.capture.ProductImages;

/**
 * Host adapter: products to recommend next to a cart, from Broadleaf's cross-sale and up-sale relations of its
 * products (BLC_PRODUCT_CROSS_SALE, BLC_PRODUCT_UP_SALE, read through {@code Product#getCrossSaleProducts()} and
 * {@code #getUpSaleProducts()}): cross-sales first, each list in its sequence, cart products in cart order. Never
 * a product already in the cart, never an inactive one, never one whose default SKU is not sold or out of stock
 * ({@link CatalogPrices#today}); at most the limit. Read in one read-only transaction of the store's
 * transaction manager, so Broadleaf's lazy relations load.
 */
public class CatalogRecommendations {

    private final CatalogService catalogService;
    private final CatalogPrices prices;
    private final ProductImages images;
    private final TransactionTemplate transaction;

    /** @param transactionManager the store's (blTransactionManager); null when the caller already holds a session */
    public CatalogRecommendations(CatalogService catalogService, CatalogPrices prices, ProductImages images,
                                  PlatformTransactionManager transactionManager) {
        this.catalogService = catalogService;
        this.prices = prices;
        this.images = images;
        if (transactionManager == null) {
            this.transaction = null;
        } else {
            this.transaction = new TransactionTemplate(transactionManager);
            this.transaction.setReadOnly(true);
        }
    }

    /** At most {@code limit} products related to these (the cart's), none of them, all for sale and in stock. */
    public List<Recommendation> forCart(final Set<Long> cartProductIds, final int limit) {
        if (cartProductIds.isEmpty() || limit <= 0) {
            return Collections.emptyList();
        }
        if (transaction == null) {
            return pick(cartProductIds, limit);
        }
        return transaction.execute(new TransactionCallback<List<Recommendation>>() {
            @Override
            public List<Recommendation> doInTransaction(TransactionStatus status) {
                return pick(cartProductIds, limit);
            }
        });
    }

    /**
     * These products themselves, in this order, as far as they are active, sold and in stock today; at most
     * {@code limit} (the products a browse email shows).
     */
    public List<Recommendation> forSale(final List<Long> productIds, final int limit) {
        if (productIds.isEmpty() || limit <= 0) {
            return Collections.emptyList();
        }
        if (transaction == null) {
            return available(productIds, limit);
        }
        return transaction.execute(new TransactionCallback<List<Recommendation>>() {
            @Override
            public List<Recommendation> doInTransaction(TransactionStatus status) {
                return available(productIds, limit);
            }
        });
    }

    private List<Recommendation> available(List<Long> productIds, int limit) {
        Map<Long, Product> products = new LinkedHashMap<Long, Product>();
        for (Long id : productIds) {
            Product product = catalogService.findProductById(id);
            if (product != null && product.getId() != null && product.isActive() && product.getDefaultSku() != null
                    && product.getDefaultSku().getId() != null) {
                products.put(product.getId(), product);
            }
        }
        return sold(products, limit);
    }

    private List<Recommendation> pick(Set<Long> cartProductIds, int limit) {
        Map<Long, Product> candidates = new LinkedHashMap<Long, Product>();
        for (Long id : cartProductIds) {
            Product product = catalogService.findProductById(id);
            if (product != null) {
                add(candidates, product.getCrossSaleProducts(), cartProductIds);
            }
        }
        for (Long id : cartProductIds) {
            Product product = catalogService.findProductById(id);
            if (product != null) {
                add(candidates, product.getUpSaleProducts(), cartProductIds);
            }
        }
        return sold(candidates, limit);
    }

    /** The candidates whose default SKU is sold and in stock today, at today's price, at most {@code limit}. */
    private List<Recommendation> sold(Map<Long, Product> candidates, int limit) {
        List<Long> skuIds = new ArrayList<Long>();
        for (Product candidate : candidates.values()) {
            skuIds.add(candidate.getDefaultSku().getId());
        }
        Map<Long, CatalogPrices.SkuToday> today = prices.today(skuIds);
        List<Recommendation> picked = new ArrayList<Recommendation>();
        for (Product candidate : candidates.values()) {
            Sku sku = candidate.getDefaultSku();
            CatalogPrices.SkuToday sold = today.get(sku.getId());
            if (sold == null) {
                continue; // not sold any more, or out of stock
            }
            picked.add(new Recommendation(candidate.getId(), candidate.getName(), sold.getPrice(),
                    images == null ? null : images.imageUrl(sku, candidate), candidate.getUrl()));
            if (picked.size() == limit) {
                break;
            }
        }
        return picked;
    }

    private static void add(Map<Long, Product> candidates, Collection<RelatedProduct> related, Set<Long> cart) {
        if (related == null) {
            return;
        }
        List<RelatedProduct> inSequence = new ArrayList<RelatedProduct>(related);
        Collections.sort(inSequence, new java.util.Comparator<RelatedProduct>() {
            @Override
            public int compare(RelatedProduct a, RelatedProduct b) {
                if (a.getSequence() == null || b.getSequence() == null) {
                    return a.getSequence() == null ? (b.getSequence() == null ? 0 : 1) : -1;
                }
                return a.getSequence().compareTo(b.getSequence());
            }
        });
        for (RelatedProduct relation : inSequence) {
            Product product = relation.getRelatedProduct();
            if (product == null || product.getId() == null || cart.contains(product.getId())
                    || candidates.containsKey(product.getId()) || !product.isActive() || product.getDefaultSku() == null
                    || product.getDefaultSku().getId() == null) {
                continue;
            }
            candidates.put(product.getId(), product);
        }
    }
}
