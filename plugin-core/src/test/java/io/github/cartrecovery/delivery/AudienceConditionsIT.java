package io.github.cartrecovery.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import javax.annotation.Resource;

import org.broadleafcommerce.core.order.domain.Order;
import org.junit.jupiter.api.Test;

import io.github.cartrecovery.campaign.Campaign;
import io.github.cartrecovery.campaign.CampaignCondition;
import io.github.cartrecovery.campaign.CampaignRepository;
import io.github.cartrecovery.campaign.CampaignStatus;
import io.github.cartrecovery.campaign.CampaignStep;
import io.github.cartrecovery.campaign.ConditionType;
import io.github.cartrecovery.campaign.RecoveryPlanner;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;

/**
 * The SITE and HIGH_VALUE audience conditions on the real schema: planning reads the cart's site from
 * CR_CAPTURED_CART and the shopper's spend from Broadleaf's BLC_ORDER rows.
 */
@BroadleafWithPlugin
class AudienceConditionsIT {

    @Resource(name = "crCampaignRepository")
    CampaignRepository campaigns;

    @Resource(name = "crRecoveryPlanner")
    RecoveryPlanner planner;

    @Test
    void siteConditionMatchesCartsOfThatSiteOnly(PluginContext broadleaf) {
        RecoveryFixture fixture = new RecoveryFixture(broadleaf);
        long site = 1_000_000 + ThreadLocalRandom.current().nextInt(1_000_000);
        Campaign siteCampaign = enabled(fixture, "Site " + site,
                new CampaignCondition(ConditionType.SITE, null, BigDecimal.valueOf(site), null));
        try {
            fixture.nextMorning();
            Order onSite = fixture.abandonedCart(RecoveryFixture.uniqueEmail("site"));
            Order otherSite = fixture.abandonedCart(RecoveryFixture.uniqueEmail("other-site"));
            Order noSite = fixture.abandonedCart(RecoveryFixture.uniqueEmail("no-site"));
            fixture.jdbc.update("UPDATE CR_CAPTURED_CART SET SITE_ID = ? WHERE ORDER_ID = ?", site, onSite.getId());
            fixture.jdbc.update("UPDATE CR_CAPTURED_CART SET SITE_ID = ? WHERE ORDER_ID = ?", site + 1, otherSite.getId());
            fixture.jdbc.update("UPDATE CR_CAPTURED_CART SET SITE_ID = NULL WHERE ORDER_ID = ?", noSite.getId());

            planner.planDue();

            assertThat(campaignsOf(fixture, onSite)).containsExactly(siteCampaign.getId());
            assertThat(campaignsOf(fixture, otherSite)).isNotEmpty().doesNotContain(siteCampaign.getId());
            assertThat(campaignsOf(fixture, noSite)).isNotEmpty().doesNotContain(siteCampaign.getId());
        } finally {
            disable(fixture, siteCampaign);
        }
    }

    @Test
    void highValueMatchesShoppersWhoseSubmittedOrdersReachTheAmount(PluginContext broadleaf) {
        RecoveryFixture fixture = new RecoveryFixture(broadleaf);
        ensureCurrency(fixture, "USD");
        String bigSpender = RecoveryFixture.uniqueEmail("big");
        String smallSpender = RecoveryFixture.uniqueEmail("small");
        String onlyCarts = RecoveryFixture.uniqueEmail("carts");
        // two submitted orders adding up to the amount, one under a differently-cased address
        earlierOrder(fixture, bigSpender, "SUBMITTED", "300.00");
        earlierOrder(fixture, bigSpender.toUpperCase(), "SUBMITTED", "200.00");
        earlierOrder(fixture, smallSpender, "SUBMITTED", "499.99");
        // an unfinished cart worth much more does not count
        earlierOrder(fixture, onlyCarts, "IN_PROCESS", "5000.00");
        Campaign vip = enabled(fixture, "VIP " + bigSpender,
                new CampaignCondition(ConditionType.HIGH_VALUE, "USD", new BigDecimal("500"), null));
        try {
            fixture.nextMorning();
            Order big = fixture.abandonedCart(bigSpender);
            Order small = fixture.abandonedCart(smallSpender);
            Order carts = fixture.abandonedCart(onlyCarts);

            planner.planDue();

            assertThat(campaignsOf(fixture, big)).containsExactly(vip.getId());
            assertThat(campaignsOf(fixture, small)).isNotEmpty().doesNotContain(vip.getId());
            assertThat(campaignsOf(fixture, carts)).isNotEmpty().doesNotContain(vip.getId());
        } finally {
            disable(fixture, vip);
        }
    }

    private Campaign enabled(RecoveryFixture fixture, String name, CampaignCondition condition) {
        return campaigns.save(new Campaign(null, name, CampaignStatus.ENABLED, 90, fixture.clock.instant())
                .addCondition(condition)
                .addStep(new CampaignStep(null, 1, 60, "last-call", Collections.singletonMap("*", "For you"))));
    }

    private static void disable(RecoveryFixture fixture, Campaign campaign) {
        fixture.jdbc.update("UPDATE CR_CAMPAIGN SET STATUS = 'DISABLED' WHERE ID = ?", campaign.getId());
    }

    private static List<Long> campaignsOf(RecoveryFixture fixture, Order cart) {
        return fixture.jdbc.queryForList("SELECT DISTINCT CAMPAIGN_ID FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ?",
                Long.class, cart.getId());
    }

    /** A Broadleaf order of this address (its own anonymous customer) in the given status, total in USD. */
    static void earlierOrder(RecoveryFixture fixture, String email, String status, String total) {
        Order order = fixture.store.cartWithEmail(email);
        fixture.jdbc.update("UPDATE BLC_ORDER SET ORDER_STATUS = ?, ORDER_TOTAL = ?, CURRENCY_CODE = 'USD', SUBMIT_DATE = ? "
                + "WHERE ORDER_ID = ?", status, new BigDecimal(total),
                new Timestamp(fixture.clock.instant().toEpochMilli() - 86_400_000L), order.getId());
    }

    static void ensureCurrency(RecoveryFixture fixture, String code) {
        if (fixture.jdbc.queryForObject("SELECT COUNT(*) FROM BLC_CURRENCY WHERE CURRENCY_CODE = ?", Integer.class, code) == 0) {
            fixture.jdbc.update("INSERT INTO BLC_CURRENCY (CURRENCY_CODE, FRIENDLY_NAME, DEFAULT_FLAG) VALUES (?, ?, ?)",
                    code, code, Boolean.FALSE);
        }
    }
}
