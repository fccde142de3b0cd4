package io.github.cartrecovery.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;

import org.junit.jupiter.api.Test;

import io.github.cartrecovery.keys.SigningKeys;
import io.github.cartrecovery.links.LinkTokens;
import io.github.cartrecovery.links.SignedRecoveryLinks;
import io.github.cartrecovery.links.StoreUrls;
import io.github.cartrecovery.rendering.CartLine;
import io.github.cartrecovery.rendering.EmailRenderer;
import io.github.cartrecovery.rendering.RecoveryCart;

/** cartrecovery.tracking.open-pixel: with it off, a sent email carries no open pixel. */
class OpenPixelSwitchTest {

    private static String html(boolean openPixel) {
        SignedRecoveryLinks links = new SignedRecoveryLinks(new StoreUrls("https://shop.example.com", "", ""), "u@example.com",
                new LinkTokens(SigningKeys.parse("k1:0123456789-0123456789-0123456789")),
                Clock.fixed(Instant.parse("2026-01-05T10:00:00Z"), ZoneOffset.UTC), 30, 400, openPixel);
        CartLine mug = new CartLine("Mug", 1, new BigDecimal("5"), new BigDecimal("5"), null, "/mugs/enamel");
        return new EmailRenderer().render("gentle-reminder", "S", new RecoveryCart("Ada", "en_US", "USD",
                Collections.singletonList(mug)), new MessageLinks(links, 7, 99)).getHtml();
    }

    @Test
    void anEmailCarriesTheOpenPixelWhileItIsOn() {
        assertThat(html(true)).contains("src=\"https://shop.example.com/cart-recovery/open/");
    }

    @Test
    void anEmailHasNoOpenPixelWhenItIsSwitchedOff() {
        assertThat(html(false)).doesNotContain("/cart-recovery/open/").doesNotContain("width=\"1\"")
                .contains("/cart-recovery/restore/").contains("/cart-recovery/click/");
    }
}
