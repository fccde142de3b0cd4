package io.github.cartrecovery.webhook;

import static io.github.cartrecovery.webhook.TestMessages.cart;
import static io.github.cartrecovery.webhook.TestMessages.line;
import static io.github.cartrecovery.webhook.TestMessages.message;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.codehaus.jackson.JsonNode;
import org.codehaus.jackson.map.ObjectMapper;
import org.junit.jupiter.api.Test;

import io.github.cartrecovery.coupon.IssuedCoupon;
import io.github.cartrecovery.rendering.CartLine;

class WebhookDocumentTest {

    private final WebhookDocument withPersonalData = new WebhookDocument(true);
    private final WebhookDocument withoutPersonalData = new WebhookDocument(false);

    @Test
    void carriesTheMessageTheCartAndItsLinks() throws IOException {
        WebhookRequest request = withPersonalData.build(message(42, cart("EUR", line("Enamel Mug", 2, "12.5"))));
        JsonNode doc = parse(request);

        assertThat(doc.get("version").getIntValue()).isEqualTo(1);
        assertThat(doc.get("type").getTextValue()).isEqualTo("cart_recovery.message");
        assertThat(doc.get("messageId").getLongValue()).isEqualTo(42);
        assertThat(doc.get("messageKey").getTextValue()).isEqualTo("cr.42.k2j3@shop.example.com");
        assertThat(doc.get("orderId").getLongValue()).isEqualTo(9042);
        assertThat(doc.get("step").getIntValue()).isEqualTo(2);
        assertThat(doc.get("template").getTextValue()).isEqualTo("gentle-reminder");
        assertThat(doc.get("subject").getTextValue()).isEqualTo("Still thinking it over?");
        assertThat(doc.get("locale").getTextValue()).isEqualTo("de-DE");
        assertThat(doc.get("restoreUrl").getTextValue()).isEqualTo("https://shop.example.com/cart-recovery/restore/r42");
        assertThat(doc.get("unsubscribeUrl").getTextValue()).isEqualTo("https://shop.example.com/cart-recovery/unsubscribe/u42");
        assertThat(doc.get("coupon").isNull()).isTrue();
        JsonNode item = doc.get("cart").get("items").get(0);
        assertThat(item.get("name").getTextValue()).isEqualTo("Enamel Mug");
        assertThat(item.get("skuId").getLongValue()).isEqualTo(11);
        assertThat(item.get("productId").getLongValue()).isEqualTo(7);
        assertThat(item.get("quantity").getIntValue()).isEqualTo(2);
        assertThat(item.get("productUrl").getTextValue())
                .isEqualTo("https://shop.example.com/cart-recovery/click/c42?u=https://shop.example.com/p/2");
        assertThat(item.get("imageUrl").getTextValue()).isEqualTo("https://shop.example.com/img/2.png");
        assertThat(doc.get("cart").get("currency").getTextValue()).isEqualTo("EUR");
        assertThat(doc.get("cart").get("itemCount").getIntValue()).isEqualTo(2);
    }

    @Test
    void theIdempotencyKeyIsTheStableMessageKey() {
        assertThat(withPersonalData.build(message(42, cart("EUR"))).getIdempotencyKey()).isEqualTo("cr.42.k2j3@shop.example.com");
        assertThat(withPersonalData.build(message(43, cart("EUR"), null, null)).getIdempotencyKey()).isEqualTo("cr-43");
        assertThat(withPersonalData.build(message(44, cart("EUR"), null, "two words\r\n")).getIdempotencyKey()).isEqualTo("cr-44");
    }

