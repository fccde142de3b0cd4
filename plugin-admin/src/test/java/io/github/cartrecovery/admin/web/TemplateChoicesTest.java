package io.github.cartrecovery.admin.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The editor's template picker reads the classpath: a template a store adds is listed, its translations are not. */
class TemplateChoicesTest {

    @Test
    void listsThePluginsTemplatesPerChannelWithoutTranslations() {
        Map<String, List<String>> templates = new TemplateChoices().byChannel();

        assertThat(templates.get("EMAIL")).contains("gentle-reminder", "last-call", "value-reminder").doesNotContain("gentle-reminder_de", "layout");
        assertThat(templates.get("SMS")).contains("cart-reminder").doesNotContain("cart-reminder_de");
    }

    @Test
    void aTemplateOnTheStoresClasspathIsListedAndAnHtmlWithoutItsTextIsNot(@TempDir Path store) throws Exception {
        Path email = Files.createDirectories(store.resolve("cartrecovery/email"));
        Files.writeString(email.resolve("spring-sale.html"), "<p/>");
        Files.writeString(email.resolve("spring-sale.txt"), "x");
        Files.writeString(email.resolve("half-done.html"), "<p/>");
        Files.writeString(email.resolve("spring-sale_fr_CA.html"), "<p/>");
        try (java.net.URLClassLoader loader = new java.net.URLClassLoader(new java.net.URL[] {store.toUri().toURL()},
                TemplateChoicesTest.class.getClassLoader())) {

            List<String> listed = new TemplateChoices(loader).byChannel().get("EMAIL");

            assertThat(listed).contains("spring-sale", "gentle-reminder").doesNotContain("half-done", "spring-sale_fr_CA");
        }
    }
}
