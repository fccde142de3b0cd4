package io.github.cartrecovery.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * "This test runs inside Broadleaf with the plugin installed." Boots Broadleaf 3.1's merged test context
 * (core, site and admin roots) plus the plugin's patch files on the database chosen by
 * {@code cartrecovery.test.db}; one context per distinct {@link #patches()} list per test JVM, shared
 * by every test class that asks for the same list. Fields annotated {@code @Autowired} or
 * {@code @Resource} are injected; {@link PluginContext} can be taken as a test method parameter.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(BroadleafExtension.class)
public @interface BroadleafWithPlugin {

    /** The plugin's patch files, in order; the harness appends its own test host file last. */
    String[] patches() default {"bl-cartrecovery-applicationContext.xml"};
}
