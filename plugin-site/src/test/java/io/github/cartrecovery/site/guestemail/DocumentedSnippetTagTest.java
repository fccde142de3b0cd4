package io.github.cartrecovery.site.guestemail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockServletContext;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.TemplateProcessingParameters;
import org.thymeleaf.context.WebContext;
import org.thymeleaf.exceptions.TemplateInputException;
import org.thymeleaf.resourceresolver.IResourceResolver;
import org.thymeleaf.templateresolver.TemplateResolver;

/**
 * The snippet tag docs/install.md tells a Heat Clinic store to paste is accepted by Thymeleaf 2.1 (Broadleaf 3.1's
 * template engine, which parses HTML5 templates as XML) and comes out as a browser-safe script element.
 */
class DocumentedSnippetTagTest {

    private static final Path INSTALL_GUIDE = Paths.get("..", "docs", "install.md");

    @Test
    void everyDocumentedTemplateBlockParsesAndRendersTheScriptWithItsClosingTag() throws Exception {
        List<String> blocks = documentedTemplateBlocks();
        assertThat(blocks).as("html blocks with the snippet in docs/install.md").isNotEmpty();
        for (String block : blocks) {
            String page = render(block);
            assertThat(page).contains("<script src=\"/shop/cart-recovery/capture.js\"")
                    .contains("data-email=\"#emailAddress\"", "data-consent=\"#marketingOptIn\"", "defer=\"defer\"></script>");
        }
    }

    @Test
    void theOptInBoxTheSnippetReadsIsPartOfTheDocumentedBlock() throws Exception {
        assertThat(documentedTemplateBlocks()).anySatisfy(block -> assertThat(render(block))
                .contains("<input type=\"checkbox\" id=\"marketingOptIn\" name=\"marketingOptIn\" value=\"true\" />"));
    }

    @Test
    void aBareDeferAttributeIsRejectedByThymeleaf21() {
        // the tag the README gave before: checkout answered 500 in Heat Clinic
        assertThatThrownBy(() -> render("<script src=\"/cart-recovery/capture.js\" data-email=\"#emailAddress\" defer></script>"))
                .isInstanceOf(TemplateInputException.class);
    }

    private static List<String> documentedTemplateBlocks() throws Exception {
        String guide = new String(Files.readAllBytes(INSTALL_GUIDE), StandardCharsets.UTF_8);
        Matcher blocks = Pattern.compile("```html\\n(.*?)```", Pattern.DOTALL).matcher(guide);
        List<String> found = new ArrayList<>();
        while (blocks.find()) {
            if (blocks.group(1).contains("capture.js")) {
                found.add(blocks.group(1));
            }
        }
        return found;
    }

    /** Renders the block inside a page as Broadleaf 3.1 would: Thymeleaf 2.1, HTML5 mode, a site under /shop. */
    private static String render(String block) {
        String template = "<!DOCTYPE html>\n<html xmlns:th=\"http://www.thymeleaf.org\"><body><form id=\"order_info\">"
                + "<input type=\"text\" id=\"emailAddress\" name=\"emailAddress\"/>" + block + "</form></body></html>";
        TemplateResolver resolver = new TemplateResolver();
        resolver.setTemplateMode("HTML5");
        resolver.setCacheable(false);
        resolver.setResourceResolver(new IResourceResolver() {
            @Override
            public String getName() {
                return "install-guide";
            }

            @Override
            public InputStream getResourceAsStream(TemplateProcessingParameters parameters, String resourceName) {
                return new ByteArrayInputStream(template.getBytes(StandardCharsets.UTF_8));
            }
        });
        TemplateEngine engine = new TemplateEngine();
        engine.setTemplateResolver(resolver);
        MockServletContext servletContext = new MockServletContext();
        servletContext.setContextPath("/shop");
        MockHttpServletRequest request = new MockHttpServletRequest(servletContext);
        request.setContextPath("/shop");
        return engine.process("checkout", new WebContext(request, new MockHttpServletResponse(), servletContext, Locale.US));
    }
}
