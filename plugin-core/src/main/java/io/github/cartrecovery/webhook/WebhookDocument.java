package io.github.cartrecovery.webhook;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Currency;
import java.util.Locale;

import org.codehaus.jackson.JsonFactory;
import org.codehaus.jackson.JsonGenerator;

import io.github.cartrecovery.channel.ChannelMessage;
import io.github.cartrecovery.coupon.IssuedCoupon;
import io.github.cartrecovery.rendering.CartLine;
import io.github.cartrecovery.rendering.RecoveryCart;
import io.github.cartrecovery.rendering.TrackedLinks;

/**
 * The JSON document a webhook carries (schema and example in docs/webhooks.md, {@code "version": 1}): the message
 * (id, stable key, step, template, subject), the cart (currency, lines at today's prices, subtotal), the signed
 * restore and unsubscribe links, the coupon, and the shopper's email and first name only when
 * {@code cartrecovery.webhook.include-personal-data} is true. Money is a string with the currency's own number of
 * decimals (JPY 0, EUR 2, BHD 3), rounded half-even like Broadleaf's Money; each line total is the rounded unit
 * price times the quantity and the subtotal their sum, so a receiver adding up the lines gets the subtotal.
 * Written with Jackson's streaming generator (Jackson 1.9 comes with Broadleaf), so every string is escaped; a
 * broken UTF-16 sequence in a name becomes '?'. Thread-safe.
 */
public final class WebhookDocument {

    public static final int VERSION = 1;
    public static final String TYPE = "cart_recovery.message";

    private static final JsonFactory JSON = new JsonFactory();
    private static final int MAX_KEY_LENGTH = 255;

    private final boolean includePersonalData;

    /** @param includePersonalData {@code cartrecovery.webhook.include-personal-data} */
    public WebhookDocument(boolean includePersonalData) {
        this.includePersonalData = includePersonalData;
    }

