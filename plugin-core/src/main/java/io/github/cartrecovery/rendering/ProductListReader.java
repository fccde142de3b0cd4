package io.github.cartrecovery.rendering;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

/**
 * The products of the messages that have no cart to bring back, as a {@link RecoveryCart} whose lines are the products
 * to show (quantity 1, today's price, the email image), so they render through the same layout:
 * <ul>
 * <li>a browse message: its session's products (CR_BROWSE_PRODUCT), most recently viewed first, as far as they are
 * still sold and in stock;</li>
 * <li>a post-purchase message: products related to the bought order's (Broadleaf's cross-sales, then up-sales,
 * {@link CatalogRecommendations}), never one of the order's own products, read from Broadleaf's order lines and the
 * captured ones both (a product out of stock today is still one just bought).</li>
 * </ul>
 * A message whose list comes out empty is not sent (NO_ITEMS_AVAILABLE). Reads in the caller's transaction (the
 * plugin's tables) and in a read-only one of the store's (the catalog).
 */
public class ProductListReader {

    private final CatalogRecommendations catalog;
    private final int browseProducts;
    private final int postPurchaseProducts;

    /**
     * @param browseProducts       at most this many products in a browse email (cartrecovery.browse.products)
     * @param postPurchaseProducts at most this many in a post-purchase email (cartrecovery.post-purchase.products)
     */
    public ProductListReader(CatalogRecommendations catalog, int browseProducts, int postPurchaseProducts) {
        if (browseProducts < 1 || postPurchaseProducts < 1) {
            throw new IllegalArgumentException("cartrecovery.browse.products and cartrecovery.post-purchase.products "
                    + "must be at least 1 (were " + browseProducts + ", " + postPurchaseProducts + ")");
        }
        this.catalog = catalog;
        this.browseProducts = browseProducts;
        this.postPurchaseProducts = postPurchaseProducts;
    }

    /** The browse sessions' products, by session id; a session that does not exist is not in the map. */
    public Map<Long, RecoveryCart> browsed(JdbcTemplate jdbc, Collection<Long> sessionIds) {
        Map<Long, RecoveryCart> carts = new HashMap<Long, RecoveryCart>();
        for (Long sessionId : new LinkedHashSet<Long>(sessionIds)) {
            List<Map<String, Object>> header = jdbc.queryForList("SELECT s.LOCALE_CODE, s.CURRENCY_CODE, u.FIRST_NAME "
                    + "FROM CR_BROWSE_SESSION s LEFT JOIN BLC_CUSTOMER u ON u.CUSTOMER_ID = s.CUSTOMER_ID WHERE s.ID = ?",
                    sessionId);
            if (header.isEmpty()) {
                continue;
            }
            List<Long> products = jdbc.queryForList("SELECT PRODUCT_ID FROM CR_BROWSE_PRODUCT WHERE SESSION_ID = ? "
                    + "ORDER BY LAST_VIEWED_AT DESC, PRODUCT_ID", Long.class, sessionId);
            carts.put(sessionId, cart(header.get(0), catalog.forSale(products, browseProducts)));
        }
        return carts;
    }

    /** Recommendations next to each bought order, by order id; an order never captured is not in the map. */
    public Map<Long, RecoveryCart> afterPurchase(JdbcTemplate jdbc, Collection<Long> orderIds) {
        Map<Long, RecoveryCart> carts = new HashMap<Long, RecoveryCart>();
        for (Long orderId : new LinkedHashSet<Long>(orderIds)) {
            List<Map<String, Object>> header = jdbc.queryForList("SELECT c.LOCALE_CODE, c.CURRENCY_CODE, u.FIRST_NAME "
                    + "FROM CR_CAPTURED_CART c LEFT JOIN BLC_CUSTOMER u ON u.CUSTOMER_ID = c.CUSTOMER_ID WHERE c.ORDER_ID = ?",
                    orderId);
            if (header.isEmpty()) {
                continue;
            }
            final Set<Long> bought = new LinkedHashSet<Long>();
            RowCallbackHandler collect = new RowCallbackHandler() {
                @Override
                public void processRow(ResultSet rs) throws SQLException {
                    long productId = rs.getLong(1);
                    if (!rs.wasNull()) {
                        bought.add(productId);
                    }
                }
            };
            jdbc.query("SELECT PRODUCT_ID FROM CR_CAPTURED_CART_ITEM WHERE ORDER_ID = ? ORDER BY LINE_NO", collect, orderId);
            jdbc.query("SELECT d.PRODUCT_ID FROM BLC_ORDER_ITEM i JOIN BLC_DISCRETE_ORDER_ITEM d "
                    + "ON d.ORDER_ITEM_ID = i.ORDER_ITEM_ID WHERE i.ORDER_ID = ?", collect, orderId);
            List<Recommendation> related = catalog.forCart(bought, postPurchaseProducts);
            List<Recommendation> notBought = new ArrayList<Recommendation>();
            for (Recommendation recommendation : related) {
                if (!bought.contains(recommendation.getProductId())) {
                    notBought.add(recommendation);
                }
            }
            carts.put(orderId, cart(header.get(0), notBought));
        }
        return carts;
    }

    private static RecoveryCart cart(Map<String, Object> header, List<Recommendation> products) {
        List<CartLine> lines = new ArrayList<CartLine>();
        for (Recommendation product : products) {
            lines.add(new CartLine(product.getName(), 1, product.getPrice(), product.getPrice(), product.getImageUrl(),
                    product.getProductUrl(), null, null, product.getProductId()));
        }
        return new RecoveryCart((String) header.get("FIRST_NAME"), (String) header.get("LOCALE_CODE"),
                (String) header.get("CURRENCY_CODE"), lines, Collections.<Recommendation>emptyList());
    }
}
