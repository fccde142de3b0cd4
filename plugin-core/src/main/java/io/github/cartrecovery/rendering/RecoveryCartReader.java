package io.github.cartrecovery.rendering;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

/**
 * Reads captured carts for rendering: their item snapshots with prices re-read from the catalog; lines
 * no longer sold are left out (an empty cart means "skip the message"); a lower price than when added is
 * kept as a price drop. Where the host tracks inventory, out-of-stock lines are left out too, and a line
 * with at most {@code lowStockThreshold} units left carries that number, for "Only N left" (threshold 0:
 * never). With a {@link CatalogRecommendations} each cart also carries products recommended next to it. A whole
 * delivery batch costs three statements: the carts (with the shopper's first name), their
 * items, and one catalog lookup for every distinct SKU.
 */
public class RecoveryCartReader {

    /** The default of cartrecovery.rendering.low-stock-threshold. */
    public static final int DEFAULT_LOW_STOCK_THRESHOLD = 5;

    private final CatalogPrices catalog;
    private final int lowStockThreshold;
    private final CatalogRecommendations recommendations;
    private final int recommendationLimit;

    public RecoveryCartReader(CatalogPrices catalog) {
        this(catalog, DEFAULT_LOW_STOCK_THRESHOLD);
    }

    public RecoveryCartReader(CatalogPrices catalog, int lowStockThreshold) {
        this(catalog, lowStockThreshold, null, 0);
    }

    /**
     * @param recommendations     where recommended products come from (cross-sales and up-sales), or null for none
     * @param recommendationLimit at most this many per cart (0: none)
     */
    public RecoveryCartReader(CatalogPrices catalog, int lowStockThreshold, CatalogRecommendations recommendations,
                              int recommendationLimit) {
        if (lowStockThreshold < 0) {
            throw new IllegalArgumentException("cartrecovery.rendering.low-stock-threshold must not be negative (was "
                    + lowStockThreshold + ")");
        }
        this.catalog = catalog;
        this.lowStockThreshold = lowStockThreshold;
        this.recommendations = recommendations;
        this.recommendationLimit = recommendationLimit;
    }

    /** One captured cart, or null when it does not exist. */
    public RecoveryCart read(JdbcTemplate jdbc, long orderId) {
        return read(jdbc, Collections.singleton(orderId)).get(orderId);
    }

