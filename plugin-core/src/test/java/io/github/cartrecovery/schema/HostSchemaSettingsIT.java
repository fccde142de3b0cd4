package io.github.cartrecovery.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import javax.sql.DataSource;

import org.broadleafcommerce.core.catalog.domain.Product;
import org.broadleafcommerce.core.order.domain.Order;
import org.junit.jupiter.api.Test;

import io.github.cartrecovery.capture.CaptureBuffer;
import io.github.cartrecovery.capture.CapturedCartStore;
import io.github.cartrecovery.config.ExampleDefaultsWarning;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;
import io.github.cartrecovery.testing.Store;
import io.github.cartrecovery.testing.TestDatabase;
import liquibase.Contexts;
import liquibase.LabelExpression;

/**
 * What the host's schema settings do to the plugin's tables: Heat Clinic's development settings
 * ({@code hbm2ddl.auto=create-drop}), a store that manages the schema itself but forgot the changelog. Each store is
 * booted beside the suite's shared one on a database of its own (one JVM has one Ehcache singleton and one JMX server).
 */
@BroadleafWithPlugin
class HostSchemaSettingsIT {

    private static final List<String> CORE = Collections.singletonList("bl-cartrecovery-applicationContext.xml");

    @Test
    void tablesLiquibaseMadeSurviveHibernatesCreateDropAndARestart(PluginContext shared) throws Exception {
        Map<String, String> heatClinic = Collections.singletonMap("blPU.hibernate.hbm2ddl.auto", "create-drop");
        try (PluginContext first = shared.bootAnotherStore(CORE, heatClinic)) {
            assertSchemaIsLiquibases(first);
            assertCartIsCaptured(first, "first@example.org");

            try (PluginContext restarted = first.bootAnotherNode(CORE, heatClinic)) {
                assertSchemaIsLiquibases(restarted);
                assertCartIsCaptured(restarted, "second@example.org");
            }
        }
    }

    @Test
    void createDropWithoutMigrationOnStartupIsRefusedWithTheSettingsToChange(PluginContext shared) {
        Map<String, String> settings = new java.util.HashMap<>();
        settings.put("blPU.hibernate.hbm2ddl.auto", "create-drop");
        settings.put("cartrecovery.schema.migrate-on-startup", "false");

        Throwable failure = catchThrowable(() -> shared.bootAnotherStore(CORE, settings).close());

        assertThat(rootCause(failure)).hasMessageContaining("blPU.hibernate.hbm2ddl.auto=create-drop")
                .hasMessageContaining("cartrecovery.schema.migrate-on-startup=true")
                .hasMessageContaining("docs/install.md");
    }

    @Test
    void missingTablesStopTheStartNamingThemAndTheWayToCreateThem(PluginContext shared) {
        Throwable failure = catchThrowable(() -> shared.bootAnotherStore(CORE,
                Collections.singletonMap("cartrecovery.schema.migrate-on-startup", "false")).close());

        assertThat(rootCause(failure)).hasMessageContaining("Cart Recovery's tables are not in blPU's database")
                .hasMessageContaining("CR_CAPTURED_CART")
                .hasMessageContaining("liquibase:update")
                .hasMessageContaining("cartrecovery.schema.migrate-on-startup=true");
    }

    @Test
    void exampleDefaultsAreReportedAtStartUp(PluginContext shared) {
        try (PluginContext broadleaf = shared.bootAnotherStore(CORE, Collections.emptyMap())) {
            assertThat(broadleaf.bean("crExampleDefaultsWarning", ExampleDefaultsWarning.class).warnings())
                    .anySatisfy(warning -> assertThat(warning).contains("cartrecovery.links.base-url"))
                    .anySatisfy(warning -> assertThat(warning).contains("cartrecovery.delivery.from-address"))
                    .anySatisfy(warning -> assertThat(warning).contains("cartrecovery.delivery.message-id-domain"));
        }
    }

    /** Every CR_ table with exactly the columns the changelog alone makes (Hibernate's shape lacks e.g. CR_MESSAGE_EVENT.REPORTED). */
    private static void assertSchemaIsLiquibases(PluginContext broadleaf) throws Exception {
        try (Connection connection = broadleaf.database().dataSource().getConnection()) {
            assertThat(SchemaMigrationIT.liquibase(connection).listUnrunChangeSets(new Contexts(), new LabelExpression())).isEmpty();
        }
        Map<String, Set<String>> expected;
        try (TestDatabase reference = TestDatabase.create("liquibase-only");
             Connection connection = reference.dataSource().getConnection()) {
            SchemaMigrationIT.liquibase(connection).update(new Contexts(), new LabelExpression());
            connection.commit();
            expected = pluginColumns(reference.dataSource());
        }
        assertThat(expected).containsKey("CR_MESSAGE_EVENT");
        assertThat(pluginColumns(broadleaf.database().dataSource())).isEqualTo(expected);
        broadleaf.bean("crSchemaValidation", EntitySchemaValidation.class).validate();
    }

    private static Map<String, Set<String>> pluginColumns(DataSource dataSource) throws Exception {
        Map<String, Set<String>> tables = new TreeMap<>();
        try (Connection connection = dataSource.getConnection()) {
            String schema = connection.getSchema();
            try (ResultSet rows = connection.getMetaData().getColumns(connection.getCatalog(), schema, "%", "%")) {
                while (rows.next()) {
                    String table = rows.getString("TABLE_NAME").toUpperCase(Locale.ROOT);
                    if (table.startsWith("CR_")) {
                        tables.computeIfAbsent(table, t -> new TreeSet<>()).add(rows.getString("COLUMN_NAME").toUpperCase(Locale.ROOT));
                    }
                }
            }
        }
        return tables;
    }

    private static void assertCartIsCaptured(PluginContext broadleaf, String email) {
        Store store = broadleaf.store();
        Product mug = store.product("Mug for " + email, "9.00");
        Order cart = store.cartWithEmail(email);
        store.add(cart, mug, 1);
        broadleaf.bean("crCaptureBuffer", CaptureBuffer.class).flush();
        assertThat(broadleaf.bean("crCapturedCartStore", CapturedCartStore.class).find(cart.getId()).getEmail()).isEqualTo(email);
    }

    private static Throwable rootCause(Throwable failure) {
        assertThat(failure).as("the start must fail").isNotNull();
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
