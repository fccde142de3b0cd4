package io.github.cartrecovery.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

import io.github.cartrecovery.capture.CartOrigin;
import io.github.cartrecovery.capture.MarketingConsent;

class ExclusionRulesTest {

    static final String CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36";

    ExclusionRules rules = new ExclusionRules("bot,crawler,headlesschrome", "mailinator.com,test.invalid",
            "qa@shop.example", "192.0.2.0/24,2001:db8::/32", true, "10.00", false);

    @Test
    void ordinaryShopperIsNotExcluded() {
        assertThat(reason("jane@example.com", CHROME, "203.0.113.9", CartOrigin.STOREFRONT, "25.00")).isNull();
    }

    @Test
    void botUserAgentIsExcluded() {
        assertThat(reason("jane@example.com", "Googlebot/2.1", "203.0.113.9", CartOrigin.STOREFRONT, "25.00"))
                .isEqualTo("bot user agent");
        assertThat(reason("jane@example.com", "Mozilla/5.0 HeadlessChrome/120", null, CartOrigin.STOREFRONT, "25.00"))
                .isEqualTo("bot user agent");
    }

    @Test
    void theBotRuleAloneAnswersTheStorefrontsQuestion() {
        assertThat(rules.isBotUserAgent("Googlebot/2.1")).isTrue();
        assertThat(rules.isBotUserAgent("Mozilla/5.0 HeadlessChrome/120")).isTrue();
        assertThat(rules.isBotUserAgent(CHROME)).isFalse();
        assertThat(rules.isBotUserAgent(null)).isFalse();
    }

    @Test
    void excludedDomainAndItsSubdomainsAreExcluded() {
        assertThat(reason("x@mailinator.com", CHROME, null, CartOrigin.STOREFRONT, "25.00")).isEqualTo("excluded email domain");
        assertThat(reason("x@eu.mailinator.com", CHROME, null, CartOrigin.STOREFRONT, "25.00")).isEqualTo("excluded email domain");
        assertThat(reason("x@notmailinator.com", CHROME, null, CartOrigin.STOREFRONT, "25.00")).isNull();
    }

    @Test
    void excludedAddressIsExcludedWhateverItsCase() {
        assertThat(reason("QA@Shop.Example", CHROME, null, CartOrigin.STOREFRONT, "25.00")).isEqualTo("excluded address");
    }

    @Test
    void ipv4AndIpv6RangesAreExcluded() {
        assertThat(reason("jane@example.com", CHROME, "192.0.2.77", CartOrigin.STOREFRONT, "25.00")).isEqualTo("excluded IP range");
        assertThat(reason("jane@example.com", CHROME, "2001:db8::1", CartOrigin.STOREFRONT, "25.00")).isEqualTo("excluded IP range");
        assertThat(reason("jane@example.com", CHROME, "198.51.100.1", CartOrigin.STOREFRONT, "25.00")).isNull();
    }

    @Test
    void cartCreatedInTheAdminIsExcluded() {
        assertThat(reason("jane@example.com", CHROME, null, CartOrigin.ADMIN, "25.00")).isEqualTo("created in the admin");
    }

    @Test
    void cartBelowTheMinimumValueIsExcluded() {
        assertThat(reason("jane@example.com", CHROME, null, CartOrigin.STOREFRONT, "9.99")).isEqualTo("below minimum value");
    }

    @Test
    void withOptInRequiredOnlyGrantedConsentIsEmailed() {
        ExclusionRules optIn = new ExclusionRules("", "", "", "", false, "0", true);
        assertThat(optIn.reasonToExclude("a@example.com", CHROME, null, CartOrigin.STOREFRONT, BigDecimal.TEN, "USD", MarketingConsent.UNKNOWN))
                .isEqualTo("no marketing consent");
        assertThat(optIn.reasonToExclude("a@example.com", CHROME, null, CartOrigin.STOREFRONT, BigDecimal.TEN, "USD", MarketingConsent.DENIED))
                .isEqualTo("no marketing consent");
        assertThat(optIn.reasonToExclude("a@example.com", CHROME, null, CartOrigin.STOREFRONT, BigDecimal.TEN, "USD", MarketingConsent.GRANTED))
                .isNull();
    }