    /** The captured carts of these orders, by order id; an order without a captured cart is not in the map. */
    public Map<Long, RecoveryCart> read(JdbcTemplate jdbc, Collection<Long> orderIds) {
        final Map<Long, RecoveryCart> carts = new HashMap<Long, RecoveryCart>();
        if (orderIds.isEmpty()) {
            return carts;
        }
        final Set<Long> ids = new LinkedHashSet<Long>(orderIds);
        final Map<Long, String[]> headers = new HashMap<Long, String[]>();
        List<Long> padded = SqlLists.padded(ids);
        jdbc.query("SELECT c.ORDER_ID, c.LOCALE_CODE, c.CURRENCY_CODE, u.FIRST_NAME FROM CR_CAPTURED_CART c "
                + "LEFT JOIN BLC_CUSTOMER u ON u.CUSTOMER_ID = c.CUSTOMER_ID WHERE c.ORDER_ID IN ("
                + SqlLists.placeholders(padded.size()) + ")", new RowCallbackHandler() {
                    @Override
                    public void processRow(ResultSet rs) throws SQLException {
                        headers.put(rs.getLong("ORDER_ID"), new String[] {rs.getString("FIRST_NAME"),
                                rs.getString("LOCALE_CODE"), rs.getString("CURRENCY_CODE")});
                    }
                }, padded.toArray());
        if (headers.isEmpty()) {
            return carts;
        }
        List<Long> withHeaders = SqlLists.padded(headers.keySet());
        final Map<Long, List<Item>> items = new LinkedHashMap<Long, List<Item>>();
        final Set<Long> skuIds = new LinkedHashSet<Long>();
        jdbc.query("SELECT ORDER_ID, SKU_ID, PRODUCT_ID, NAME, OPTIONS, QUANTITY, UNIT_PRICE, IMAGE_URL, PRODUCT_URL FROM CR_CAPTURED_CART_ITEM "
                + "WHERE ORDER_ID IN (" + SqlLists.placeholders(withHeaders.size()) + ") ORDER BY ORDER_ID, LINE_NO",
                new RowCallbackHandler() {
                    @Override
                    public void processRow(ResultSet rs) throws SQLException {
                        long skuId = rs.getLong("SKU_ID");
                        Long sku = rs.wasNull() ? null : skuId;
                        if (sku != null) {
                            skuIds.add(sku);
                        }
                        long productId = rs.getLong("PRODUCT_ID");
                        Long product = rs.wasNull() ? null : productId;
                        long orderId = rs.getLong("ORDER_ID");
                        List<Item> lines = items.get(orderId);
                        if (lines == null) {
                            lines = new ArrayList<Item>();
                            items.put(orderId, lines);
                        }
                        lines.add(new Item(sku, product, rs.getString("NAME"), rs.getInt("QUANTITY"), rs.getBigDecimal("UNIT_PRICE"),
                                rs.getString("IMAGE_URL"), rs.getString("PRODUCT_URL"), rs.getString("OPTIONS")));
                    }
                }, withHeaders.toArray());
        Map<Long, CatalogPrices.SkuToday> today = catalog.today(skuIds);
        for (Map.Entry<Long, String[]> header : headers.entrySet()) {
            List<CartLine> lines = new ArrayList<CartLine>();
            List<Item> captured = items.get(header.getKey());
            for (Item item : captured == null ? Collections.<Item>emptyList() : captured) {
                CatalogPrices.SkuToday sku = item.skuId == null ? null : today.get(item.skuId);
                BigDecimal current = item.skuId == null ? item.priceWhenAdded : sku == null ? null : sku.getPrice();
                if (current == null) {
                    continue; // no longer sold, or out of stock
                }
                Integer left = sku == null ? null : sku.getQuantityAvailable();
                Integer lowStock = left != null && left <= lowStockThreshold ? left : null;
                lines.add(new CartLine(item.name, item.quantity, current, item.priceWhenAdded, item.imageUrl,
                        item.productUrl, lowStock, item.skuId, item.productId, item.options));
            }
            String[] cart = header.getValue();
            carts.put(header.getKey(), new RecoveryCart(cart[0], cart[1], cart[2], lines, recommended(captured)));
        }
        return carts;
    }

    /** Recommendations next to the products of every captured line (sold today or not: none of them is suggested). */
    private List<Recommendation> recommended(List<Item> captured) {
        if (recommendations == null || recommendationLimit == 0 || captured == null) {
            return Collections.<Recommendation>emptyList();
        }
        Set<Long> products = new LinkedHashSet<Long>();
        for (Item item : captured) {
            if (item.productId != null) {
                products.add(item.productId);
            }
        }
        return recommendations.forCart(products, recommendationLimit); // one catalog lookup per cart
    }

    /** A captured line before today's price is known. */
    private static final class Item {
        final Long skuId;
        final Long productId;
        final String name;
        final int quantity;
        final BigDecimal priceWhenAdded;
        final String imageUrl;
        final String productUrl;
        final String options;

        Item(Long skuId, Long productId, String name, int quantity, BigDecimal priceWhenAdded, String imageUrl,
             String productUrl, String options) {
            this.options = options;
            this.skuId = skuId;
            this.productId = productId;
            this.name = name;
            this.quantity = quantity;
            this.priceWhenAdded = priceWhenAdded;
            this.imageUrl = imageUrl;
            this.productUrl = productUrl;
        }
    }
}
