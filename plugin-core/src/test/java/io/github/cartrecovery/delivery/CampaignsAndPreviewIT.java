package io.github.cartrecovery.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;

import javax.annotation.Resource;

import org.broadleafcommerce.core.order.domain.Order;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;

import io.github.cartrecovery.campaign.Campaign;
import io.github.cartrecovery.campaign.CampaignCondition;
import io.github.cartrecovery.campaign.CampaignRepository;
import io.github.cartrecovery.campaign.CampaignStatus;
import io.github.cartrecovery.campaign.CampaignStep;
import io.github.cartrecovery.campaign.ConditionType;
import io.github.cartrecovery.campaign.InvalidCampaignException;
import io.github.cartrecovery.campaign.RecoveryPlanner;
import io.github.cartrecovery.rendering.RenderedEmail;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;

/** Campaigns saved through JPA on the real schema, chosen by priority and audience; preview and test send. */
@BroadleafWithPlugin
class CampaignsAndPreviewIT {

    @Resource(name = "crCampaignRepository")
    CampaignRepository campaigns;

    @Resource(name = "crRecoveryPlanner")
    RecoveryPlanner planner;

    @Resource(name = "crRecoveryPreview")
    RecoveryPreview preview;

    @Test
    void theHighestPriorityMatchingCampaignIsChosen(PluginContext broadleaf) {
        RecoveryFixture fixture = new RecoveryFixture(broadleaf);
        Campaign french = campaigns.save(new Campaign(null, "French shoppers " + RecoveryFixture.uniqueEmail("c"),
                CampaignStatus.ENABLED, 50, fixture.clock.instant())
                .addCondition(new CampaignCondition(ConditionType.LOCALE, null, null, "fr"))
                .addStep(new CampaignStep(null, 1, 30, "last-call", Collections.singletonMap("*", "Votre panier"))));
        try {
            fixture.nextMorning();
            Order frenchCart = fixture.abandonedCart(RecoveryFixture.uniqueEmail("fr"), "Bol", "9.00", 1, "fr_FR", "EUR");
            Order otherCart = fixture.abandonedCart(RecoveryFixture.uniqueEmail("us"), "Bowl", "9.00", 1, "en_US", "USD");
            planner.planDue();
            assertThat(fixture.jdbc.queryForList("SELECT CAMPAIGN_ID FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ?", Long.class,
                    frenchCart.getId())).containsExactly(french.getId());
            assertThat(fixture.jdbc.queryForList("SELECT CAMPAIGN_ID FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ?", Long.class,
                    otherCart.getId())).containsOnly(-1L).hasSize(3);
        } finally {
            fixture.jdbc.update("UPDATE CR_CAMPAIGN SET STATUS = 'DISABLED' WHERE ID = ?", french.getId());
        }
    }

    @Test
    void badCampaignDataIsRejectedOnSaveAndNothingIsWritten(PluginContext broadleaf) {
        RecoveryFixture fixture = new RecoveryFixture(broadleaf);
        int before = fixture.jdbc.queryForObject("SELECT COUNT(*) FROM CR_CAMPAIGN", Integer.class);
        assertThatThrownBy(() -> campaigns.save(new Campaign(null, "Broken", CampaignStatus.ENABLED, 1, Instant.now())
                .addStep(new CampaignStep(null, 1, -60, "no-such-template", Collections.singletonMap("*", "s")))))
                .isInstanceOf(InvalidCampaignException.class)
                .hasMessageContaining("steps[1].delayMinutes: must not be negative")
                .hasMessageContaining("steps[1].template: unknown template 'no-such-template'");
        assertThat(fixture.jdbc.queryForObject("SELECT COUNT(*) FROM CR_CAMPAIGN", Integer.class)).isEqualTo(before);
    }

    @Test
    void aNameAnotherCampaignHasIsRejectedOnSave(PluginContext broadleaf) {
        RecoveryFixture fixture = new RecoveryFixture(broadleaf);
        String name = "Taken " + RecoveryFixture.uniqueEmail("n");
        Campaign first = campaigns.save(new Campaign(null, name, CampaignStatus.DISABLED, 0, Instant.now())
                .addStep(new CampaignStep(null, 1, 60, "gentle-reminder", Collections.singletonMap("*", "s"))));
        int before = fixture.jdbc.queryForObject("SELECT COUNT(*) FROM CR_CAMPAIGN", Integer.class);
        assertThatThrownBy(() -> campaigns.save(new Campaign(null, name, CampaignStatus.DISABLED, 0, Instant.now())
                .addStep(new CampaignStep(null, 1, 60, "gentle-reminder", Collections.singletonMap("*", "s")))))
                .isInstanceOf(InvalidCampaignException.class)
                .hasMessageContaining("name: another campaign is already called '" + name + "'");
        assertThatThrownBy(() -> campaigns.save(new Campaign(null, name.toUpperCase(), CampaignStatus.DISABLED, 0, Instant.now())
                .addStep(new CampaignStep(null, 1, 60, "gentle-reminder", Collections.singletonMap("*", "s")))))
                .isInstanceOf(InvalidCampaignException.class).hasMessageContaining("name: another campaign is already called");
        assertThat(fixture.jdbc.queryForObject("SELECT COUNT(*) FROM CR_CAMPAIGN", Integer.class)).isEqualTo(before);
        // saving the campaign itself again is no clash
        assertThat(campaigns.save(campaigns.find(first.getId())).getName()).isEqualTo(name);
    }

