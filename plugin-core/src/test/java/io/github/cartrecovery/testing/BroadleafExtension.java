package io.github.cartrecovery.testing;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * JUnit 5 side of {@link BroadleafWithPlugin}: boots (or reuses) the context for the test class's patch
 * list, injects the test instance, and closes every context (dropping its database) when the test JVM
 * finishes.
 */
public final class BroadleafExtension implements TestInstancePostProcessor, BeforeEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(BroadleafExtension.class);

    @Override
    public void postProcessTestInstance(Object testInstance, ExtensionContext extension) {
        contextFor(extension).context().getAutowireCapableBeanFactory().autowireBean(testInstance);
    }

    @Override
    public void beforeEach(ExtensionContext extension) {
        PluginContext.installRequest();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        Class<?> type = parameter.getParameter().getType();
        return type == PluginContext.class || type == TestClock.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        PluginContext context = contextFor(extension);
        return parameter.getParameter().getType() == TestClock.class ? context.clock() : context;
    }

    /** The context shared by every test class that asks for the same patch files. */
    public static PluginContext contextFor(ExtensionContext extension) {
        List<String> patches = patchesOf(extension.getRequiredTestClass());
        return extension.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent("broadleaf:" + patches,
                        key -> new Shared(PluginContext.boot(patches, Collections.emptyMap())), Shared.class)
                .context;
    }

    private static List<String> patchesOf(Class<?> testClass) {
        return AnnotationSupport.findAnnotation(testClass, BroadleafWithPlugin.class)
                .map(annotation -> Arrays.asList(annotation.patches()))
                .orElseThrow(() -> new IllegalStateException(testClass + " is not annotated @BroadleafWithPlugin"));
    }

    /** Closed by JUnit when the root context (the whole test run) ends. */
    private static final class Shared implements AutoCloseable {
        final PluginContext context;

        Shared(PluginContext context) {
            this.context = context;
        }

        @Override
        public void close() {
            context.close();
        }
    }
}
