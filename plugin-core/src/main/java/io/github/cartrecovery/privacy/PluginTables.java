package io.github.cartrecovery.privacy;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The plugin's tables and their columns, read from the database's own metadata at the time of a privacy request,
 * not from a list in the code: a CR_ table added by a later changelog is exported and erased without anyone
 * remembering to add it here. Left out: Quartz's tables (CR_QRTZ_*, job state, no shopper data) and Liquibase's
 * (CR_DATABASECHANGELOG*). Table and column names are upper-cased (PostgreSQL reports them lower case; unquoted
 * names work either way).
 */
final class PluginTables {

    /** One column: name, whether it holds text, whether it may be NULL, its length (text). */
    static final class Column {
        final String name;
        final boolean text;
        final boolean nullable;
        final int size;

        Column(String name, boolean text, boolean nullable, int size) {
            this.name = name;
            this.text = text;
            this.nullable = nullable;
            this.size = size;
        }

        /**
         * True for a column that says who the shopper is, by its name's words: an email address, an IP address, a
         * user agent, a person's name, a phone number, a customer id. Product names (plain NAME) are not.
         */
        boolean identifies() {
            Set<String> words = new HashSet<String>(Arrays.asList(name.split("_")));
            if (words.contains("SHOPPER") && words.contains("HASH")) {
                // an experiment's assignment hash: keyed by a salt stored beside it, so it links the row to an address
                // for anyone who has the address and the database
                return true;
            }
            if (words.contains("HASH")) {
                return false; // a keyed hash is what is kept instead of the address (its key is not in the database)
            }
            return words.contains("EMAIL") || words.contains("IP") || words.contains("PHONE")
                    || (words.contains("USER") && words.contains("AGENT")) || words.contains("USERAGENT")
                    || (words.contains("CUSTOMER") && words.contains("ID"))
                    || (words.contains("NAME") && (words.contains("FIRST") || words.contains("LAST") || words.contains("FULL")
                        || words.contains("CUSTOMER") || words.contains("SHOPPER")));
        }

        boolean isPhone() {
            return Arrays.asList(name.split("_")).contains("PHONE");
        }

        boolean isEmail() {
            List<String> words = Arrays.asList(name.split("_"));
            return words.contains("EMAIL") && !words.contains("HASH");
        }
    }

    private static final Set<Integer> TEXT_TYPES = new HashSet<Integer>(Arrays.asList(Types.CHAR, Types.VARCHAR,
            Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR, Types.CLOB, Types.NCLOB));

    private PluginTables() {
    }

    /** Every plugin table with its columns, by name (sorted, so work is done in the same order each time). */
    static Map<String, List<Column>> read(JdbcTemplate jdbc) {
        return jdbc.execute(new ConnectionCallback<Map<String, List<Column>>>() {
            @Override
            public Map<String, List<Column>> doInConnection(Connection connection) throws SQLException {
                DatabaseMetaData metadata = connection.getMetaData();
                String catalog = connection.getCatalog();
                String schema = schemaOf(connection);
                Map<String, List<Column>> tables = new TreeMap<String, List<Column>>();
                List<String> names = new ArrayList<String>();
                try (ResultSet rs = metadata.getTables(catalog, schema, "%", new String[] {"TABLE"})) {
                    while (rs.next()) {
                        String name = rs.getString("TABLE_NAME");
                        String upper = name.toUpperCase(Locale.ROOT);
                        if (upper.startsWith("CR_") && !upper.startsWith("CR_QRTZ_") && !upper.startsWith("CR_DATABASECHANGELOG")) {
                            names.add(name);
                        }
                    }
                }
                for (String name : names) {
                    List<Column> columns = new ArrayList<Column>();
                    try (ResultSet rs = metadata.getColumns(catalog, schema, name, "%")) {
                        while (rs.next()) {
                            columns.add(new Column(rs.getString("COLUMN_NAME").toUpperCase(Locale.ROOT),
                                    TEXT_TYPES.contains(rs.getInt("DATA_TYPE")),
                                    rs.getInt("NULLABLE") != DatabaseMetaData.columnNoNulls, rs.getInt("COLUMN_SIZE")));
                        }
                    }
                    tables.put(name.toUpperCase(Locale.ROOT), Collections.unmodifiableList(columns));
                }
                return tables;
            }
        });
    }

    private static String schemaOf(Connection connection) {
        try {
            return connection.getSchema();
        } catch (SQLException | AbstractMethodError e) {
            return null; // a driver without getSchema(): search every schema of the catalog
        }
    }

    static Column column(List<Column> columns, String name) {
        for (Column column : columns) {
            if (column.name.equals(name)) {
                return column;
            }
        }
        return null;
    }
}
