package io.github.cartrecovery.rendering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.cartrecovery.coupon.IssuedCoupon;

/** The safe subset of expressions in operator text (MergeText) and edited words in a whole email (EditedCopy). */
class MergeTextTest {

    private final EmailRenderer renderer = new EmailRenderer();

    private static EmailModel model(String firstName, IssuedCoupon coupon, CartLine... lines) {
        return new EmailModel("Step subject", new RecoveryCart(firstName, "en_US", "USD", Arrays.asList(lines)),
                EmailModel.plain("https://shop.example.com/restore/1", "https://shop.example.com/unsubscribe/1"), coupon);
    }

    private static CartLine line(String name, int quantity, String price) {
        return new CartLine(name, quantity, new BigDecimal(price), new BigDecimal(price), null, null);
    }

    private Map<String, Object> values(String firstName) {
        return MergeFields.of(model(firstName, null, line("Mug", 2, "12.5")), renderer.getLayout());
    }

    private static Map<String, String> words(String heading, String intro) {
        Map<String, String> texts = new HashMap<>();
        texts.put(EditedCopy.HEADING, heading);
        texts.put(EditedCopy.INTRO, intro);
        texts.put(EditedCopy.BUTTON, "Back to your cart");
        return texts;
    }

    @Test
    void fillsInMergeFields() {
        String text = MergeText.compile("{{first_name}}, your {{item_count}} items at {{store_name}} come to {{total}}: "
                + "{{#items}}{{quantity}} x {{name}} ({{price}}) {{/items}}-> {{restore_link}}").render(values("Ada"));

        assertThat(text).isEqualTo("Ada, your 2 items at Our Shop come to $25.00: 2 x Mug ($12.50) "
                + "-> https://shop.example.com/restore/1");
    }

    @Test
    void theFirstNameFallsBackWhenTheShopperHasNone() {
        MergeText greeting = MergeText.compile("Hi {{#first_name}}{{first_name}}{{/first_name}}{{^first_name}}there{{/first_name}}!");

        assertThat(greeting.render(values("Ada"))).isEqualTo("Hi Ada!");
        assertThat(greeting.render(values(null))).isEqualTo("Hi there!");
        assertThat(greeting.render(values("  "))).isEqualTo("Hi there!");
    }

