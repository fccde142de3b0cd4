package io.github.cartrecovery.testing;

import java.sql.Connection;

import javax.sql.DataSource;

import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;

/** The plugin's tables (the core changelog, as the plugin installs them), for database tests without Broadleaf. */
public final class PluginSchema {

    private PluginSchema() {
    }

    public static void migrate(DataSource dataSource) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
            database.setDatabaseChangeLogTableName("CR_DATABASECHANGELOG");
            database.setDatabaseChangeLogLockTableName("CR_DATABASECHANGELOGLOCK");
            new Liquibase("db/changelog/cartrecovery-master.xml", new ClassLoaderResourceAccessor(), database)
                    .update(new Contexts(), new LabelExpression());
            connection.commit();
        }
    }
}
