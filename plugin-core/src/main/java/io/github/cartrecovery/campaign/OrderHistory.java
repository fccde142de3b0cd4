package io.github.cartrecovery.campaign;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;

import io.github.cartrecovery.rendering.SqlLists;
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
 * {@link #ofShoppers} answers the same for several carts at once (delivery's step conditions) in one statement.
 * Thread-safe.
 */
public class OrderHistory {

    static final String BY_LOWER = "SELECT CURRENCY_CODE, COUNT(*), SUM(ORDER_TOTAL) FROM BLC_ORDER "
            + "WHERE ORDER_STATUS = 'SUBMITTED' AND ORDER_ID <> ? AND (CUSTOMER_ID = ? OR LOWER(EMAIL_ADDRESS) = ?) "
            + "GROUP BY CURRENCY_CODE";

    static final String BY_COLLATION = "SELECT CURRENCY_CODE, COUNT(*), SUM(ORDER_TOTAL) FROM BLC_ORDER "
            + "WHERE ORDER_STATUS = 'SUBMITTED' AND ORDER_ID <> ? AND (CUSTOMER_ID = ? OR EMAIL_ADDRESS = ?) "
            + "GROUP BY CURRENCY_CODE";

    /** Several shoppers' submitted orders, one row each (the %s: customer ids, then addresses). */
    static final String ORDERS_BY_LOWER = "SELECT ORDER_ID, CUSTOMER_ID, LOWER(EMAIL_ADDRESS), CURRENCY_CODE, ORDER_TOTAL "
            + "FROM BLC_ORDER WHERE ORDER_STATUS = 'SUBMITTED' AND (%sLOWER(EMAIL_ADDRESS) IN (%s))";

    static final String ORDERS_BY_COLLATION = "SELECT ORDER_ID, CUSTOMER_ID, LOWER(EMAIL_ADDRESS), CURRENCY_CODE, ORDER_TOTAL "
            + "FROM BLC_ORDER WHERE ORDER_STATUS = 'SUBMITTED' AND (%sEMAIL_ADDRESS IN (%s))";

    /** Chosen on first use (BLC_ORDER may not exist yet when the context starts). */
    private volatile String query;
    private volatile String ordersQuery;

    /** Whether Broadleaf's customer is registered (an audience fact); false for a guest or no customer. */
    static boolean isRegistered(JdbcTemplate jdbc, Long customerId) {
        if (customerId == null) {
            return false;
        }
        List<Boolean> registered = jdbc.queryForList(
                "SELECT IS_REGISTERED FROM BLC_CUSTOMER WHERE CUSTOMER_ID = ?", Boolean.class, customerId);
        return !registered.isEmpty() && Boolean.TRUE.equals(registered.get(0));
    }

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

    /**
     * The earlier submitted orders of several shoppers, by the order id of each one's cart; one statement. Each
     * shopper's {@code email} is already trimmed and lower-cased.
     */
    public Map<Long, Orders> ofShoppers(JdbcTemplate jdbc, Collection<Shopper> shoppers) {
        final Map<Long, Orders> history = new HashMap<Long, Orders>();
        if (shoppers.isEmpty()) {
            return history;
        }
        Set<Long> customers = new LinkedHashSet<Long>();
        Set<String> emails = new LinkedHashSet<String>();
        for (Shopper shopper : shoppers) {
            if (shopper.customerId != null) {
                customers.add(shopper.customerId);
            }
            emails.add(shopper.email == null ? "" : shopper.email);
        }
        List<Long> customerList = customers.isEmpty() ? new ArrayList<Long>() : SqlLists.padded(customers);
        List<String> emailList = SqlLists.padded(emails);
        String byCustomer = customers.isEmpty() ? "" : "CUSTOMER_ID IN (" + SqlLists.placeholders(customerList.size()) + ") OR ";
        String form = ordersQuery;
        if (form == null) {
            form = OrderEmailColumn.ignoresCase(jdbc) ? ORDERS_BY_COLLATION : ORDERS_BY_LOWER;
            ordersQuery = form;
        }
        String sql = String.format(form, byCustomer, SqlLists.placeholders(emailList.size()));
        List<Object> args = new ArrayList<Object>(customerList);
        args.addAll(emailList);
        final List<Object[]> orders = new ArrayList<Object[]>();
        jdbc.query(sql, new RowCallbackHandler() {
            @Override
            public void processRow(ResultSet rs) throws SQLException {
                long customer = rs.getLong(2);
                orders.add(new Object[] {rs.getLong(1), rs.wasNull() ? null : customer, rs.getString(3), rs.getString(4),
                    rs.getBigDecimal(5)});
            }
        }, args.toArray());
        for (Shopper shopper : shoppers) {
            int count = 0;
            Map<String, BigDecimal> spent = new HashMap<String, BigDecimal>();
            for (Object[] order : orders) {
                boolean same = (shopper.customerId != null && shopper.customerId.equals(order[1]))
                        || (shopper.email != null && shopper.email.equals(order[2]));
                if (!same || order[0].equals(shopper.orderId)) {
                    continue;
                }
                count++;
                if (order[3] != null && order[4] != null) {
                    String key = ((String) order[3]).trim().toUpperCase(Locale.ROOT);
                    spent.put(key, ((BigDecimal) order[4]).add(spent.containsKey(key) ? spent.get(key) : BigDecimal.ZERO));
                }
            }
            history.put(shopper.orderId, new Orders(count, spent));
        }
        return history;
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

    /** Whose history {@link #ofShoppers} reads: the cart (excluded from its own history), customer and address. */
    public static final class Shopper {
        final long orderId;
        final Long customerId;
        final String email;

        public Shopper(long orderId, Long customerId, String email) {
            this.orderId = orderId;
            this.customerId = customerId;
            this.email = email;
        }
    }
}