    @Test
    void aCouponSectionShowsOnlyWithACoupon() {
        MergeText text = MergeText.compile("{{#coupon_code}}Use {{coupon_code}} for {{coupon_discount}} off.{{/coupon_code}}");
        IssuedCoupon coupon = new IssuedCoupon("CR-1234", "10%", Instant.parse("2026-12-31T00:00:00Z"), "31 Dec");

        assertThat(text.render(MergeFields.of(model("Ada", coupon, line("Mug", 1, "5")), renderer.getLayout())))
                .isEqualTo("Use CR-1234 for 10% off.");
        assertThat(text.render(values("Ada"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "${T(java.lang.Runtime).getRuntime().exec('touch /tmp/pwned')}",
            "__${T(java.lang.Runtime).getRuntime().exec('id')}__::.x",
            "[[${T(java.lang.System).getenv()}]]",
            "[(${@environment.getProperty('user.home')})]",
            "#{T(java.lang.System).exit(1)}",
            "*{class.classLoader}",
            "<span th:text=\"${T(java.lang.Runtime).getRuntime()}\">x</span>"})
    void thymeleafSpelAndOgnlSyntaxIsInertText(String injection) {
        Map<String, String> texts = words(injection, "Before " + injection + " after");

        RenderedEmail email = renderer.render("gentle-reminder", model("Ada", null, line("Mug", 1, "5")),
                EditedCopy.compile(7L, texts));

        String escaped = injection.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
        assertThat(email.getHtml()).contains(escaped).contains("Before " + escaped + " after");
        assertThat(email.getText()).contains(injection);
        assertThat(email.getHtml()).doesNotContain("java.lang.ProcessImpl").doesNotContain("Runtime@")
                .doesNotContain(System.getProperty("user.home") + "<");
    }

    @Test
    void valuesAndOperatorTextAreEscapedOnceInTheHtmlPart() {
        RenderedEmail email = renderer.render("gentle-reminder",
                model("<b>Ada</b> & co", null, line("<script>alert(1)</script>", 1, "5")),
                EditedCopy.compile(1L, words("Hey {{first_name}} <img src=x onerror=alert(1)>",
                        "{{#items}}{{name}}{{/items}} & more")));

        assertThat(email.getHtml()).contains("Hey &lt;b&gt;Ada&lt;/b&gt; &amp; co &lt;img src=x onerror=alert(1)&gt;")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more")
                .doesNotContain("<b>Ada").doesNotContain("<img src=x").doesNotContain("<script>")
                .doesNotContain("&amp;lt;");
        assertThat(email.getText()).contains("Hey <b>Ada</b> & co").contains("<script>alert(1)</script> & more");
    }

    @Test
    void anUnknownFieldIsRefusedNamingIt() {
        assertThatThrownBy(() -> MergeText.compile("Hello {{firstname}}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown merge field {{firstname}}")
                .hasMessageContaining("first_name");
        assertThatThrownBy(() -> MergeText.compile("{{name}}")) // an item field outside {{#items}}
                .hasMessageContaining("unknown merge field {{name}}").hasMessageContaining("inside {{#items}}");
        assertThatThrownBy(() -> MergeText.compile("{{#first_name}}{{class}}{{/first_name}}"))
                .hasMessageContaining("unknown merge field {{class}}");
        assertThatThrownBy(() -> MergeText.compile("{{first_name.class.classLoader}}"))
                .hasMessageContaining("unknown merge field");
    }

    @Test
    void partialsPragmasInheritanceAndTripleBracesAreRefused() {
        assertThatThrownBy(() -> MergeText.compile("{{> /etc/passwd}}")).hasMessageContaining("partials");
        assertThatThrownBy(() -> MergeText.compile("{{<layout}}{{/layout}}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MergeText.compile("{{%IMPLICIT-ITERATOR}}")).hasMessageContaining("pragmas");
        assertThatThrownBy(() -> MergeText.compile("{{{first_name}}}")).hasMessageContaining("not allowed");
        assertThatThrownBy(() -> MergeText.compile("{{&first_name}}")).hasMessageContaining("not allowed");
    }

    @Test
    void itemsInsideItemsIsRefusedSoTheOutputCannotExplode() {
        assertThatThrownBy(() -> MergeText.compile("{{#items}}{{#items}}{{#items}}{{name}}{{/items}}{{/items}}{{/items}}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("{{#items}} inside {{#items}}");
        assertThatThrownBy(() -> MergeText.compile("{{#items}}{{^items}}x{{/items}}{{/items}}"))
                .hasMessageContaining("{{#items}} inside {{#items}}");
    }

    @Test
    void textThatDoesNotParseIsRefusedWithTheLine() {
        assertThatThrownBy(() -> MergeText.compile("Hello\n{{#items}}{{name}}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("items");
    }

    @Test
    void onlyMapsAreRead() {
        Map<String, Object> values = new HashMap<>();
        values.put("first_name", new Object() {
            @Override
            public String toString() {
                return "Ada";
            }

            @SuppressWarnings("unused")
            public String getSecret() {
                return "leaked";
            }
        });
        // a value is written as text; nothing is looked up on it by reflection
        assertThat(MergeText.compile("{{#first_name}}{{first_name}}{{/first_name}}").render(values)).isEqualTo("Ada");
    }

    @Test
    void editedWordsReplaceTheCopyAndAnEmptySubjectKeepsTheStepsSubject() {
        Map<String, String> texts = words("Still there, {{first_name}}?", "Your {{item_count}} items are waiting.");
        texts.put(EditedCopy.GREETING, "{{^first_name}}Hi,{{/first_name}}{{#first_name}}Hi {{first_name}},{{/first_name}}");

        RenderedEmail email = renderer.render("gentle-reminder", model("Ada", null, line("Mug", 3, "5")), EditedCopy.compile(3L, texts));
        assertThat(email.getSubject()).isEqualTo("Step subject");
        assertThat(email.getHtml()).contains("Still there, Ada?").contains("Your 3 items are waiting.").contains("Hi Ada,")
                .doesNotContain("did you mean to leave these behind");
        assertThat(email.getText()).contains("Hi Ada,").contains("Still there, Ada?").contains("Back to your cart: https://shop.example.com/restore/1");

        texts.put(EditedCopy.SUBJECT, "{{first_name}}, your cart at {{store_name}}");
        assertThat(renderer.render("gentle-reminder", model("Ada", null, line("Mug", 1, "5")), EditedCopy.compile(4L, texts))
                .getSubject()).isEqualTo("Ada, your cart at Our Shop");
    }

    @Test
    void missingRequiredFieldsAndBadFieldsAreNamed() {
        Map<String, String> texts = words("", "{{nope}}");

        assertThatThrownBy(() -> EditedCopy.compile(null, texts)).isInstanceOfSatisfying(EditedCopy.InvalidCopyException.class,
                e -> assertThat(e.getProblems()).containsOnlyKeys("heading", "intro")
                        .containsEntry("heading", "heading: must not be empty"));
    }
}
