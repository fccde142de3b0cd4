package io.github.cartrecovery.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SmsTemplatesTest {

    private final SmsTemplates templates = new SmsTemplates(2);

    private static Map<String, String> values() {
        Map<String, String> values = new HashMap<>();
        values.put("storeName", "Our Shop");
        values.put("firstName", "Jane");
        values.put("itemCount", "3");
        values.put("total", "$54.80");
        values.put("link", "https://shop.example.com/cart-recovery/s/AQAAAAAAKgBQ0123456789ab");
        values.put("coupon", "CR-7KQ4-M2XP-9HTR");
        return values;
    }

    @Test
    void fillsThePlaceholdersOfTheShippedTemplate() {
        SmsText text = templates.compose("cart-reminder", "en_US", values());

        assertThat(text.getBody()).isEqualTo("Our Shop: Hi Jane, your cart with 3 item(s) ($54.80) is saved. Code "
                + "CR-7KQ4-M2XP-9HTR takes something off. Finish your order: "
                + "https://shop.example.com/cart-recovery/s/AQAAAAAAKgBQ0123456789ab Reply STOP to opt out.");
        assertThat(text.getEncoding()).isEqualTo(SegmentCounter.Encoding.GSM_7);
        assertThat(text.getSegments()).isEqualTo(2);
    }

    @Test
    void theMostSpecificLocaleWins() {
        assertThat(templates.compose("cart-reminder", "de_AT", values()).getBody()).startsWith("Our Shop: Hallo Jane, Ihr Warenkorb");
        assertThat(templates.compose("cart-reminder", "fr", values()).getBody()).startsWith("Our Shop: Hi Jane");
        assertThat(templates.compose("cart-reminder", null, values()).getBody()).startsWith("Our Shop: Hi Jane");
    }

    @Test
    void anOptionalPartWithoutItsValueIsLeftOut() {
        Map<String, String> values = values();
        values.remove("firstName");
        values.put("coupon", " ");

        String body = templates.compose("cart-reminder", "en", values).getBody();

        assertThat(body).startsWith("Our Shop: your cart with 3 item(s)").doesNotContain("Code").doesNotContain("Hi ");
    }

    @Test
    void optionalPartsAreDroppedLastFirstUntilTheTextFits() {
        SmsTemplates one = new SmsTemplates(1);
        Map<String, String> values = Map.of("link", "L");

        String body = one.compose("test-shortening", "en", values).getBody();
        assertThat(body).contains("first optional part").doesNotContain("second optional part");
        assertThat(new SmsTemplates(2).compose("test-shortening", "en", values).getBody()).contains("second optional part");
    }

    @Test
    void aTextTooLongWithoutItsOptionalPartsIsAClearError() {
        Map<String, String> values = Map.of("firstName", "Zoë".repeat(30));

        assertThatThrownBy(() -> new SmsTemplates(1).compose("test-too-long", "en", values))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("test-too-long").hasMessageContaining("UCS-2")
                .hasMessageContaining("cartrecovery.sms.max-segments=1");
    }

    @Test
    void moneyFormattedWithNoBreakSpacesStaysGsm7() {
        Map<String, String> values = values();
        values.put("total", "54,80\u00A0€");
        values.put("firstName", "J\u2019ane");

        SmsText text = templates.compose("cart-reminder", "de", values);

        assertThat(text.getBody()).contains("(54,80 €)").contains("J'ane");
        assertThat(text.getEncoding()).isEqualTo(SegmentCounter.Encoding.GSM_7);
    }

    @Test
    void aValueCannotAddPlaceholdersOrLines() {
        Map<String, String> values = values();
        values.put("firstName", "{link}\r\n[x]");

        String body = templates.compose("cart-reminder", "en", values).getBody();

        assertThat(body).contains("Hi {link}  [x],".replace("  ", " ")).doesNotContain("\r");
    }

    @Test
    void anUnknownPlaceholderOrBrokenBracketsAreErrorsNamingTheTemplate() {
        assertThatThrownBy(() -> templates.compose("test-unknown-placeholder", "en", values()))
                .hasMessageContaining("test-unknown-placeholder").hasMessageContaining("{password}");
        assertThatThrownBy(() -> templates.compose("test-nested", "en", values()))
                .hasMessageContaining("test-nested").hasMessageContaining("nested");
    }

    @Test
    void anUnknownTemplateIsAnError() {
        assertThatThrownBy(() -> templates.compose("no-such-template", "en", values()))
                .hasMessageContaining("no SMS template 'no-such-template'");
        assertThatThrownBy(() -> templates.compose("../email/gentle-reminder", "en", values()))
                .hasMessageContaining("must be 1 to 100 of");
        assertThat(templates.exists("cart-reminder")).isTrue();
        assertThat(templates.exists("gentle-reminder")).isFalse();
    }

    @Test
    void theSegmentLimitIsBetweenOneAndTen() {
        assertThatThrownBy(() -> new SmsTemplates(0)).hasMessageContaining("cartrecovery.sms.max-segments");
        assertThatThrownBy(() -> new SmsTemplates(11)).hasMessageContaining("cartrecovery.sms.max-segments");
    }
}