    @Test
    void anEditMayGiveANewStepTheNumberOfAStepItDropsButNotTakeAnotherCampaignsStep(PluginContext broadleaf) {
        Campaign saved = campaigns.save(new Campaign(null, "Renumbered " + RecoveryFixture.uniqueEmail("r"), CampaignStatus.DISABLED, 0,
                Instant.now()).addStep(new CampaignStep(null, 1, 60, "gentle-reminder", Collections.singletonMap("*", "old"))));
        // the editor posts a row without the old step's id: the old step 1 goes, a new step 1 comes
        Campaign edited = new Campaign(saved.getId(), saved.getName(), CampaignStatus.DISABLED, 0, Instant.now())
                .addStep(new CampaignStep(null, 1, 30, "last-call", Collections.singletonMap("*", "new")));
        campaigns.save(edited);
        Campaign reloaded = campaigns.find(saved.getId());
        assertThat(reloaded.getSteps()).hasSize(1);
        assertThat(reloaded.getSteps().get(0).getTemplate()).isEqualTo("last-call");
        assertThat(reloaded.getSteps().get(0).getDelayMinutes()).isEqualTo(30);

        // a step id of another campaign (the seeded default's step 1, id -1) is refused, and stays where it is
        Campaign stealing = new Campaign(saved.getId(), saved.getName(), CampaignStatus.DISABLED, 0, Instant.now())
                .addStep(new CampaignStep(-1L, 1, 30, "last-call", Collections.singletonMap("*", "mine")));
        assertThatThrownBy(() -> campaigns.save(stealing)).isInstanceOf(InvalidCampaignException.class)
                .hasMessageContaining("steps[1].id: -1 is not a step of this campaign");
        assertThat(new RecoveryFixture(broadleaf).jdbc.queryForObject("SELECT CAMPAIGN_ID FROM CR_CAMPAIGN_STEP WHERE ID = -1", Long.class))
                .isEqualTo(-1L);
    }

    @Test
    void previewRendersARealCartAndTestSendLeavesTheSequenceAlone(PluginContext broadleaf) throws Exception {
        RecoveryFixture fixture = new RecoveryFixture(broadleaf);
        Instant abandoned = fixture.nextMorning();
        Order cart = fixture.abandonedCart(RecoveryFixture.uniqueEmail("preview"), "Teapot", "30.00", 1, "en_US", "USD");
        planner.planDue();
        String plannedBefore = fixture.describe(cart.getId());

        RenderedEmail rendered = preview.forCart(-2L, cart.getId());
        assertThat(rendered.getSubject()).isEqualTo("Your cart is still waiting for you");
        assertThat(rendered.getHtml()).contains("Teapot").contains("$30.00");
        assertThat(preview.forSampleCart(-3L, "ja_JP", "JPY").getText()).containsPattern("[¥￥]5\\b");

        int port = RecoveryFixture.freePort();
        GreenMail smtp = RecoveryFixture.greenMail(port);
        try {
            RecoveryPreview toGreenMail = new RecoveryPreview(fixture.jdbc.getDataSource(),
                    broadleaf.bean("crTransactionManager", org.springframework.transaction.PlatformTransactionManager.class),
                    campaigns, broadleaf.bean("crRecoveryCartReader", io.github.cartrecovery.rendering.RecoveryCartReader.class),
                    broadleaf.bean("crEmailRenderer", io.github.cartrecovery.rendering.EmailRenderer.class),
                    broadleaf.bean("crRecoveryLinks", RecoveryLinks.class),
                    broadleaf.bean("crRecoveryMessageBuilder", RecoveryMessageBuilder.class),
                    new SmtpMailer("127.0.0.1", port, "NONE", "", "", 2000, 5000));
            toGreenMail.sendTest(rendered, "marketing@example.com");
            assertThat(smtp.getReceivedMessagesForDomain("marketing@example.com"))
                    .extracting(m -> m.getSubject()).containsExactly("[TEST] Your cart is still waiting for you");
        } finally {
            smtp.stop();
        }
        assertThat(fixture.describe(cart.getId())).isEqualTo(plannedBefore);
        assertThat(abandoned).isNotNull();
    }
}
