package io.github.cartrecovery.privacy;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

import org.codehaus.jackson.JsonFactory;
import org.codehaus.jackson.JsonGenerator;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

/**
 * Everything the plugin holds about one address, as JSON: per CR_ table, every row about it ({@link ShopperRows}), with
 * every column, plus whether the address is suppressed, in clear or as an erased hash. Written with Jackson's
 * streaming generator (Jackson 1.9 comes with Broadleaf), so every string is escaped correctly. Read-only.
 *
 * <pre>{"email": "...", "exportedAt": "2026-...Z", "suppressedAfterErasure": false,
 *  "tables": {"CR_CAPTURED_CART": [{"ORDER_ID": 1, "EMAIL": "...", ...}], "CR_PLANNED_MESSAGE": [...], ...}}</pre>
 * Times are ISO-8601 instants (UTC); numbers are numbers; a table with no row about the address is left out.
 */
class PersonalDataExport {

    private static final JsonFactory JSON = new JsonFactory();

    private final JdbcTemplate jdbc;
    private final ErasedSuppressions erasedSuppressions;
    private final Clock clock;

    PersonalDataExport(DataSource dataSource, ErasedSuppressions erasedSuppressions, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.erasedSuppressions = erasedSuppressions;
        this.clock = clock;
    }

    void write(String email, Writer out) throws IOException {
        final JsonGenerator json = JSON.createJsonGenerator(out);
        json.useDefaultPrettyPrinter();
        json.writeStartObject();
        json.writeStringField("email", email);
        json.writeStringField("exportedAt", Instant.now(clock).toString());
        json.writeBooleanField("suppressedAfterErasure", erasedSuppressions.isSuppressed(jdbc, email));
        json.writeObjectFieldStart("tables");
        ShopperRows shopper = ShopperRows.find(jdbc, email);
        for (Map.Entry<String, List<PluginTables.Column>> table : PluginTables.read(jdbc).entrySet()) {
            List<ShopperRows.Condition> conditions = shopper.conditions(table.getValue());
            if (conditions.isEmpty()) {
                continue;
            }
            StringBuilder where = new StringBuilder();
            java.util.List<Object> args = new java.util.ArrayList<Object>();
            for (ShopperRows.Condition condition : conditions) {
                where.append(where.length() == 0 ? "" : " OR ").append('(').append(condition.sql).append(')');
                args.addAll(condition.args);
            }
            final boolean[] started = {false};
            final String name = table.getKey();
            jdbc.query("SELECT * FROM " + name + " WHERE " + where, new RowCallbackHandler() {
                @Override
                public void processRow(ResultSet rs) throws SQLException {
                    try {
                        if (!started[0]) {
                            json.writeArrayFieldStart(name);
                            started[0] = true;
                        }
                        writeRow(json, rs);
                    } catch (IOException e) {
                        throw new SQLException("could not write the export", e);
                    }
                }
            }, args.toArray());
            if (started[0]) {
                json.writeEndArray();
            }
        }
        json.writeEndObject();
        json.writeEndObject();
        json.flush();
    }

    private static void writeRow(JsonGenerator json, ResultSet rs) throws SQLException, IOException {
        ResultSetMetaData columns = rs.getMetaData();
        json.writeStartObject();
        for (int i = 1; i <= columns.getColumnCount(); i++) {
            String name = columns.getColumnLabel(i).toUpperCase(Locale.ROOT);
            Object value = rs.getObject(i);
            if (value == null) {
                json.writeNullField(name);
            } else if (value instanceof java.util.Date) {
                json.writeStringField(name, Instant.ofEpochMilli(((java.util.Date) value).getTime()).toString());
            } else if (value instanceof BigDecimal) {
                json.writeNumberField(name, (BigDecimal) value);
            } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
                json.writeNumberField(name, ((Number) value).longValue());
            } else if (value instanceof Number) {
                json.writeNumberField(name, ((Number) value).doubleValue());
            } else if (value instanceof Boolean) {
                json.writeBooleanField(name, (Boolean) value);
            } else {
                json.writeStringField(name, String.valueOf(value));
            }
        }
        json.writeEndObject();
    }

}