    /** The request for one message: its document and Idempotency-Key. */
    public WebhookRequest build(ChannelMessage message) {
        String key = idempotencyKey(message);
        return new WebhookRequest(message.getPlannedMessageId(), key, write(message, key).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The engine's stable message key (kept for every retry of the message) without surrounding angle brackets, or
     * {@code cr-<planned message id>} when the engine gives none or one that cannot be a header value.
     */
    static String idempotencyKey(ChannelMessage message) {
        String key = message.getMessageKey() == null ? "" : message.getMessageKey().trim();
        if (key.length() > 1 && key.startsWith("<") && key.endsWith(">")) {
            key = key.substring(1, key.length() - 1);
        }
        boolean usable = !key.isEmpty() && key.length() <= MAX_KEY_LENGTH;
        for (int i = 0; usable && i < key.length(); i++) {
            usable = key.charAt(i) > 0x20 && key.charAt(i) < 0x7F;
        }
        return usable ? key : "cr-" + message.getPlannedMessageId();
    }

    private String write(ChannelMessage message, String key) {
        StringWriter out = new StringWriter(2048);
        try {
            JsonGenerator json = JSON.createJsonGenerator(out);
            RecoveryCart cart = message.getCart();
            TrackedLinks links = message.getLinks();
            json.writeStartObject();
            json.writeNumberField("version", VERSION);
            json.writeStringField("type", TYPE);
            json.writeNumberField("messageId", message.getPlannedMessageId());
            json.writeStringField("messageKey", key);
            json.writeNumberField("orderId", message.getOrderId());
            json.writeNumberField("step", message.getStepNo());
            json.writeStringField("template", message.getTemplate());
            json.writeStringField("subject", message.getSubject());
            json.writeStringField("locale", languageTag(cart));
            json.writeStringField("restoreUrl", links == null ? null : links.getRestoreUrl());
            json.writeStringField("unsubscribeUrl", links == null ? null : links.getUnsubscribeUrl());
            writeCoupon(json, message.getCoupon());
            writeShopper(json, message, cart);
            writeCart(json, cart, links);
            json.writeEndObject();
            json.close();
        } catch (IOException e) {
            throw new IllegalStateException("could not write the webhook document of message "
                    + message.getPlannedMessageId(), e);
        }
        return out.toString();
    }

    private static void writeCoupon(JsonGenerator json, IssuedCoupon coupon) throws IOException {
        if (coupon == null) {
            json.writeNullField("coupon");
            return;
        }
        json.writeObjectFieldStart("coupon");
        json.writeStringField("code", coupon.getCode());
        json.writeStringField("discount", coupon.getDiscount());
        json.writeStringField("expiresAt", coupon.getExpiresAt() == null ? null : coupon.getExpiresAt().toString());
        json.writeEndObject();
    }

    private void writeShopper(JsonGenerator json, ChannelMessage message, RecoveryCart cart) throws IOException {
        if (!includePersonalData) {
            json.writeNullField("shopper");
            return;
        }
        json.writeObjectFieldStart("shopper");
        json.writeStringField("email", message.getEmail());
        json.writeStringField("firstName", cart == null ? null : cart.getFirstName());
        json.writeEndObject();
    }

    private static void writeCart(JsonGenerator json, RecoveryCart cart, TrackedLinks links) throws IOException {
        if (cart == null) {
            json.writeNullField("cart");
            return;
        }
        String currency = cart.getCurrencyCode();
        int scale = scale(currency);
        BigDecimal subtotal = BigDecimal.ZERO.setScale(scale);
        int itemCount = 0;
        json.writeObjectFieldStart("cart");
        json.writeStringField("currency", currency);
        json.writeArrayFieldStart("items");
        for (CartLine line : cart.getLines()) {
            BigDecimal unit = line.getUnitPrice() == null ? null : line.getUnitPrice().setScale(scale, RoundingMode.HALF_EVEN);
            BigDecimal lineTotal = unit == null ? BigDecimal.ZERO.setScale(scale) : unit.multiply(BigDecimal.valueOf(line.getQuantity()));
            subtotal = subtotal.add(lineTotal);
            itemCount += line.getQuantity();
            json.writeStartObject();
            json.writeStringField("name", line.getName());
            writeId(json, "skuId", line.getSkuId());
            writeId(json, "productId", line.getProductId());
            json.writeNumberField("quantity", line.getQuantity());
            json.writeStringField("unitPrice", unit == null ? null : unit.toPlainString());
            json.writeStringField("lineTotal", lineTotal.toPlainString());
            json.writeBooleanField("priceDropped", line.isPriceDrop());
            json.writeStringField("productUrl", links == null ? line.getProductUrl() : links.click(line.getProductUrl()));
            json.writeStringField("imageUrl", line.getImageUrl());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeNumberField("itemCount", itemCount);
        json.writeStringField("subtotal", subtotal.toPlainString());
        json.writeEndObject();
    }

    private static void writeId(JsonGenerator json, String field, Long id) throws IOException {
        if (id == null) {
            json.writeNullField(field);
        } else {
            json.writeNumberField(field, id);
        }
    }

    /** Decimals of the currency (ISO 4217); 2 for an unknown or missing code. */
    static int scale(String currencyCode) {
        if (currencyCode == null || currencyCode.trim().isEmpty()) {
            return 2;
        }
        try {
            int digits = Currency.getInstance(currencyCode.trim().toUpperCase(Locale.ROOT)).getDefaultFractionDigits();
            return digits < 0 ? 2 : digits;
        } catch (IllegalArgumentException e) {
            return 2;
        }
    }

    private static String languageTag(RecoveryCart cart) {
        String code = cart == null ? null : cart.getLocaleCode();
        return code == null || code.trim().isEmpty() ? null : Locale.forLanguageTag(code.trim().replace('_', '-')).toLanguageTag();
    }
}
