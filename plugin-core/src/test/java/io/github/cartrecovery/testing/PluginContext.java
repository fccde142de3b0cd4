package io.github.cartrecovery.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.broadleafcommerce.common.extensibility.context.MergeClassPathXMLApplicationContext;
import org.broadleafcommerce.common.util.ApplicationContextHolder;
import org.springframework.context.ApplicationContext;
import org.broadleafcommerce.common.extensibility.context.StandardConfigLocations;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.RequestScope;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.context.request.SessionScope;

/**
 * One booted Broadleaf (with the plugin) on its own {@link TestDatabase}. Closing it closes the context
 * and drops the database.
 */
public final class PluginContext implements AutoCloseable {

    public static final String TEST_HOST_PATCH = "cartrecovery-test-applicationContext.xml";
    /** The link signing key every test context uses (cartrecovery.links.signing-keys). */
    public static final String TEST_SIGNING_KEYS = "test1:test-only-secret-0123456789-abcdefghijklmnop";

    private static final ThreadLocal<Map<String, Object>> READY_BEANS = new ThreadLocal<>();

    private final TestDatabase database;
    private final boolean ownsDatabase;
    private final TestClock clock;
    private final ConfigurableApplicationContext context;
    private final ApplicationContext previousHolder;

    private PluginContext(TestDatabase database, boolean ownsDatabase, TestClock clock,
                          ConfigurableApplicationContext context, ApplicationContext previousHolder) {
        this.database = database;
        this.ownsDatabase = ownsDatabase;
        this.clock = clock;
        this.context = context;
        this.previousHolder = previousHolder;
    }

    /** Boots Broadleaf with the given plugin patch files on a fresh database. */
    public static PluginContext boot(List<String> pluginPatches, Map<String, String> extraProperties) {
        return boot(TestDatabase.create("ctx"), true, pluginPatches, extraProperties);
    }

    /**
     * Boots another Broadleaf on this one's database: a second node of a cluster, or a restart.
     * Closing it leaves the database (and this context) as they were.
     */
    public PluginContext bootAnotherNode(List<String> pluginPatches, Map<String, String> extraProperties) {
        return bootBeside(database, false, pluginPatches, extraProperties);
    }

    /**
     * Boots a second, independent Broadleaf in this JVM on a fresh database of its own (e.g. to compare
     * two table sizes side by side). Closing it drops that database.
     */
    public PluginContext bootAnotherStore(List<String> pluginPatches, Map<String, String> extraProperties) {
        return bootBeside(TestDatabase.create("ctx"), true, pluginPatches, extraProperties);
    }

    /**
     * Boots a second, independent Broadleaf in this JVM on the given (fresh) database, e.g. one on a PostgreSQL server the
     * test started itself. Closing it drops that database.
     */
    public PluginContext bootAnotherStore(TestDatabase database, List<String> pluginPatches, Map<String, String> extraProperties) {
        return bootBeside(database, true, pluginPatches, extraProperties);
    }

    private PluginContext bootBeside(TestDatabase target, boolean owns, List<String> pluginPatches,
                                     Map<String, String> extraProperties) {
        Map<String, Object> sharedWithThisJvm = new LinkedHashMap<>();
        // One JVM has one Ehcache singleton and one JMX server: reuse the first node's cache manager (so
        // closing this node does not shut it down) and skip Broadleaf's JMX exporters.
        sharedWithThisJvm.put("blCacheManager", context.getBean("blCacheManager"));
        sharedWithThisJvm.put("exporter", new Object());
        sharedWithThisJvm.put("hibernateExporter", new Object());
        // Hibernate removes its cache regions from the shared manager when a node closes: the other
        // node keeps no second-level cache, as a separate JVM would not share this one's anyway.
        Map<String, String> properties = new LinkedHashMap<>(extraProperties);
        for (String unit : Arrays.asList("blPU", "blSecurePU", "blCMSStorage")) {
            properties.put(unit + ".hibernate.cache.use_second_level_cache", "false");
            properties.put(unit + ".hibernate.cache.use_query_cache", "false");
        }
        return boot(target, owns, pluginPatches, properties, sharedWithThisJvm);
    }

    private static PluginContext boot(TestDatabase database, boolean ownsDatabase, List<String> pluginPatches,
                                      Map<String, String> extraProperties) {
        return boot(database, ownsDatabase, pluginPatches, extraProperties, Collections.emptyMap());
    }

