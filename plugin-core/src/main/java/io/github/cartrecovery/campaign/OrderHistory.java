package io.github.cartrecovery.campaign;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;

import io.github.cartrecovery.schema.OrderEmailColumn;
import org.springframework.jdbc.core.RowCallbackHandler;

/**
 * What a shopper bought before, read from Broadleaf's BLC_ORDER at planning time: the submitted orders of
 * the same customer or the same email address (case-insensitively), other than the cart being planned,
 * counted and totalled per currency. Feeds the CUSTOMER_HISTORY and HIGH_VALUE audience conditions.
 *
 * <p>One statement per cart, through indexes: the customer side uses Broadleaf's ORDER_CUSTOMER_INDEX; the
 * address side uses the plugin's expression index CR_IX_ORDER_EMAIL_LOWER on PostgreSQL (Liquibase 005)
 * and Broadleaf's ORDER_EMAIL_INDEX on MariaDB/MySQL, where the column's case-insensitive collation lets a
 * plain comparison ignore case (so no LOWER() is applied to the column there). HSQLDB, for tests, scans.
 * Thread-safe.
 */
public class OrderHistory {

    static final String BY_LOWER = "SELECT CURRENCY_CODE, COUNT(*), SUM(ORDER_TOTAL) FROM BLC_ORDER "
            + "WHERE ORDER_STATUS = 'SUBMITTED' AND ORDER_ID <> ? AND (CUSTOMER_ID = ? OR LOWER(EMAIL_ADDRESS) = ?) "
            + "GROUP BY CURRENCY_CODE";

    static final String BY_COLLATION = "SELECT CURRENCY_CODE, COUNT(*), SUM(ORDER_TOTAL) FROM BLC_ORDER "
            + "WHERE ORDER_STATUS = 'SUBMITTED' AND ORDER_ID <> ? AND (CUSTOMER_ID = ? OR EMAIL_ADDRESS = ?) "
            + "GROUP BY CURRENCY_CODE";

    /** Chosen on first use (BLC_ORDER may not exist yet when the context starts). */
    private volatile String query;

    /** The shopper's earlier submitted orders. {@code email} is already trimmed and lower-cased. */
    public Orders of(JdbcTemplate jdbc, long orderId, Long customerId, String email) {
        final int[] count = {0};
        final Map<String, BigDecimal> spent = new HashMap<String, BigDecimal>();
        jdbc.query(query(jdbc), new RowCallbackHandler() {
            @Override
            public void processRow(ResultSet rs) throws SQLException {
                count[0] += rs.getInt(2);
                String currency = rs.getString(1);
                BigDecimal total = rs.getBigDecimal(3);
                if (currency != null && total != null) {
                    String key = currency.trim().toUpperCase(Locale.ROOT);
                    spent.put(key, total.add(spent.containsKey(key) ? spent.get(key) : BigDecimal.ZERO));
                }
            }
        }, orderId, customerId == null ? Long.MIN_VALUE : customerId, email);
        return new Orders(count[0], spent);
    }

    String query(JdbcTemplate jdbc) {
        String chosen = query;
        if (chosen == null) {
            chosen = OrderEmailColumn.ignoresCase(jdbc) ? BY_COLLATION : BY_LOWER;
            query = chosen;
        }
        return chosen;
    }

    /** A shopper's earlier submitted orders: how many, and their totals per currency code. Immutable. */
    public static final class Orders {
        private final int count;
        private final Map<String, BigDecimal> spentByCurrency;

        Orders(int count, Map<String, BigDecimal> spentByCurrency) {
            this.count = count;
            this.spentByCurrency = Collections.unmodifiableMap(spentByCurrency);
        }

        public int getCount() { return count; }
        public Map<String, BigDecimal> getSpentByCurrency() { return spentByCurrency; }
    }
}