    @Test
    void malformedIpRangeIsAClearConfigurationError() {
        assertThatThrownBy(() -> new ExclusionRules("", "", "", "10.0.0.0/8,not-an-ip", false, "0", false))
                .hasMessageContaining("cartrecovery.exclusion.ip-ranges")
                .hasMessageContaining("not-an-ip");
    }

    private String reason(String email, String userAgent, String ip, CartOrigin origin, String total) {
        return rules.reasonToExclude(email, userAgent, ip, origin, new BigDecimal(total), "USD", MarketingConsent.UNKNOWN);
    }

    @Test
    void theMinimumIsThatOfTheCartsCurrency() {
        ExclusionRules perCurrency = new ExclusionRules("", "", "", "", false, "USD:10,EUR:10,JPY:1000", false);

        assertThat(perCurrency.reasonToExclude("a@example.com", CHROME, null, CartOrigin.STOREFRONT, new BigDecimal("9.99"), "USD",
                MarketingConsent.UNKNOWN)).isEqualTo("below minimum value");
        // 500 yen is below the yen minimum, but 500 dollars are not below the dollar one
        assertThat(perCurrency.reasonToExclude("a@example.com", CHROME, null, CartOrigin.STOREFRONT, new BigDecimal("500"), "JPY",
                MarketingConsent.UNKNOWN)).isEqualTo("below minimum value");
        assertThat(perCurrency.reasonToExclude("a@example.com", CHROME, null, CartOrigin.STOREFRONT, new BigDecimal("500"), "USD",
                MarketingConsent.UNKNOWN)).isNull();
        assertThat(perCurrency.reasonToExclude("a@example.com", CHROME, null, CartOrigin.STOREFRONT, new BigDecimal("1000"), "JPY",
                MarketingConsent.UNKNOWN)).isNull();
        // a currency without a minimum has none
        assertThat(perCurrency.reasonToExclude("a@example.com", CHROME, null, CartOrigin.STOREFRONT, new BigDecimal("0.01"), "GBP",
                MarketingConsent.UNKNOWN)).isNull();
    }

    @Test
    void aUsdCartBelowItsMinimumIsExcludedButAJpyCartOfTheSameNumberIsNot() {
        ExclusionRules perCurrency = new ExclusionRules("", "", "", "", false, "USD:10,JPY:5", false);

        assertThat(perCurrency.reasonToExclude("a@example.com", CHROME, null, CartOrigin.STOREFRONT, new BigDecimal("8"), "USD",
                MarketingConsent.UNKNOWN)).isEqualTo("below minimum value");
        assertThat(perCurrency.reasonToExclude("a@example.com", CHROME, null, CartOrigin.STOREFRONT, new BigDecimal("8"), "JPY",
                MarketingConsent.UNKNOWN)).isNull();
    }

    @Test
    void aPlainNumberStillHoldsForEveryCurrency() {
        assertThat(rules.reasonToExclude("a@example.com", CHROME, null, CartOrigin.STOREFRONT, new BigDecimal("9"), "JPY",
                MarketingConsent.UNKNOWN)).isEqualTo("below minimum value");
    }

    @Test
    void aBadMinimumIsRefusedNamingTheSettingAndTheEntry() {
        assertThatThrownBy(() -> new ExclusionRules("", "", "", "", false, "USD:10,XXY:5", false))
                .hasMessageContaining("cartrecovery.exclusion.minimum-cart-value").hasMessageContaining("'XXY:5'");
        assertThatThrownBy(() -> new ExclusionRules("", "", "", "", false, "USD:ten", false))
                .hasMessageContaining("cartrecovery.exclusion.minimum-cart-value").hasMessageContaining("'USD:ten'");
        assertThatThrownBy(() -> new ExclusionRules("", "", "", "", false, "USD:10,20", false))
                .hasMessageContaining("cartrecovery.exclusion.minimum-cart-value").hasMessageContaining("'20'");
    }
}
