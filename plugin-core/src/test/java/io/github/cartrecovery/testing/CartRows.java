package io.github.cartrecovery.testing;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

/**
 * Bulk carts for scale tests, written straight to the database: BLC_ORDER rows (as Broadleaf's carts,
 * every NOT NULL column filled with a neutral value found from the schema) and their captured records.
 * Ten thousand carts take seconds instead of the minutes Broadleaf's services would need.
 */
public final class CartRows {

    private static final AtomicLong NEXT_ID = new AtomicLong(50_000_000L);

    private final DataSource dataSource;
    private Long customerId;

    public CartRows(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Inserts {@code count} open Broadleaf carts captured as ACTIVE with one item, last active at {@code lastActivity}. */
    public List<Long> activeCarts(int count, Instant lastActivity) {
        List<Long> ids = new ArrayList<>(count);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            long customer = customer(connection);
            Map<String, Object> order = new LinkedHashMap<>();
            order.put("ORDER_STATUS", "IN_PROCESS");
            order.put("CUSTOMER_ID", customer);
            order.put("ORDER_SUBTOTAL", new BigDecimal("50.00"));
            order.put("ORDER_TOTAL", new BigDecimal("52.50"));
            try (PreparedStatement orders = insertStatement(connection, "BLC_ORDER", "ORDER_ID", order);
                 PreparedStatement carts = connection.prepareStatement("INSERT INTO CR_CAPTURED_CART (ORDER_ID,"
                         + " CUSTOMER_ID, EMAIL, MARKETING_CONSENT, CURRENCY_CODE, ITEM_COUNT, SUBTOTAL, TOTAL, STATUS,"
                         + " FIRST_SEEN, LAST_ACTIVITY, STATUS_CHANGED_AT, ORIGIN)"
                         + " VALUES (?, ?, ?, 'UNKNOWN', 'USD', 1, 50.00, 52.50, 'ACTIVE', ?, ?, ?, 'STOREFRONT')")) {
                Timestamp at = Timestamp.from(lastActivity);
                for (int i = 0; i < count; i++) {
                    long id = NEXT_ID.incrementAndGet();
                    ids.add(id);
                    orders.setLong(1, id);
                    orders.addBatch();
                    carts.setLong(1, id);
                    carts.setLong(2, customer);
                    carts.setString(3, "shopper" + id + "@example.com");
                    carts.setTimestamp(4, at);
                    carts.setTimestamp(5, at);
                    carts.setTimestamp(6, at);
                    carts.addBatch();
                    if (i % 1000 == 999 || i == count - 1) {
                        orders.executeBatch();
                        carts.executeBatch();
                    }
                }
            }
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("could not insert test carts: " + e.getMessage(), e);
        }
        return ids;
    }

    public int countWithStatus(List<Long> orderIds, String status) {
        int count = 0;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT STATUS FROM CR_CAPTURED_CART WHERE ORDER_ID = ?")) {
            for (Long id : orderIds) {
                select.setLong(1, id);
                try (ResultSet row = select.executeQuery()) {
                    if (row.next() && status.equals(row.getString(1))) {
                        count++;
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return count;
    }

    private long customer(Connection connection) throws SQLException {
        if (customerId == null) {
            long id = NEXT_ID.incrementAndGet();
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("USER_NAME", "bulk-" + id);
            try (PreparedStatement insert = insertStatement(connection, "BLC_CUSTOMER", "CUSTOMER_ID", values)) {
                insert.setLong(1, id);
                insert.executeUpdate();
            }
            customerId = id;
        }
        return customerId;
    }

    /**
     * INSERT for {@code table} with the id as parameter 1, the given values bound, and every other
     * NOT NULL column without a default bound to a neutral value of its type.
     */
    private static PreparedStatement insertStatement(Connection connection, String table, String idColumn,
                                                     Map<String, Object> values) throws SQLException {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put(idColumn, null);
        Map<String, Object> given = new LinkedHashMap<>();
        values.forEach((column, value) -> given.put(column.toUpperCase(Locale.ROOT), value));
        DatabaseMetaData metaData = connection.getMetaData();
        for (String name : new String[] {table, table.toLowerCase(Locale.ROOT)}) {
            try (ResultSet columns = metaData.getColumns(connection.getCatalog(), null, name, null)) {
                while (columns.next()) {
                    String column = columns.getString("COLUMN_NAME").toUpperCase(Locale.ROOT);
                    if (column.equals(idColumn)) {
                        continue;
                    }
                    if (given.containsKey(column)) {
                        row.put(column, given.get(column));
                    } else if (columns.getInt("NULLABLE") == DatabaseMetaData.columnNoNulls
                            && columns.getString("COLUMN_DEF") == null) {
                        row.put(column, neutral(columns.getInt("DATA_TYPE")));
                    }
                }
            }
            if (row.size() > 1) {
                break;
            }
        }
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" (");
        sql.append(String.join(", ", row.keySet())).append(") VALUES (");
        sql.append(String.join(", ", java.util.Collections.nCopies(row.size(), "?"))).append(")");
        PreparedStatement insert = connection.prepareStatement(sql.toString());
        int index = 1;
        for (Map.Entry<String, Object> entry : row.entrySet()) {
            if (index > 1) {
                insert.setObject(index, entry.getValue());
            }
            index++;
        }
        return insert;
    }

    private static Object neutral(int sqlType) {
        switch (sqlType) {
            case Types.BIT:
            case Types.BOOLEAN:
                return Boolean.FALSE;
            case Types.CHAR:
            case Types.VARCHAR:
            case Types.LONGVARCHAR:
            case Types.NVARCHAR:
                return "x";
            case Types.DATE:
            case Types.TIMESTAMP:
                return Timestamp.from(Instant.now());
            default:
                return 0;
        }
    }

    /** Executes a statement (e.g. a cleanup) in its own transaction. */
    public void execute(String sql) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
