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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.broadleafcommerce.common.extensibility.context.MergeClassPathXMLApplicationContext;
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

    private static final ThreadLocal<Map<String, Object>> READY_BEANS = new ThreadLocal<>();

    private final TestDatabase database;
    private final TestClock clock;
    private final ConfigurableApplicationContext context;

    private PluginContext(TestDatabase database, TestClock clock, ConfigurableApplicationContext context) {
        this.database = database;
        this.clock = clock;
        this.context = context;
    }

    /** Boots Broadleaf with the given plugin patch files on a fresh database. */
    public static PluginContext boot(List<String> pluginPatches, Map<String, String> extraProperties) {
        TestDatabase database = TestDatabase.create("ctx");
        return boot(database, pluginPatches, extraProperties);
    }

    /** Boots Broadleaf with the given plugin patch files on an existing database (a second "node"). */
    public static PluginContext boot(TestDatabase database, List<String> pluginPatches, Map<String, String> extraProperties) {
        TestClock clock = new TestClock(Instant.parse("2026-01-05T10:00:00Z"));
        try {
            useOverrides(database, extraProperties);
            installRequest();
            List<String> patches = new ArrayList<>(pluginPatches);
            patches.add(TEST_HOST_PATCH);
            Map<String, Object> ready = new LinkedHashMap<>();
            ready.put("blDS", database.dataSource());
            ready.put("crClock", clock);
            READY_BEANS.set(ready);
            String[] sources = StandardConfigLocations.retrieveAll(StandardConfigLocations.TESTCONTEXTTYPE);
            ConfigurableApplicationContext context = new TestHostContext(sources, patches.toArray(new String[0]));
            return new PluginContext(database, clock, context);
        } catch (IOException e) {
            database.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            database.close();
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
            database.close();
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
