package io.github.cartrecovery.rendering;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.github.cartrecovery.coupon.IssuedCoupon;

/** The shared layout as every default template and language renders it: blocks, footer, accessibility, text part. */
class EmailLayoutTemplatesTest {

    private static final List<String> TEMPLATES = List.of("gentle-reminder", "value-reminder", "last-call");
    private static final List<String> LOCALES = List.of("en_US", "de_DE", "fr_FR", "es_ES");
    private static final String ADDRESS = "Tea & Co, 5 Harbour Road, Portland, ME 04101, USA";

    private final EmailLayout layout = new EmailLayout("Tea <Shop>", "https://cdn.shop.test/logo.png", "#8A2BE2",
            ADDRESS, "", "", 2);
    private final EmailRenderer renderer = new EmailRenderer(layout);

    private final TrackedLinks links = new TrackedLinks() {
        public String getRestoreUrl() { return "https://shop.test/r/T?a=1&b=2"; }
        public String getUnsubscribeUrl() { return "https://shop.test/u/T"; }
        public String getOpenPixelUrl() { return "https://shop.test/o/PIXEL"; }
        public String click(String target) { return target == null ? null : "https://shop.test/c/T?u=" + target; }
    };

    private static CartLine mug() {
        return new CartLine("Enamel Mug", 2, new BigDecimal("12.50"), new BigDecimal("12.50"),
                "https://shop.test/cmsstatic/mug.png?resize-width-amount=128", "/mugs/enamel", null, 1L, 10L, "Colour: Blue");
    }

    private RenderedEmail render(String template, String locale, CartLine... lines) {
        return render(template, locale, List.of(), null, lines);
    }

    private RenderedEmail render(String template, String locale, List<Recommendation> recommendations, IssuedCoupon coupon,
                                 CartLine... lines) {
        RecoveryCart cart = new RecoveryCart("Ada", locale, "USD", Arrays.asList(lines), recommendations);
        return renderer.render(template, new EmailModel("Subject", cart, links, coupon));
    }

    @Test
    void thePostalAddressAndStoreNameAreInBothPartsOfEveryTemplateInEveryLanguage() {
        for (String template : TEMPLATES) {
            for (String locale : LOCALES) {
                RenderedEmail email = render(template, locale, mug());
                assertThat(email.getHtml()).as(template + " " + locale)
                        .contains("Tea &amp; Co, 5 Harbour Road, Portland, ME 04101, USA").contains("Tea &lt;Shop&gt;");
                assertThat(email.getText()).as(template + " " + locale).contains(ADDRESS).contains("Tea <Shop>");
            }
        }
    }

    @Test
    void everyTemplateSpeaksTheCartsLanguageAndSaysSo() {
        for (String template : TEMPLATES) {
            assertThat(render(template, "en_US", mug()).getHtml()).contains("lang=\"en\"").contains("Unsubscribe from cart reminders");
            assertThat(render(template, "de_AT", mug()).getHtml()).contains("lang=\"de\"").contains("Keine Warenkorb-Erinnerungen mehr");
            assertThat(render(template, "fr_CA", mug()).getHtml()).contains("lang=\"fr\"").contains("Ne plus recevoir de rappels de panier");
            assertThat(render(template, "es_MX", mug()).getHtml()).contains("lang=\"es\"").contains("No recibir más recordatorios del carrito");
            assertThat(render(template, "it_IT", mug()).getHtml()).as("no Italian copy: English").contains("lang=\"en\"");
        }
        assertThat(render("gentle-reminder", "en_US", mug()).getHtml()).contains("Hey, did you mean to leave these behind?");
    }

    @Test
    void aProductImageReachesTheEmailWithTheProductNameAsAltText() {
        String html = render("gentle-reminder", "en_US", mug()).getHtml();
        assertThat(html).containsPattern("<img src=\"https://shop.test/cmsstatic/mug.png\\?resize-width-amount=128\" "
                + "alt=\"Enamel Mug\" width=\"64\" height=\"64\"");
    }

    @Test
    void aProductWithoutAnImageGetsThePlaceholder() {
        CartLine bare = new CartLine("Tea Towel", 1, new BigDecimal("8"), new BigDecimal("8"), null, null);
        assertThat(render("gentle-reminder", "en_US", bare).getHtml()).contains("class=\"cr-placeholder\"")
                .doesNotContain("alt=\"Tea Towel\"");
        EmailRenderer withImage = new EmailRenderer(new EmailLayout("Shop", "", "#000000", ADDRESS, "",
                "https://cdn.shop.test/none.png", 3));
        String html = withImage.render("gentle-reminder", new EmailModel("S", new RecoveryCart("Ada", "en_US", "USD",
                List.of(bare)), links, null)).getHtml();
        assertThat(html).contains("src=\"https://cdn.shop.test/none.png\" alt=\"\"").doesNotContain("cr-placeholder");
    }

    @Test
    void theHeaderCarriesTheLogoWithTheStoreNameAsAltTextAndTheBrandColour() {
        String html = render("value-reminder", "en_US", mug()).getHtml();
        assertThat(html).contains("src=\"https://cdn.shop.test/logo.png\" alt=\"Tea &lt;Shop&gt;\"")
                .contains("border-top:4px solid #8a2be2").contains("background-color:#8a2be2").contains("bgcolor=\"#8a2be2\"");
    }

