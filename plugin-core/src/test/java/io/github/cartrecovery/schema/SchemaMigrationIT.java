package io.github.cartrecovery.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import javax.sql.DataSource;

import org.hibernate.dialect.Dialect;
import org.junit.jupiter.api.Test;

import io.github.cartrecovery.capture.CapturedCart;
import io.github.cartrecovery.delivery.ExitRules;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;
import io.github.cartrecovery.testing.TestDatabase;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;

/** The plugin owns its tables through Liquibase, on whichever database the run selected. */
@BroadleafWithPlugin
class SchemaMigrationIT {

    static final String CHANGELOG = "db/changelog/cartrecovery-master.xml";

    @Test
    void startupAppliedEveryChangeset(PluginContext broadleaf) throws Exception {
        try (Connection connection = broadleaf.database().dataSource().getConnection()) {
            assertThat(liquibase(connection).listUnrunChangeSets(new Contexts(), new LabelExpression())).isEmpty();
        }
    }

    @Test
    void secondStartupAppliesNoChangeset(PluginContext broadleaf) throws Exception {
        DataSource dataSource = broadleaf.database().dataSource();
        List<String> before = appliedChangesets(dataSource);

        try (PluginContext restarted = broadleaf.bootAnotherNode(
                Collections.singletonList("bl-cartrecovery-applicationContext.xml"), Collections.emptyMap())) {
            assertThat(restarted.context().isActive()).isTrue();
        }

        assertThat(appliedChangesets(dataSource)).isEqualTo(before).isNotEmpty();
    }

    @Test
    void rollbackOfLatestTagUndoesExactlyThatVersionAndCanBeReapplied() throws Exception {
        try (TestDatabase scratch = TestDatabase.create("rollback");
             Connection connection = scratch.dataSource().getConnection()) {
            Liquibase liquibase = liquibase(connection);
            liquibase.update(new Contexts(), new LabelExpression());
            List<String> tags = tags(scratch.dataSource());
            assertThat(tags).hasSizeGreaterThanOrEqualTo(2);
            String previousTag = tags.get(tags.size() - 2);
            int appliedBefore = appliedChangesets(scratch.dataSource()).size();

            liquibase.rollback(previousTag, new Contexts(), new LabelExpression());

            int undone = appliedBefore - appliedChangesets(scratch.dataSource()).size();
            assertThat(undone).isPositive();
            assertThat(liquibase.listUnrunChangeSets(new Contexts(), new LabelExpression())).hasSize(undone);
            if (previousTag.equals("cartrecovery-0.0")) {
                assertThat(tableExists(connection, "CR_CAPTURED_CART")).isFalse();
                assertThat(tableExists(connection, "CR_CAPTURED_CART_ITEM")).isFalse();
            }

            liquibase.update(new Contexts(), new LabelExpression());
            assertThat(appliedChangesets(scratch.dataSource())).hasSize(appliedBefore);
            validation(scratch).validate();
        }
    }

    @Test
    void theOrderedSinceExitRuleReadsBlcOrderThroughThePluginsIndexOnPostgreSql() throws Exception {
        assumeTrue(TestDatabase.Kind.selected() == TestDatabase.Kind.POSTGRESQL, "the expression index is PostgreSQL's");
        try (TestDatabase store = TestDatabase.create("order-index");
             Connection connection = store.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            // a store that already has Broadleaf's tables when the plugin is added
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE BLC_ORDER (ORDER_ID BIGINT PRIMARY KEY, EMAIL_ADDRESS VARCHAR(255), "
                        + "ORDER_STATUS VARCHAR(255), SUBMIT_DATE TIMESTAMP)");
                statement.execute("CREATE INDEX ORDER_EMAIL_INDEX ON BLC_ORDER (EMAIL_ADDRESS)");
            }
            connection.commit();
            liquibase(connection).update(new Contexts(), new LabelExpression());
            connection.commit();

            StringBuilder plan = new StringBuilder();
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET LOCAL enable_seqscan = off"); // an empty table would be scanned anyway
                String query = String.format(ExitRules.ORDERED_BY_LOWER, "'shopper@example.com', 'other@example.com'");
                try (ResultSet rows = statement.executeQuery("EXPLAIN " + query)) {
                    while (rows.next()) {
                        plan.append(rows.getString(1)).append('\n');
                    }
                }
            } finally {
                connection.rollback();
            }
            assertThat(plan.toString().toLowerCase()).contains("cr_ix_order_email_lower");
        }
    }

    @Test
    void validationRejectsATableThatDriftedFromTheEntities() throws Exception {
        try (TestDatabase scratch = TestDatabase.create("drift");
             Connection connection = scratch.dataSource().getConnection()) {
            liquibase(connection).update(new Contexts(), new LabelExpression());
            validation(scratch).validate();

            connection.commit();
            try (Connection operator = scratch.dataSource().getConnection();
                 Statement statement = operator.createStatement()) {
                operator.setAutoCommit(true);
                statement.execute("ALTER TABLE CR_CAPTURED_CART DROP COLUMN EMAIL");
            }

            assertThatThrownBy(() -> validation(scratch).validate())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Cart Recovery's tables do not match")
                    .satisfies(e -> assertThat(e.getMessage()).containsIgnoringCase("column: email"));
        }
    }

    @Test
    void validationRejectsAMissingSchemaWithAHint() throws Exception {
        try (TestDatabase scratch = TestDatabase.create("empty")) {
            assertThatThrownBy(() -> validation(scratch).validate())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("liquibase:update");
        }
    }

    static Liquibase liquibase(Connection connection) throws Exception {
        Database database = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(connection));
        database.setDatabaseChangeLogTableName("CR_DATABASECHANGELOG");
        database.setDatabaseChangeLogLockTableName("CR_DATABASECHANGELOGLOCK");
        return new Liquibase(CHANGELOG, new ClassLoaderResourceAccessor(), database);
    }

    private static EntitySchemaValidation validation(TestDatabase database) throws Exception {
        Dialect dialect = (Dialect) Class.forName(database.kind().hibernateDialect).getDeclaredConstructor().newInstance();
        return new EntitySchemaValidation(database.dataSource(), dialect, Collections.singletonList(CapturedCart.class));
    }

    private static List<String> appliedChangesets(DataSource dataSource) throws SQLException {
        return column(dataSource, "SELECT ID FROM CR_DATABASECHANGELOG ORDER BY ORDEREXECUTED");
    }

    private static List<String> tags(DataSource dataSource) throws SQLException {
        return column(dataSource, "SELECT TAG FROM CR_DATABASECHANGELOG WHERE TAG IS NOT NULL ORDER BY ORDEREXECUTED");
    }

    private static List<String> column(DataSource dataSource, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    private static boolean tableExists(Connection connection, String table) throws SQLException {
        for (String candidate : new String[] {table, table.toLowerCase()}) {
            try (ResultSet rows = connection.getMetaData().getTables(connection.getCatalog(), null, candidate, null)) {
                if (rows.next()) {
                    return true;
                }
            }
        }
        return false;
    }
}