    private static PluginContext boot(TestDatabase database, boolean ownsDatabase, List<String> pluginPatches,
                                      Map<String, String> extraProperties, Map<String, Object> readyBeans) {
        ApplicationContext previousHolder = ApplicationContextHolder.getApplicationContext();
        TestClock clock = new TestClock(Instant.parse("2026-01-05T10:00:00Z"));
        try {
            useOverrides(database, extraProperties);
            installRequest();
            List<String> patches = new ArrayList<>(pluginPatches);
            patches.add(TEST_HOST_PATCH);
            Map<String, Object> ready = new LinkedHashMap<>();
            ready.put("blDS", database.dataSource());
            ready.put("crClock", clock);
            ready.putAll(readyBeans);
            READY_BEANS.set(ready);
            String[] sources = StandardConfigLocations.retrieveAll(StandardConfigLocations.TESTCONTEXTTYPE);
            ConfigurableApplicationContext context = new TestHostContext(sources, patches.toArray(new String[0]));
            return new PluginContext(database, ownsDatabase, clock, context, previousHolder);
        } catch (IOException e) {
            if (ownsDatabase) {
                database.close();
            }
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            restoreHolder(previousHolder);
            if (ownsDatabase) {
                database.close();
            }
            throw e;
        } finally {
            READY_BEANS.remove();
        }
    }

    public ConfigurableApplicationContext context() { return context; }
    public TestDatabase database() { return database; }
    public TestClock clock() { return clock; }

    /** Catalog, customers and carts, arranged through Broadleaf's own services. */
    public Store store() {
        Store store = new Store();
        context.getAutowireCapableBeanFactory().autowireBean(store);
        return store;
    }

    public <T> T bean(String name, Class<T> type) {
        return context.getBean(name, type);
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    @Override
    public void close() {
        try {
            context.close();
        } finally {
            // Broadleaf publishes order events through a static holder: give it back to the node still running.
            restoreHolder(previousHolder);
            if (ownsDatabase) {
                database.close();
            }
        }
    }

    private static void restoreHolder(ApplicationContext previous) {
        if (previous != null) {
            new ApplicationContextHolder().setApplicationContext(previous);
        }
    }

    /** Gives request-scoped Broadleaf beans a request, as a servlet container would. */
    static void installRequest() {
        if (RequestContextHolder.getRequestAttributes() == null) {
            RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(new MockHttpServletRequest()));
        }
    }

    /** Per-database Hibernate settings reach Broadleaf's JPAPropertiesPersistenceUnitPostProcessor this way. */
    private static void useOverrides(TestDatabase database, Map<String, String> extraProperties) throws IOException {
        Properties properties = new Properties();
        for (String unit : Arrays.asList("blPU", "blSecurePU", "blCMSStorage")) {
            properties.setProperty(unit + ".hibernate.dialect", database.kind().hibernateDialect);
            properties.setProperty(unit + ".hibernate.hbm2ddl.auto", "update");
            properties.setProperty(unit + ".hibernate.show_sql", "false");
        }
        properties.setProperty("cartrecovery.capture.flush-interval-ms", "0");
        // tests drive jobs by hand; scheduler tests switch it on for their nodes
        properties.setProperty("cartrecovery.scheduler.enabled", "false");
        // the plugin refuses to start without a link signing key (no default key); tests sign with this one
        properties.setProperty("cartrecovery.links.signing-keys", TEST_SIGNING_KEYS);
        properties.putAll(extraProperties);
        Path file = Files.createTempFile("cartrecovery-test-", ".properties");
        file.toFile().deleteOnExit();
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties.store(writer, "written by the Cart Recovery test harness");
        }
        System.setProperty("property-override", file.toString());
    }

    /** Broadleaf's merge context plus the web scopes and the harness's ready-made beans. */
    private static final class TestHostContext extends MergeClassPathXMLApplicationContext {

        TestHostContext(String[] sources, String[] patches) {
            super(sources, patches);
        }

        @Override
        protected void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
            beanFactory.registerScope("request", new RequestScope());
            beanFactory.registerScope("session", new SessionScope());
            Map<String, Object> ready = READY_BEANS.get();
            if (ready != null) {
                ready.forEach(beanFactory::registerSingleton);
            }
        }
    }
}
