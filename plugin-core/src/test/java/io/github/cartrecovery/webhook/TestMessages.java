package io.github.cartrecovery.webhook;

import java.math.BigDecimal;
import java.util.List;

import io.github.cartrecovery.channel.ChannelMessage;
import io.github.cartrecovery.channel.Recipient;
import io.github.cartrecovery.coupon.IssuedCoupon;
import io.github.cartrecovery.rendering.CartLine;
import io.github.cartrecovery.rendering.RecoveryCart;
import io.github.cartrecovery.rendering.TrackedLinks;

/** Channel messages as the engine hands them over, with links that say which message they belong to. */
final class TestMessages {

    static final String EMAIL = "jane.doe@example.com";

    private TestMessages() {
    }

    static RecoveryCart cart(String currency, CartLine... lines) {
        return new RecoveryCart("Jane", "de_DE", currency, List.of(lines));
    }

    static CartLine line(String name, int quantity, String unitPrice) {
        return new CartLine(name, quantity, new BigDecimal(unitPrice), new BigDecimal(unitPrice),
                "https://shop.example.com/img/" + quantity + ".png", "https://shop.example.com/p/" + quantity, null, 11L, 7L);
    }

    static ChannelMessage message(long id, RecoveryCart cart, IssuedCoupon coupon, String messageKey) {
        return new ChannelMessage(id, 9000 + id, 2, messageKey, Recipient.to("https://hooks.example.com/in"), EMAIL,
                "gentle-reminder", "Still thinking it over?", cart, links(id), coupon);
    }

    static ChannelMessage message(long id, RecoveryCart cart) {
        return message(id, cart, null, "<cr." + id + ".k2j3@shop.example.com>");
    }

    static TrackedLinks links(long id) {
        return new TrackedLinks() {
            @Override
            public String getRestoreUrl() {
                return "https://shop.example.com/cart-recovery/restore/r" + id;
            }

            @Override
            public String getUnsubscribeUrl() {
                return "https://shop.example.com/cart-recovery/unsubscribe/u" + id;
            }

            @Override
            public String getOpenPixelUrl() {
                return null;
            }

            @Override
            public String click(String target) {
                return target == null ? null : "https://shop.example.com/cart-recovery/click/c" + id + "?u=" + target;
            }
        };
    }
}
