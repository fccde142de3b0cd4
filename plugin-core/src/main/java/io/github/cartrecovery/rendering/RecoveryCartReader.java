package io.github.cartrecovery.rendering;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

/**
 * Reads a captured cart for rendering: its item snapshot with prices re-read from the catalog; lines no
 * longer sold are left out (an empty cart means "skip the message"); a lower price than when added is
 * kept as a price drop. Returns null when the captured cart does not exist.
 */
public class RecoveryCartReader {

    private final CatalogPrices catalog;

    public RecoveryCartReader(CatalogPrices catalog) {
        this.catalog = catalog;
    }

    public RecoveryCart read(JdbcTemplate jdbc, long orderId) {
        List<Map<String, Object>> carts = jdbc.queryForList(
                "SELECT c.LOCALE_CODE, c.CURRENCY_CODE, u.FIRST_NAME FROM CR_CAPTURED_CART c "
                        + "LEFT JOIN BLC_CUSTOMER u ON u.CUSTOMER_ID = c.CUSTOMER_ID WHERE c.ORDER_ID = ?", orderId);
        if (carts.isEmpty()) {
            return null;
        }
        Map<String, Object> cart = carts.get(0);
        final List<CartLine> lines = new ArrayList<CartLine>();
        jdbc.query("SELECT SKU_ID, NAME, QUANTITY, UNIT_PRICE, IMAGE_URL, PRODUCT_URL FROM CR_CAPTURED_CART_ITEM "
                + "WHERE ORDER_ID = ? ORDER BY LINE_NO", new RowCallbackHandler() {
                    @Override
                    public void processRow(ResultSet rs) throws SQLException {
                        long skuId = rs.getLong("SKU_ID");
                        boolean hasSku = !rs.wasNull();
                        BigDecimal whenAdded = rs.getBigDecimal("UNIT_PRICE");
                        BigDecimal current = hasSku ? catalog.currentPrice(skuId) : whenAdded;
                        if (current == null) {
                            return; // no longer sold
                        }
                        lines.add(new CartLine(rs.getString("NAME"), rs.getInt("QUANTITY"), current, whenAdded,
                                rs.getString("IMAGE_URL"), rs.getString("PRODUCT_URL")));
                    }
                }, orderId);
        return new RecoveryCart((String) cart.get("FIRST_NAME"), (String) cart.get("LOCALE_CODE"),
                (String) cart.get("CURRENCY_CODE"), lines);
    }
}
