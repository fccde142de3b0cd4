package io.github.cartrecovery.rendering;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;

import org.junit.jupiter.api.Test;

import io.github.cartrecovery.coupon.IssuedCoupon;

/** Every default template shows the message's coupon (code, discount, expiry), escaped, and nothing without one. */
class CouponInTemplatesTest {

    private final EmailRenderer renderer = new EmailRenderer();
    private final RecoveryCart cart = new RecoveryCart("Ada", "en_US", "USD", Collections.singletonList(
            new CartLine("Mug", 1, new BigDecimal("12.50"), new BigDecimal("12.50"), null, null)));
    private final IssuedCoupon coupon = new IssuedCoupon("CR-7KQ4-M2XP-9HTR", "10%<b>", Instant.parse("2026-03-05T10:00:00Z"),
            "March 5, 2026 <i>10:00</i>");

    private RenderedEmail render(String template, RecoveryCart cart, IssuedCoupon coupon) {
        return renderer.render(template, "Subject", cart, "https://shop.example.com/r/1", "https://shop.example.com/u/1", coupon);
    }

    @Test
    void everyDefaultTemplateShowsTheCodeTheDiscountAndTheExpiryEscaped() {
        for (String template : new String[] {"gentle-reminder", "value-reminder", "last-call"}) {
            RenderedEmail email = render(template, cart, coupon);
            assertThat(email.getHtml()).as(template).contains("CR-7KQ4-M2XP-9HTR").contains("10%&lt;b&gt;")
                    .contains("March 5, 2026 &lt;i&gt;10:00&lt;/i&gt;").doesNotContain("<b>").doesNotContain("<i>");
            assertThat(email.getText()).as(template).contains("Your code for 10%<b> off: CR-7KQ4-M2XP-9HTR")
                    .contains("valid until March 5, 2026 <i>10:00</i>");
        }
    }

    @Test
    void theGermanTemplateShowsItInGerman() {
        RecoveryCart german = new RecoveryCart("Ada", "de_DE", "EUR", cart.getLines());
        RenderedEmail email = render("gentle-reminder", german, new IssuedCoupon("CR-AAAA-BBBB-CCCC", "10\u00a0%",
                Instant.EPOCH, "5. März 2026"));
        assertThat(email.getText()).contains("Ihr Code für 10\u00a0% Rabatt: CR-AAAA-BBBB-CCCC").contains("gültig bis 5. März 2026");
        assertThat(email.getHtml()).contains("CR-AAAA-BBBB-CCCC");
    }

    @Test
    void withoutACouponNothingAboutOneIsShown() {
        for (String template : new String[] {"gentle-reminder", "value-reminder", "last-call", "gentle-reminder_de"}) {
            RenderedEmail email = render(template.replace("_de", ""), template.endsWith("_de")
                    ? new RecoveryCart("Ada", "de_DE", "EUR", cart.getLines()) : cart, null);
            assertThat(email.getHtml()).as(template).doesNotContain("CR-").doesNotContain("Your code").doesNotContain("Ihr Code");
            assertThat(email.getText()).as(template).doesNotContain("Your code").doesNotContain("Ihr Code");
        }
    }
}
