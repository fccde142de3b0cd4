package io.github.cartrecovery.privacy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;

import io.github.cartrecovery.rendering.SqlLists;

/**
 * Which rows of the plugin's tables are about one address. A row is when one of its email columns holds the address
 * (any casing, surrounding spaces ignored), or it belongs to one of the address's carts (ORDER_ID) or messages
 * (PLANNED_MESSAGE_ID). The carts are those captured with the address; the messages those sent to it or about those
 * carts. Matching uses LOWER(TRIM(...)), so it does not depend on how a writer normalised the address; it scans the
 * email columns (privacy requests are rare, a scan of a few tables is acceptable). A table with a PHONE column but no
 * ORDER_ID (the SMS opt-out list) is linked through the phone numbers of the address's carts.
 */
final class ShopperRows {

    /** Rows per IN list: well below every supported database's parameter limit. */
    static final int CHUNK = 500;

    final String email;
    final Set<Long> orderIds;
    final Set<Long> messageIds;
    /** The E.164 numbers captured with the address's carts. */
    final Set<String> phones;

    private ShopperRows(String email, Set<Long> orderIds, Set<Long> messageIds, Set<String> phones) {
        this.email = email;
        this.orderIds = Collections.unmodifiableSet(orderIds);
        this.messageIds = Collections.unmodifiableSet(messageIds);
        this.phones = Collections.unmodifiableSet(phones);
    }

    static ShopperRows find(JdbcTemplate jdbc, String email) {
        Set<Long> orders = new LinkedHashSet<Long>(jdbc.queryForList(
                "SELECT ORDER_ID FROM CR_CAPTURED_CART WHERE LOWER(TRIM(EMAIL)) = ? ORDER BY ORDER_ID", Long.class, email));
        Set<Long> messages = new LinkedHashSet<Long>(jdbc.queryForList(
                "SELECT ID FROM CR_PLANNED_MESSAGE WHERE LOWER(TRIM(EMAIL)) = ? ORDER BY ID", Long.class, email));
        Set<String> phones = new LinkedHashSet<String>();
        for (List<Long> chunk : chunks(orders)) {
            messages.addAll(jdbc.queryForList("SELECT ID FROM CR_PLANNED_MESSAGE WHERE ORDER_ID IN ("
                    + SqlLists.placeholders(chunk.size()) + ") ORDER BY ID", Long.class, chunk.toArray()));
            phones.addAll(jdbc.queryForList("SELECT DISTINCT PHONE FROM CR_CAPTURED_CART WHERE PHONE IS NOT NULL AND ORDER_ID IN ("
                    + SqlLists.placeholders(chunk.size()) + ")", String.class, chunk.toArray()));
        }
        return new ShopperRows(email, orders, messages, phones);
    }

    /** The WHERE conditions (with their arguments) that pick this shopper's rows of a table; empty when none can. */
    List<Condition> conditions(List<PluginTables.Column> columns) {
        List<Condition> conditions = new ArrayList<Condition>();
        for (PluginTables.Column column : columns) {
            if (column.text && column.isEmail()) {
                conditions.add(new Condition("LOWER(TRIM(" + column.name + ")) = ?", Collections.<Object>singletonList(email)));
            }
        }
        if (PluginTables.column(columns, "ORDER_ID") != null) {
            for (List<Long> chunk : chunks(orderIds)) {
                conditions.add(new Condition("ORDER_ID IN (" + SqlLists.placeholders(chunk.size()) + ")", new ArrayList<Object>(chunk)));
            }
        }
        if (PluginTables.column(columns, "PLANNED_MESSAGE_ID") != null) {
            for (List<Long> chunk : chunks(messageIds)) {
                conditions.add(new Condition("PLANNED_MESSAGE_ID IN (" + SqlLists.placeholders(chunk.size()) + ")",
                        new ArrayList<Object>(chunk)));
            }
        }
        if (PluginTables.column(columns, "PHONE") != null && PluginTables.column(columns, "ORDER_ID") == null
                && !phones.isEmpty()) {
            conditions.add(new Condition("PHONE IN (" + SqlLists.placeholders(phones.size()) + ")", new ArrayList<Object>(phones)));
        }
        return conditions;
    }

    /** True when the table is linked to shoppers at all (has an email, order or message column). */
    static boolean linked(List<PluginTables.Column> columns) {
        for (PluginTables.Column column : columns) {
            if (column.text && column.isEmail()) {
                return true;
            }
        }
        return PluginTables.column(columns, "ORDER_ID") != null || PluginTables.column(columns, "PLANNED_MESSAGE_ID") != null
                || PluginTables.column(columns, "PHONE") != null;
    }

    static List<List<Long>> chunks(Set<Long> ids) {
        List<List<Long>> chunks = new ArrayList<List<Long>>();
        List<Long> chunk = new ArrayList<Long>();
        for (Long id : ids) {
            chunk.add(id);
            if (chunk.size() == CHUNK) {
                chunks.add(chunk);
                chunk = new ArrayList<Long>();
            }
        }
        if (!chunk.isEmpty()) {
            chunks.add(chunk);
        }
        return chunks;
    }

    /** One SQL condition and its arguments. */
    static final class Condition {
        final String sql;
        final List<Object> args;

        Condition(String sql, List<Object> args) {
            this.sql = sql;
            this.args = args;
        }
    }
}