    @Test
    void theBrandColouredStylesAreTheOnesTheTemplateJoinedBefore() {
        // the styles come from EmailLayout (joined once) instead of 'text' + ${colour} in the template: same output
        String html = render("value-reminder", "en_US", List.of(),
                new IssuedCoupon("CR-AAAA", "10%", java.time.Instant.EPOCH, "May 1"), mug()).getHtml();
        assertThat(html).contains("style=\"width:100%;max-width:600px;background-color:#ffffff;font-family:Arial,Helvetica,"
                        + "sans-serif;color:#222222;border-top:4px solid #8a2be2;\"")
                .contains("style=\"border:2px dashed #8a2be2;font-size:16px;line-height:24px;\"")
                .contains("style=\"border-radius:4px;background-color:#8a2be2;\"");
    }

    @Test
    void isAccessibleAndDarkModeFriendly() {
        for (String template : TEMPLATES) {
            for (String locale : LOCALES) {
                String html = render(template, locale, List.of(recommendation(20L, "Teapot")),
                        new IssuedCoupon("CR-AAAA", "10%", java.time.Instant.EPOCH, "May 1"), mug()).getHtml();
                String where = template + " " + locale;
                assertThat(count(html, "<table")).as(where).isEqualTo(count(html, "<table role=\"presentation\"")
                        + count(html, "<table class=\"cr-page\" role=\"presentation\"")
                        + count(html, "<table class=\"cr-card\" role=\"presentation\""));
                Matcher sizes = Pattern.compile("font-size:(\\d+)px").matcher(html);
                while (sizes.find()) {
                    assertThat(Integer.parseInt(sizes.group(1))).as(where + " text size").isGreaterThanOrEqualTo(14);
                }
                Matcher images = Pattern.compile("<img [^>]*>").matcher(html);
                while (images.find()) {
                    assertThat(images.group()).as(where).contains("alt=\"");
                }
                assertThat(html).as(where).contains("<meta name=\"color-scheme\" content=\"light dark\"")
                        .contains("<meta name=\"supported-color-schemes\" content=\"light dark\"")
                        .contains("@media (prefers-color-scheme: dark)")
                        // the button: 14 + 20 + 14 = 48px high, over the 44px tap target
                        .contains("padding:14px 28px;line-height:20px;");
            }
        }
    }

    @Test
    void showsOptionsPriceDropAndLowStockNotesInBothParts() {
        CartLine cheaper = new CartLine("Kettle", 1, new BigDecimal("30"), new BigDecimal("40"), null, null, 2, 2L, 11L, null);
        RenderedEmail email = render("gentle-reminder", "en_US", mug(), cheaper);
        assertThat(email.getHtml()).contains("Colour: Blue").contains("Now $30.00, was $40.00").contains("Only 2 left");
        assertThat(email.getText()).contains("- Enamel Mug x 2: $12.50\n  Colour: Blue\n")
                .contains("- Kettle x 1: $30.00 (was $40.00) - only 2 left\n");
        RenderedEmail german = render("gentle-reminder", "de_DE", cheaper);
        assertThat(german.getHtml()).contains("Jetzt 30,00").contains("vorher 40,00").contains("Nur noch 2 verfügbar");
    }

    @Test
    void theTextPartHasTheSameItemsAndEveryLinkOfTheHtmlPart() {
        for (String template : TEMPLATES) {
            RenderedEmail email = render(template, "en_US", List.of(recommendation(20L, "Teapot")),
                    new IssuedCoupon("CR-AAAA", "10%", java.time.Instant.EPOCH, "May 1"), mug());
            Matcher hrefs = Pattern.compile("href=\"([^\"]+)\"").matcher(email.getHtml());
            int links = 0;
            while (hrefs.find()) {
                links++;
                assertThat(email.getText()).as(template).contains(hrefs.group(1).replace("&amp;", "&"));
            }
            assertThat(links).as(template).isEqualTo(4); // the item, the button, the recommendation, unsubscribe
            assertThat(email.getText()).as(template).contains("Enamel Mug x 2: $12.50", "Teapot: $9.00",
                    "Your code for 10% off: CR-AAAA", "Total: $25.00",
                    "You are getting this email because you left items in your cart at Tea <Shop>.");
        }
    }

    @Test
    void showsRecommendationsWithImageNamePriceAndTrackedLinkUpToTheLimit() {
        List<Recommendation> three = List.of(recommendation(20L, "Teapot"), recommendation(21L, "Strainer"),
                recommendation(22L, "Tin"));
        RenderedEmail email = render("value-reminder", "en_US", three, null, mug());
        assertThat(email.getHtml()).contains("You might also like").contains("alt=\"Teapot\"")
                .contains("href=\"https://shop.test/c/T?u=/products/Strainer\"").contains("$9.00")
                .doesNotContain("Tin");
        assertThat(count(email.getHtml(), "class=\"cr-recommendation\"")).isEqualTo(2);
        assertThat(email.getText()).contains("Teapot", "Strainer").doesNotContain("Tin");
        assertThat(render("value-reminder", "en_US", mug()).getHtml()).doesNotContain("You might also like");
    }

    @Test
    void theWhyLineCanBeTheStoresOwn() {
        EmailRenderer own = new EmailRenderer(new EmailLayout("Shop", "", "#000000", ADDRESS,
                "You asked {store} to remind you of your cart.", "", 3));
        RenderedEmail email = own.render("last-call", new EmailModel("S", new RecoveryCart(null, "de_DE", "EUR",
                List.of(mug())), links, null));
        assertThat(email.getHtml()).contains("You asked Shop to remind you of your cart.").contains("Hallo,");
        assertThat(email.getText()).contains("You asked Shop to remind you of your cart.");
    }

    private static Recommendation recommendation(long id, String name) {
        return new Recommendation(id, name, new BigDecimal("9"), "https://shop.test/cmsstatic/" + name + ".png",
                "/products/" + name);
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
