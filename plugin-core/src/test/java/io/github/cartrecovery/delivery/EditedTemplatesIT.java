package io.github.cartrecovery.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.annotation.Resource;
import javax.sql.DataSource;

import org.broadleafcommerce.core.order.domain.Order;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.PlatformTransactionManager;

import com.icegreen.greenmail.util.GreenMail;

import io.github.cartrecovery.campaign.Campaign;
import io.github.cartrecovery.campaign.CampaignCondition;
import io.github.cartrecovery.campaign.CampaignRepository;
import io.github.cartrecovery.campaign.CampaignStatus;
import io.github.cartrecovery.campaign.CampaignStep;
import io.github.cartrecovery.campaign.ConditionType;
import io.github.cartrecovery.campaign.RecoveryPlanner;
import io.github.cartrecovery.rendering.EditedCopy;
import io.github.cartrecovery.rendering.EmailRenderer;
import io.github.cartrecovery.templates.EmailTemplateStore;
import io.github.cartrecovery.templates.TemplateVersion;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;
import jakarta.mail.internet.MimeMessage;

/**
 * Email templates edited in the admin, in Broadleaf's real context and schema: saves are versions, a revert is a new
 * version, a save made through another node's store is used by the next message without a restart, each message records
 * the version it was rendered with (NULL for the classpath copy), and a broken template is refused with nothing written.
 * Uses its own template (test resource copy/cr-test-edited.properties), so the default templates stay untouched for
 * the other tests.
 */
@BroadleafWithPlugin
class EditedTemplatesIT {

    private static final String TEMPLATE = "cr-test-edited";

    @Resource(name = "crEmailTemplateStore")
    EmailTemplateStore templates;

    @Resource(name = "crCampaignRepository")
    CampaignRepository campaigns;

    @Resource(name = "crRecoveryPlanner")
    RecoveryPlanner planner;

    @Test
    void aSavedVersionIsSentAndRecordedARevertIsANewVersionAndTheClasspathCopyRecordsNull(PluginContext broadleaf)
            throws Exception {
        RecoveryFixture fixture = new RecoveryFixture(broadleaf);
        // an Esperanto cart: no copy in "eo", so the classpath copy and the saved versions fall back to English
        Campaign campaign = campaigns.save(new Campaign(null, "Edited templates " + RecoveryFixture.uniqueEmail("t"),
                CampaignStatus.ENABLED, 90, fixture.clock.instant())
                .addCondition(new CampaignCondition(ConditionType.LOCALE, null, null, "eo"))
                .addStep(new CampaignStep(null, 1, 60, TEMPLATE, Collections.singletonMap("*", "Step subject"))));
        int port = RecoveryFixture.freePort();
        GreenMail smtp = RecoveryFixture.greenMail(port);
        try {
            fixture.jdbc.update("DELETE FROM CR_EMAIL_TEMPLATE_VERSION WHERE TEMPLATE_NAME = ?", TEMPLATE);
            MessageDelivery delivery = fixture.deliveryTo(port);
            delivery.setTemplates(templates);

            // no saved version: the classpath copy, recorded as NULL
            String classpathAddress = RecoveryFixture.uniqueEmail("classpath");
            Order before = deliverOne(fixture, delivery, classpathAddress);
            MimeMessage[] classpath = smtp.getReceivedMessagesForDomain(classpathAddress);
            assertThat(classpath).as(fixture.describe(before.getId())).hasSize(1);
            assertThat(RecoverySequenceIT.htmlPart(classpath[0])).contains("Classpath heading of the test template");
            assertThat(versionOf(fixture, before)).isNull();

            // two saves (the second through another node's store), then a revert to the first
            Map<String, String> first = words("Version one for {{first_name}}", "Intro one.");
            first.put(EditedCopy.GREETING, "{{#first_name}}Dear {{first_name}},{{/first_name}}{{^first_name}}Dear shopper,{{/first_name}}");
            TemplateVersion one = templates.save(TEMPLATE, "en", first, "ada-admin");
            EmailTemplateStore otherNode = new EmailTemplateStore(broadleaf.bean("crDataSource", DataSource.class),
                    broadleaf.bean("crTransactionManager", PlatformTransactionManager.class),
                    broadleaf.bean("crEmailRenderer", EmailRenderer.class), broadleaf.bean("crClock", Clock.class));
            TemplateVersion two = otherNode.save(TEMPLATE, "en", words("Version two", "Intro two."), "bob-admin");
            assertThat(templates.newest(TEMPLATE, "eo").getVersionId()).isEqualTo(two.getId());
            TemplateVersion three = templates.revert(one.getId(), "carol-admin");

            assertThat(templates.versions(TEMPLATE, "en")).extracting(TemplateVersion::getVersionNo).containsExactly(3, 2, 1);
            assertThat(three.getRevertedTo()).isEqualTo(1);
            assertThat(three.getCreatedBy()).isEqualTo("carol-admin");
            assertThat(three.getTexts()).isEqualTo(one.getTexts());
            assertThat(two.getCreatedBy()).isEqualTo("bob-admin");
            assertThat(one.getCreatedAt()).isNotNull();

            String second = RecoveryFixture.uniqueEmail("edited");
            Order after = deliverOne(fixture, delivery, second);
            MimeMessage[] edited = smtp.getReceivedMessagesForDomain(second);
            assertThat(edited).as(fixture.describe(after.getId())).hasSize(1);
            String html = RecoverySequenceIT.htmlPart(edited[0]);
            assertThat(html).contains("Version one for Ada").contains("Dear Ada,")
                    .doesNotContain("Classpath heading").doesNotContain("Version two");
            assertThat(RecoverySequenceIT.textPart(edited[0])).contains("Version one for Ada");
            assertThat(edited[0].getSubject()).isEqualTo("Step subject");
            assertThat(versionOf(fixture, after)).isEqualTo(three.getId());
        } finally {
            smtp.stop();
            fixture.jdbc.update("UPDATE CR_CAMPAIGN SET STATUS = 'DISABLED' WHERE ID = ?", campaign.getId());
        }
    }

