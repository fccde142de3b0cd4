package io.github.cartrecovery.rendering;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Collections;

import org.junit.jupiter.api.Test;

class EmailRendererTest {

    private final EmailRenderer renderer = new EmailRenderer();

    private RenderedEmail render(String template, String locale, String currency, CartLine... lines) {
        return renderer.render(template, "Subject", new RecoveryCart("Ada", locale, currency, Arrays.asList(lines)),
                "https://shop.example.com/restore/1", "https://shop.example.com/unsubscribe/1");
    }

    private static CartLine line(String name, int quantity, String price) {
        return new CartLine(name, quantity, new BigDecimal(price), new BigDecimal(price), "https://img.example.com/a.png", null);
    }

    @Test
    void formatsUsDollars() {
        RenderedEmail email = render("gentle-reminder", "en_US", "USD", line("Mug", 2, "12.5"));
        assertThat(email.getHtml()).contains("$12.50").contains("$25.00");
        assertThat(email.getText()).contains("Mug x 2: $12.50").contains("$25.00");
    }

    @Test
    void formatsEurosTheGermanWay() {
        RenderedEmail email = render("value-reminder", "de_DE", "EUR", line("Tasse", 1, "1234.5"));
        assertThat(email.getText()).contains("1.234,50\u00a0€");
    }

    @Test
    void formatsYenWithoutDecimals() {
        RenderedEmail email = render("last-call", "ja_JP", "JPY", line("Cup", 3, "1250"));
        assertThat(email.getText()).containsPattern("[¥￥]1,250\\b").containsPattern("[¥￥]3,750\\b");
    }

    @Test
    void escapesProductNamesInHtml() {
        RenderedEmail email = render("gentle-reminder", "en_US", "USD", line("<script>alert(1)</script>", 1, "1"));
        assertThat(email.getHtml()).doesNotContain("<script>").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(email.getText()).contains("<script>alert(1)</script>"); // plain text is not HTML
    }

    @Test
    void usesTheLanguageTemplateWhenThereIsOneAndTheDefaultOtherwise() {
        assertThat(render("gentle-reminder", "de_AT", "EUR", line("Tasse", 1, "5")).getHtml()).contains("Zum Warenkorb");
        assertThat(render("gentle-reminder", "it_IT", "EUR", line("Tazza", 1, "5")).getHtml()).contains("Return to your cart");
    }

    @Test
    void htmlHasWidthLimitedTablesInlineStylesAltTextsAndTheLinks() {
        String html = render("last-call", "en_US", "USD", line("Mug", 1, "5")).getHtml();
        assertThat(html).contains("max-width:600px").contains("<table").contains("alt=\"Mug\"")
                .contains("href=\"https://shop.example.com/restore/1\"")
                .contains("href=\"https://shop.example.com/unsubscribe/1\"").contains("Hello Ada,");
    }

    @Test
    void showsAPriceDrop() {
        CartLine cheaper = new CartLine("Mug", 1, new BigDecimal("8"), new BigDecimal("10"), null, null);
        assertThat(render("gentle-reminder", "en_US", "USD", cheaper).getText()).contains("$8.00 (was $10.00)");
    }

    @Test
    void knowsWhichTemplatesExist() {
        assertThat(renderer.exists("gentle-reminder")).isTrue();
        assertThat(renderer.exists("no-such-template")).isFalse();
        assertThat(Collections.singleton(renderer.exists("last-call"))).containsOnly(true);
    }

    @Test
    void everyTemplateLinksProductsThroughClickTrackingAndCarriesTheOpenPixel() {
        TrackedLinks links = new TrackedLinks() {
            public String getRestoreUrl() { return "https://shop.example.com/r/T"; }
            public String getUnsubscribeUrl() { return "https://shop.example.com/u/T"; }
            public String getOpenPixelUrl() { return "https://shop.example.com/o/PIXEL"; }
            public String click(String target) { return "https://shop.example.com/c/T?u=" + target; }
        };
        CartLine mug = new CartLine("Mug", 1, new BigDecimal("5"), new BigDecimal("5"), null, "/mugs/enamel");
        for (String template : Arrays.asList("gentle-reminder", "value-reminder", "last-call")) {
            for (String locale : Arrays.asList("en_US", "de_DE")) {
                String html = renderer.render(template, "S", new RecoveryCart("Ada", locale, "EUR",
                        Collections.singletonList(mug)), links).getHtml();
                assertThat(html).as(template + " " + locale)
                        .contains("href=\"https://shop.example.com/c/T?u=/mugs/enamel\"")
                        .contains("src=\"https://shop.example.com/o/PIXEL\"")
                        .contains("href=\"https://shop.example.com/r/T\"");
            }
        }
    }

    @Test
    void previewsHaveNoOpenPixel() {
        assertThat(render("gentle-reminder", "en_US", "USD", line("Mug", 1, "5")).getHtml()).doesNotContain("width=\"1\"");
    }

    @Test
    void everyDefaultTemplateShowsLowStockInBothPartsOnlyForLinesThatCarryIt() {
        CartLine scarce = new CartLine("Rare <b>Teapot</b>", 1, new BigDecimal("30"), new BigDecimal("30"), null, null, 3);
        CartLine plenty = new CartLine("Mug", 1, new BigDecimal("5"), new BigDecimal("5"), null, null, null);
        for (String template : Arrays.asList("gentle-reminder", "value-reminder", "last-call")) {
            RenderedEmail email = render(template, "en_US", "USD", scarce, plenty);
            assertThat(email.getHtml()).as(template).containsOnlyOnce("Only 3 left")
                    .contains("Rare &lt;b&gt;Teapot&lt;/b&gt;").doesNotContain("<b>Teapot");
            assertThat(email.getText()).as(template).contains("Rare <b>Teapot</b> x 1: $30.00 - only 3 left")
                    .contains("Mug x 1: $5.00\n").doesNotContain("$5.00 - only");
            RenderedEmail none = render(template, "en_US", "USD", plenty);
            assertThat(none.getHtml() + none.getText()).as(template).doesNotContainPattern("(?i)only \\d+ left");
        }
        RenderedEmail german = render("gentle-reminder", "de_DE", "EUR", scarce);
        assertThat(german.getHtml()).contains("Nur noch 3 verfügbar");
        assertThat(german.getText()).contains("nur noch 3 verfügbar");
    }
}
