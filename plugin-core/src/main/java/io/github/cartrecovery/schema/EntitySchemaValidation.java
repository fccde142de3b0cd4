package io.github.cartrecovery.schema;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import javax.sql.DataSource;

import org.hibernate.HibernateException;
import org.hibernate.cfg.Configuration;
import org.hibernate.dialect.Dialect;
import org.hibernate.mapping.Table;
import org.hibernate.tool.hbm2ddl.DatabaseMetadata;
import org.springframework.beans.factory.InitializingBean;

/**
 * Checks, with Hibernate's own schema validator, that the plugin's entities match the tables
 * Liquibase created. Runs at startup before Broadleaf's entity manager factory, whether the plugin
 * migrated the schema itself or the operator ran Liquibase by hand, so a missing or drifted table is
 * a clear startup error instead of a failure in the middle of the night.
 */
public class EntitySchemaValidation implements InitializingBean {

    private final DataSource dataSource;
    private final Dialect dialect;
    private final List<Class<?>> entities;

    public EntitySchemaValidation(DataSource dataSource, Dialect dialect, List<Class<?>> entities) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.entities = entities;
    }

    @Override
    public void afterPropertiesSet() throws SQLException {
        validate();
    }

    public void validate() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            Configuration configuration = new Configuration();
            // Look the tables up in this connection's own database: on a MySQL/MariaDB server holding several
            // databases (staging next to production), an unqualified lookup finds a same-named table anywhere.
            if (connection.getCatalog() != null) {
                configuration.setProperty("hibernate.default_catalog", connection.getCatalog());
            }
            for (Class<?> entity : entities) {
                configuration.addAnnotatedClass(entity);
            }
            configuration.buildMappings();
            DatabaseMetadata metadata = new DatabaseMetadata(connection, dialect);
            List<String> missing = new ArrayList<String>();
            Iterator<Table> tables = configuration.getTableMappings();
            while (tables.hasNext()) {
                Table table = tables.next();
                if (table.isPhysicalTable() && metadata.getTableMetadata(table.getName(), table.getSchema(),
                        connection.getCatalog(), table.isQuoted()) == null) {
                    missing.add(table.getName());
                }
            }
            if (!missing.isEmpty()) {
                throw new IllegalStateException("Cart Recovery's tables are not in blPU's database (" + describe(connection)
                        + "): " + missing + " missing. With cartrecovery.schema.migrate-on-startup=false the plugin leaves its"
                        + " schema to you: apply its Liquibase changelog (`mvn liquibase:update` in the cart-recovery-liquibase"
                        + " module, or the Liquibase CLI with db/changelog/cartrecovery-master.xml), or set"
                        + " cartrecovery.schema.migrate-on-startup=true (docs/install.md, \"Schema\").");
            }
            configuration.validateSchema(dialect, metadata);
        } catch (HibernateException e) {
            throw new IllegalStateException("Cart Recovery's tables do not match its entities: " + e.getMessage()
                    + ". Apply the plugin's Liquibase changelog (cartrecovery.schema.migrate-on-startup=true,"
                    + " or `mvn liquibase:update` in the cart-recovery-liquibase module).", e);
        }
    }

    private static String describe(Connection connection) {
        try {
            return connection.getMetaData().getURL();
        } catch (SQLException e) {
            return "URL unknown";
        }
    }
}