    @Test
    void namesWithQuotesNewlinesAndUnicodeSurviveTheRoundTrip() throws IOException {
        String name = "The \"Big\" Mug\nline two\\ \t\u0001 Grüße 日本 😀 </script>";
        WebhookRequest request = withPersonalData.build(message(42, cart("EUR", line(name, 1, "5.00"))));

        assertThat(parse(request).get("cart").get("items").get(0).get("name").getTextValue()).isEqualTo(name);
        assertThat(request.getBodyText()).contains("The \\\"Big\\\" Mug\\nline two\\\\ \\t\\u0001 Grüße 日本 😀")
                .doesNotContain("\n");
        assertThat(request.getBody()).containsSequence("Grüße".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aBrokenSurrogateInANameBecomesAQuestionMarkNotAFailure() throws IOException {
        WebhookRequest request = withPersonalData.build(message(42, cart("EUR", line("Mug \uD83D end", 1, "5.00"))));
        assertThat(parse(request).get("cart").get("items").get(0).get("name").getTextValue()).isEqualTo("Mug ? end");
    }

    @Test
    void moneyHasTheCurrencysOwnScaleAndLinesAddUpToTheSubtotal() throws IOException {
        JsonNode eur = parse(withPersonalData.build(message(1, cart("EUR", line("A", 3, "12.5"), line("B", 1, "0.005")))));
        assertThat(texts(eur, "unitPrice")).containsExactly("12.50", "0.00");
        assertThat(texts(eur, "lineTotal")).containsExactly("37.50", "0.00");
        assertThat(eur.get("cart").get("subtotal").getTextValue()).isEqualTo("37.50");

        JsonNode yen = parse(withPersonalData.build(message(2, cart("JPY", line("A", 2, "1200.40")))));
        assertThat(texts(yen, "unitPrice")).containsExactly("1200");
        assertThat(yen.get("cart").get("subtotal").getTextValue()).isEqualTo("2400");

        JsonNode dinar = parse(withPersonalData.build(message(3, cart("BHD", line("A", 1, "1.2345")))));
        assertThat(texts(dinar, "unitPrice")).containsExactly("1.234"); // half-even, like Broadleaf's Money

        JsonNode unknown = parse(withPersonalData.build(message(4, cart(null, line("A", 1, "1E+2")))));
        assertThat(texts(unknown, "unitPrice")).containsExactly("100.00");
        assertThat(unknown.get("cart").get("currency").isNull()).isTrue();
    }

    @Test
    void aLineWithoutAPriceCountsAsZero() throws IOException {
        CartLine noPrice = new CartLine("Gift", 1, null, null, null, null);
        JsonNode doc = parse(withPersonalData.build(message(1, cart("USD", noPrice, line("A", 1, "2.00")))));
        assertThat(doc.get("cart").get("items").get(0).get("unitPrice").isNull()).isTrue();
        assertThat(doc.get("cart").get("items").get(0).get("skuId").isNull()).isTrue();
        assertThat(doc.get("cart").get("subtotal").getTextValue()).isEqualTo("2.00");
    }

    @Test
    void theCouponCarriesCodeDiscountAndExpiry() throws IOException {
        IssuedCoupon coupon = new IssuedCoupon("CR-7KQ4-M2XP-9HTR", "10%", Instant.parse("2026-12-24T18:00:00Z"), "24.12.2026");
        JsonNode doc = parse(withPersonalData.build(message(5, cart("EUR"), coupon, "k")));
        assertThat(doc.get("coupon").get("code").getTextValue()).isEqualTo("CR-7KQ4-M2XP-9HTR");
        assertThat(doc.get("coupon").get("discount").getTextValue()).isEqualTo("10%");
        assertThat(doc.get("coupon").get("expiresAt").getTextValue()).isEqualTo("2026-12-24T18:00:00Z");
    }

    @Test
    void theShopperIsInTheDocumentOnlyWithPersonalDataOn() throws IOException {
        JsonNode with = parse(withPersonalData.build(message(6, cart("EUR", line("A", 1, "1")))));
        assertThat(with.get("shopper").get("email").getTextValue()).isEqualTo(TestMessages.EMAIL);
        assertThat(with.get("shopper").get("firstName").getTextValue()).isEqualTo("Jane");

        WebhookRequest without = withoutPersonalData.build(message(6, cart("EUR", line("A", 1, "1"))));
        assertThat(parse(without).get("shopper").isNull()).isTrue();
        assertThat(without.getBodyText()).doesNotContain("jane").doesNotContain("Jane").doesNotContain("@example.com");
    }

    private static List<String> texts(JsonNode doc, String field) {
        List<String> values = new java.util.ArrayList<>();
        for (JsonNode item : doc.get("cart").get("items")) {
            values.add(item.get(field).getTextValue());
        }
        return values;
    }

    static JsonNode parse(WebhookRequest request) throws IOException {
        return new ObjectMapper().readTree(new String(request.getBody(), StandardCharsets.UTF_8));
    }
}