    @Test
    void aBrokenTemplateIsRefusedNamingItsFieldsAndNothingIsLost(PluginContext broadleaf) {
        RecoveryFixture fixture = new RecoveryFixture(broadleaf);
        TemplateVersion good = templates.save(TEMPLATE, "de", words("Gute Überschrift", "Hallo {{first_name}}"), "ada-admin");
        int count = fixture.jdbc.queryForObject("SELECT COUNT(*) FROM CR_EMAIL_TEMPLATE_VERSION", Integer.class);

        Map<String, String> broken = words("", "{{#items}}{{name}} without its end");
        broken.put(EditedCopy.SUBJECT, "Hi {{firstname}}");
        broken.put(EditedCopy.BUTTON, "${T(java.lang.Runtime).getRuntime().exec('id')} {{{restore_link}}}");
        assertThatThrownBy(() -> templates.save(TEMPLATE, "de", broken, "mallory"))
                .isInstanceOfSatisfying(EditedCopy.InvalidCopyException.class, e -> {
                    assertThat(e.getProblems()).containsOnlyKeys("subject", "heading", "intro", "button");
                    assertThat(e.getProblems().get("subject")).contains("unknown merge field {{firstname}}");
                    assertThat(e.getProblems().get("heading")).isEqualTo("heading: must not be empty");
                    assertThat(e.getProblems().get("intro")).startsWith("intro: ").contains("items");
                    assertThat(e.getProblems().get("button")).contains("not allowed");
                });
        assertThatThrownBy(() -> templates.save("no-such-template", "de", words("a", "b"), "mallory"))
                .isInstanceOfSatisfying(EditedCopy.InvalidCopyException.class,
                        e -> assertThat(e.getProblems()).containsOnlyKeys("template"));
        assertThatThrownBy(() -> templates.save(TEMPLATE, "german!", words("a", "b"), "mallory"))
                .isInstanceOfSatisfying(EditedCopy.InvalidCopyException.class,
                        e -> assertThat(e.getProblems()).containsOnlyKeys("locale"));
        Map<String, String> tooLong = words("a", "x".repeat(4001));
        assertThatThrownBy(() -> templates.save(TEMPLATE, "de", tooLong, "mallory"))
                .isInstanceOfSatisfying(EditedCopy.InvalidCopyException.class,
                        e -> assertThat(e.getProblems()).containsEntry("intro", "intro: at most 4000 characters (was 4001)"));

        assertThat(fixture.jdbc.queryForObject("SELECT COUNT(*) FROM CR_EMAIL_TEMPLATE_VERSION", Integer.class)).isEqualTo(count);
        assertThat(templates.latest(TEMPLATE, "de").getId()).isEqualTo(good.getId());
        assertThat(templates.newest(TEMPLATE, "de_CH").getVersionId()).isEqualTo(good.getId());
    }

    @Test
    void compareShowsTheChangedWordsOfEachField(PluginContext broadleaf) {
        TemplateVersion a = templates.save(TEMPLATE, "es", words("Hola amigo", "Tu carrito te espera."), "ada");
        TemplateVersion b = templates.save(TEMPLATE, "es", words("Hola {{first_name}}", "Tu carrito te espera."), "bob");

        io.github.cartrecovery.templates.TemplateDiff diff = io.github.cartrecovery.templates.TemplateDiff.between(a, b);

        assertThat(diff.isSame()).isFalse();
        io.github.cartrecovery.templates.TemplateDiff.FieldDiff heading = diff.getFields().stream()
                .filter(f -> f.getField().equals("heading")).findFirst().orElseThrow();
        assertThat(heading.isChanged()).isTrue();
        assertThat(heading.getSegments()).extracting(s -> s.getKind() + ":" + s.getText())
                .containsExactly("SAME:Hola ", "REMOVED:amigo", "ADDED:{{first_name}}");
        assertThat(diff.getFields().stream().filter(f -> f.getField().equals("intro")).findFirst().orElseThrow().isChanged())
                .isFalse();
    }

    private Order deliverOne(RecoveryFixture fixture, MessageDelivery delivery, String email) {
        Instant abandoned = fixture.nextMorning();
        Order cart = fixture.abandonedCart(email, "Esperanto Mug", "10.00", 1, "eo", "EUR");
        fixture.jdbc.update("UPDATE BLC_CUSTOMER SET FIRST_NAME = 'Ada' WHERE CUSTOMER_ID = "
                + "(SELECT CUSTOMER_ID FROM CR_CAPTURED_CART WHERE ORDER_ID = ?)", cart.getId());
        planner.planDue();
        fixture.clock.set(abandoned.plus(Duration.ofHours(1)));
        delivery.deliverDue(1000);
        return cart;
    }

    private static Long versionOf(RecoveryFixture fixture, Order cart) {
        List<Long> versions = fixture.jdbc.queryForList("SELECT TEMPLATE_VERSION_ID FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? "
                + "AND STATUS = 'SENT'", Long.class, cart.getId());
        assertThat(versions).hasSize(1);
        return versions.get(0);
    }

    private static Map<String, String> words(String heading, String intro) {
        Map<String, String> texts = new HashMap<>();
        texts.put(EditedCopy.HEADING, heading);
        texts.put(EditedCopy.INTRO, intro);
        texts.put(EditedCopy.BUTTON, "Back to the cart");
        return texts;
    }
}
