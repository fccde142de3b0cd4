package io.github.cartrecovery.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;

import org.junit.jupiter.api.Test;

class CampaignAudienceTest {

    private static final Instant NOW = Instant.parse("2026-01-05T10:00:00Z");

    private static Campaign campaign(CampaignCondition... conditions) {
        Campaign campaign = new Campaign(1L, "c", CampaignStatus.ENABLED, 10, NOW)
                .addStep(new CampaignStep(1L, 1, 60, "gentle-reminder", Collections.singletonMap("*", "s")));
        for (CampaignCondition condition : conditions) {
            campaign.addCondition(condition);
        }
        return campaign;
    }

    private static AudienceFacts cart(String total, String currency, int items, String locale, boolean registered, boolean returning) {
        return new AudienceFacts(new BigDecimal(total), currency, items, locale, registered, returning);
    }

    @Test
    void cartValueBoundsApplyPerCurrency() {
        Campaign highValueUsd = campaign(new CampaignCondition(ConditionType.MIN_CART_VALUE, "USD", new BigDecimal("100"), null));
        assertThat(highValueUsd.appliesTo(cart("150", "USD", 1, "en_US", false, false), NOW)).isTrue();
        assertThat(highValueUsd.appliesTo(cart("99.99", "USD", 1, "en_US", false, false), NOW)).isFalse();
        assertThat(highValueUsd.appliesTo(cart("150", "EUR", 1, "de_DE", false, false), NOW)).isFalse();
        Campaign smallEur = campaign(new CampaignCondition(ConditionType.MAX_CART_VALUE, "EUR", new BigDecimal("50"), null));
        assertThat(smallEur.appliesTo(cart("50", "EUR", 1, "de_DE", false, false), NOW)).isTrue();
        assertThat(smallEur.appliesTo(cart("50.01", "EUR", 1, "de_DE", false, false), NOW)).isFalse();
    }

    @Test
    void itemCountLocaleAndShopperKind() {
        Campaign c = campaign(
                new CampaignCondition(ConditionType.MIN_ITEMS, null, new BigDecimal("2"), null),
                new CampaignCondition(ConditionType.LOCALE, null, null, "de"),
                new CampaignCondition(ConditionType.CUSTOMER_KIND, null, null, "GUEST"),
                new CampaignCondition(ConditionType.CUSTOMER_HISTORY, null, null, "NEW"));
        assertThat(c.appliesTo(cart("10", "EUR", 2, "de_AT", false, false), NOW)).isTrue();
        assertThat(c.appliesTo(cart("10", "EUR", 1, "de_AT", false, false), NOW)).isFalse();
        assertThat(c.appliesTo(cart("10", "EUR", 2, "en_GB", false, false), NOW)).isFalse();
        assertThat(c.appliesTo(cart("10", "EUR", 2, "de", true, false), NOW)).isFalse();
        assertThat(c.appliesTo(cart("10", "EUR", 2, "de", false, true), NOW)).isFalse();
    }

    private static AudienceFacts cartOnSite(Long siteId, java.util.Map<String, BigDecimal> spent) {
        return new AudienceFacts(new BigDecimal("10"), "USD", 1, "en_US", true, !spent.isEmpty(), siteId, spent);
    }

    @Test
    void siteMatchesTheCartsSiteOnly() {
        Campaign siteTwo = campaign(new CampaignCondition(ConditionType.SITE, null, new BigDecimal("2"), null));
        assertThat(siteTwo.appliesTo(cartOnSite(2L, Collections.emptyMap()), NOW)).isTrue();
        assertThat(siteTwo.appliesTo(cartOnSite(3L, Collections.emptyMap()), NOW)).isFalse();
        assertThat(siteTwo.appliesTo(cartOnSite(null, Collections.emptyMap()), NOW)).isFalse();
    }

    @Test
    void highValueCountsEarlierOrdersInTheConditionsCurrencyOnly() {
        Campaign bigSpenders = campaign(new CampaignCondition(ConditionType.HIGH_VALUE, "usd", new BigDecimal("500"), null));
        assertThat(bigSpenders.appliesTo(cartOnSite(null, Collections.singletonMap("USD", new BigDecimal("500.00"))), NOW)).isTrue();
        assertThat(bigSpenders.appliesTo(cartOnSite(null, Collections.singletonMap("USD", new BigDecimal("499.99"))), NOW)).isFalse();
        assertThat(bigSpenders.appliesTo(cartOnSite(null, Collections.singletonMap("EUR", new BigDecimal("9000"))), NOW)).isFalse();
        assertThat(bigSpenders.appliesTo(cartOnSite(null, Collections.emptyMap()), NOW)).isFalse();
    }

    @Test
    void disabledOrOutOfDateRangeCampaignsDoNotApply() {
        AudienceFacts any = cart("10", "USD", 1, "en_US", false, false);
        assertThat(new Campaign(2L, "off", CampaignStatus.DISABLED, 0, NOW)
                .addStep(new CampaignStep(2L, 1, 60, "t", Collections.singletonMap("*", "s"))).appliesTo(any, NOW)).isFalse();
        assertThat(campaign().activeBetween(NOW.plus(Duration.ofDays(1)), null).appliesTo(any, NOW)).isFalse();
        assertThat(campaign().activeBetween(null, NOW).appliesTo(any, NOW)).isFalse();
        assertThat(campaign().activeBetween(NOW.minus(Duration.ofDays(1)), NOW.plusSeconds(1)).appliesTo(any, NOW)).isTrue();
    }

    @Test
    void subjectFallsBackFromLocaleToLanguageToDefault() {
        java.util.Map<String, String> subjects = new java.util.HashMap<>();
        subjects.put("*", "Default");
        subjects.put("de", "Deutsch");
        subjects.put("de_CH", "Schweiz");
        CampaignStep step = new CampaignStep(1L, 1, 60, "t", subjects);
        assertThat(step.subjectFor("de_CH")).isEqualTo("Schweiz");
        assertThat(step.subjectFor("de_AT")).isEqualTo("Deutsch");
        assertThat(step.subjectFor("fr_FR")).isEqualTo("Default");
        assertThat(step.subjectFor(null)).isEqualTo("Default");
    }
}
