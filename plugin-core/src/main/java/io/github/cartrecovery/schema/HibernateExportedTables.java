package io.github.cartrecovery.schema;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.InitializingBean;

/**
 * With {@code blPU.hibernate.hbm2ddl.auto=create} or {@code create-drop}, Hibernate's schema export has just
 * re-created the plugin's entity tables in Hibernate's shape (without Liquibase's extra columns, indexes and
 * tables) and left the rest of the plugin's tables from the last run. This bean drops every {@code CR_} table of
 * the schema, the Liquibase bookkeeping included, so the plugin's changelog runs again from the start
 * ({@link SchemaBeforeEntityManager} runs it right after this bean). With any other {@code hbm2ddl} value it
 * does nothing. Runs once per start, on every node (a {@code create} store is a development store).
 */
public class HibernateExportedTables implements InitializingBean {

    private static final Log LOG = LogFactory.getLog(HibernateExportedTables.class);
    private static final String PREFIX = "CR_";

    private final DataSource dataSource;
    private final String hbm2ddlAuto;

    public HibernateExportedTables(DataSource dataSource, String hbm2ddlAuto) {
        this.dataSource = dataSource;
        this.hbm2ddlAuto = hbm2ddlAuto;
    }

    @Override
    public void afterPropertiesSet() throws SQLException {
        if (!SchemaBeforeEntityManager.recreatesTables(hbm2ddlAuto)) {
            return;
        }
        List<String> dropped = dropPluginTables();
        LOG.warn("blPU.hibernate.hbm2ddl.auto=" + hbm2ddlAuto + ": Hibernate re-created Cart Recovery's tables from its"
                + " entities; dropped " + dropped.size() + " CR_ tables and rebuilding them with the plugin's Liquibase"
                + " changelog (the plugin's data does not survive a restart with this setting, as Broadleaf's does not)");
    }

    /** Drops every table whose name starts with CR_ in the connection's schema; tables other tables refer to go last. */
    List<String> dropPluginTables() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            List<String> remaining = pluginTables(connection);
            List<String> dropped = new ArrayList<String>();
            // Foreign keys between the plugin's tables decide the order; dropping in passes needs no dialect knowledge.
            for (int pass = 0; pass < 20 && !remaining.isEmpty(); pass++) {
                SQLException last = null;
                for (String table : new ArrayList<String>(remaining)) {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("DROP TABLE " + table);
                        remaining.remove(table);
                        dropped.add(table);
                    } catch (SQLException referenced) {
                        last = referenced;
                    }
                }
                if (!remaining.isEmpty() && pass == 19) {
                    throw new IllegalStateException("Cart Recovery could not drop the tables Hibernate's schema export made of"
                            + " its entities: " + remaining, last);
                }
            }
            return dropped;
        }
    }

    private static List<String> pluginTables(Connection connection) throws SQLException {
        DatabaseMetaData metaData = connection.getMetaData();
        String schema = schemaOf(connection);
        List<String> tables = new ArrayList<String>();
        try (ResultSet rows = metaData.getTables(connection.getCatalog(), schema, "%", new String[] {"TABLE"})) {
            while (rows.next()) {
                String name = rows.getString("TABLE_NAME");
                if (name.toUpperCase(Locale.ROOT).startsWith(PREFIX)) {
                    tables.add(name);
                }
            }
        }
        return tables;
    }

    private static String schemaOf(Connection connection) {
        try {
            return connection.getSchema();
        } catch (SQLException | AbstractMethodError notSupported) {
            return null;
        }
    }
}
