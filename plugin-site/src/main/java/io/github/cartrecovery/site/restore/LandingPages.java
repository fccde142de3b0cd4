package io.github.cartrecovery.site.restore;

import java.util.Locale;
import java.util.Map;

import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * The plain pages of the storefront endpoints (invalid link, order complete, unsubscribe...), rendered
 * with Thymeleaf 2.1 standalone from classpath templates {@code cartrecovery/site/<page>.html}, so they
 * need nothing from the store's own view set-up; a store overrides a page by putting its own template
 * first on the classpath. Every value goes through {@code th:text}/{@code th:value}: escaped. Thread-safe.
 */
public class LandingPages {

    public static final String PREFIX = "cartrecovery/site/";

    private final TemplateEngine engine;

    public LandingPages() {
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
        resolver.setPrefix(PREFIX);
        resolver.setSuffix(".html");
        resolver.setTemplateMode("XHTML");
        resolver.setCharacterEncoding("UTF-8");
        resolver.setCacheable(true);
        engine = new TemplateEngine();
        engine.setTemplateResolver(resolver);
    }

    public String render(String page, Map<String, Object> variables) {
        Context context = new Context(Locale.US);
        context.setVariables(variables);
        return engine.process(page, context);
    }
}
