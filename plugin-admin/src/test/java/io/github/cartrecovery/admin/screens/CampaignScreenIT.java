package io.github.cartrecovery.admin.screens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.annotation.Resource;
import javax.sql.DataSource;

import org.broadleafcommerce.common.currency.domain.BroadleafCurrencyImpl;
import org.broadleafcommerce.common.currency.service.BroadleafCurrencyService;
import org.broadleafcommerce.core.offer.domain.Offer;
import org.broadleafcommerce.core.offer.service.OfferService;
import org.broadleafcommerce.openadmin.server.security.domain.AdminPermission;
import org.broadleafcommerce.openadmin.server.security.domain.AdminUser;
import org.broadleafcommerce.openadmin.server.security.remote.SecurityVerifier;
import org.broadleafcommerce.openadmin.server.security.service.AdminSecurityService;
import org.broadleafcommerce.openadmin.server.security.service.navigation.AdminNavigationService;
import org.broadleafcommerce.openadmin.server.service.AdminEntityService;
import org.broadleafcommerce.openadmin.web.controller.AdminAbstractControllerExtensionManager;
import org.broadleafcommerce.openadmin.web.form.entity.EntityForm;
import org.broadleafcommerce.openadmin.web.form.entity.Field;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.ui.ExtendedModelMap;
import org.springframework.ui.Model;

import io.github.cartrecovery.admin.web.CampaignEditorController;
import io.github.cartrecovery.admin.web.CampaignForm;
import io.github.cartrecovery.admin.web.TemplateChoices;
import io.github.cartrecovery.campaign.CampaignRepository;
import io.github.cartrecovery.campaign.StoreChannels;
import io.github.cartrecovery.coupon.TemplateOffers;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.Offers;
import io.github.cartrecovery.testing.PluginContext;

/**
 * One campaign screen: Broadleaf's generic campaign screens are read-only (every write refused before anything is
 * written), and the campaign editor offers pickers (templates per channel, usable offers, coupon rules, Broadleaf's
 * currencies), delays in minutes, hours or days, reordered and duplicated steps, a copy of a campaign, and problems in
 * words next to their fields.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@BroadleafWithPlugin(patches = {"bl-cartrecovery-applicationContext.xml", "bl-cartrecovery-admin-applicationContext.xml"})
class CampaignScreenIT {

    static final String CAMPAIGN = "io.github.cartrecovery.campaign.Campaign";
    static final String STEP = "io.github.cartrecovery.campaign.CampaignStep";

    @Resource(name = "crDataSource") DataSource dataSource;
    @Resource(name = "blAdminSecurityService") AdminSecurityService security;
    @Resource(name = "blAdminNavigationService") AdminNavigationService navigation;
    @Resource(name = "blAdminSecurityRemoteService") SecurityVerifier securityVerifier;
    @Resource(name = "blAdminEntityService") AdminEntityService entities;
    @Resource(name = "crCampaignRepository") CampaignRepository campaigns;
    @Resource(name = "crStoreChannels") StoreChannels channels;
    @Resource(name = "crTemplateOffers") TemplateOffers templateOffers;
    @Resource(name = "blCurrencyService") BroadleafCurrencyService currencies;
    @Resource(name = "blOfferService") OfferService offerService;
    @Resource(name = "blTransactionManager") PlatformTransactionManager transactions;
    @Resource(name = "crClock") java.time.Clock clock;

    JdbcTemplate jdbc;
    AdminUser manager;

    @BeforeAll
    void aCampaignManager() {
        jdbc = new JdbcTemplate(dataSource);
        AdminPermission manage = security.readAdminPermissionById(-8613L); // ALL on the module's entities
        manager = user("cr-campaign-screen-manager", manage);
    }

    @AfterEach
    void logOut() {
        AdminScreens.logOut();
    }

    @Test
    void theGenericScreenCannotAddUpdateOrRemoveACampaignAndWritesNothing() {
        logIn(manager);
        int campaignsBefore = count("CR_CAMPAIGN");
        int stepsBefore = count("CR_CAMPAIGN_STEP");
        String nameBefore = jdbc.queryForObject("SELECT NAME FROM CR_CAMPAIGN WHERE ID = -1", String.class);

        EntityForm add = form(CAMPAIGN, null);
        add.addField(field("name", "Bypass"));
        add.addField(field("status", "ENABLED"));
        add.addField(field("priority", "1"));
        assertThatThrownBy(() -> entities.addEntity(add, null, new ArrayList<>())).hasMessageContaining("Campaign Editor");

        EntityForm update = form(CAMPAIGN, "-1");
        update.addField(field("name", "Renamed past the validator"));
        assertThatThrownBy(() -> entities.updateEntity(update, null, new ArrayList<>())).hasMessageContaining("Campaign Editor");

        assertThatThrownBy(() -> entities.removeEntity(form(CAMPAIGN, "-1"), null, new ArrayList<>()))
                .hasMessageContaining("Campaign Editor");

        EntityForm step = form(STEP, null);
        step.addField(field("stepNo", "9"));
        step.addField(field("delayMinutes", "-5"));
        step.addField(field("template", "no-such-template"));
        assertThatThrownBy(() -> entities.addEntity(step, null, new ArrayList<>())).hasMessageContaining("Campaign Editor");

        assertThat(count("CR_CAMPAIGN")).isEqualTo(campaignsBefore);
        assertThat(count("CR_CAMPAIGN_STEP")).isEqualTo(stepsBefore);
        assertThat(jdbc.queryForObject("SELECT NAME FROM CR_CAMPAIGN WHERE ID = -1", String.class)).isEqualTo(nameBefore);
    }

    @Test
    void thePickersListTemplatesOffersPoliciesAndCurrencies(PluginContext broadleaf) throws Exception {
        logIn(manager);
        Offer offer = Offers.templateOffer(offerService, new TransactionTemplate(transactions), "15");
        currency("JPY", "Japanese yen");
        Model model = new ExtendedModelMap();

        editor().edit(model, -1L);

        @SuppressWarnings("unchecked")
        Map<String, List<String>> templates = (Map<String, List<String>>) model.asMap().get("templates");
        assertThat(templates.get("EMAIL")).contains("gentle-reminder", "last-call", "value-reminder").doesNotContain("gentle-reminder_de");
        assertThat(templates.get("SMS")).contains("cart-reminder").doesNotContain("cart-reminder_de");
        assertThat(model.asMap().get("currencies")).asList().contains("JPY");
        String html = render(broadleaf, model);
        assertThat(html).contains("<option selected=\"selected\" value=\"gentle-reminder\">gentle-reminder</option>")
                .contains("<option value=\"cart-reminder\">cart-reminder</option>")
                .contains("value=\"" + offer.getName() + "\">" + offer.getName() + " (#" + offer.getId() + ", PERCENT_OFF 15)")
                .contains("<option value=\"HIGH_VALUE\">High-value carts")
                .contains("<option value=\"JPY\">JPY</option>");
    }

    @Test
    void delaysInHoursAndDaysAreStoredInMinutesAndShownInTheirUnit() throws Exception {
        logIn(manager);
        MockHttpServletRequest post = twoSteps("Delays in units");
        post.setParameter("steps[0].delay", "3");
        post.setParameter("steps[0].delayUnit", "HOURS");
        post.setParameter("steps[1].delay", "2");
        post.setParameter("steps[1].delayUnit", "DAYS");
        Model model = new ExtendedModelMap();

        editor().save(model, post);

        CampaignForm saved = (CampaignForm) model.asMap().get("form");
        assertThat(saved.getErrors()).isEmpty();
        long id = Long.parseLong(saved.value("id"));
        assertThat(jdbc.queryForList("SELECT DELAY_MINUTES FROM CR_CAMPAIGN_STEP WHERE CAMPAIGN_ID = ? ORDER BY STEP_NO", Integer.class, id))
                .containsExactly(180, 2880);
        assertThat(saved.value("steps[0].delay")).isEqualTo("3");
        assertThat(saved.value("steps[0].delayUnit")).isEqualTo("HOURS");
        assertThat(saved.value("steps[1].delay")).isEqualTo("2");
        assertThat(saved.value("steps[1].delayUnit")).isEqualTo("DAYS");

        // 90 minutes are no whole number of hours: shown in minutes
        jdbc.update("UPDATE CR_CAMPAIGN_STEP SET DELAY_MINUTES = 90 WHERE CAMPAIGN_ID = ? AND STEP_NO = 1", id);
        Model again = new ExtendedModelMap();
        editor().edit(again, id);
        CampaignForm shown = (CampaignForm) again.asMap().get("form");
        assertThat(shown.value("steps[0].delay")).isEqualTo("90");
        assertThat(shown.value("steps[0].delayUnit")).isEqualTo("MINUTES");
    }

    @Test
    void stepsMoveUpAndAreDuplicatedAndNumberedAgain() throws Exception {
        logIn(manager);
        Model model = new ExtendedModelMap();
        editor().save(model, twoSteps("Reordered"));
        CampaignForm saved = (CampaignForm) model.asMap().get("form");
        long id = Long.parseLong(saved.value("id"));

        MockHttpServletRequest up = repost(saved);
        up.setParameter("action", "up-1");
        Model moved = new ExtendedModelMap();
        editor().save(moved, up);
        CampaignForm rearranged = (CampaignForm) moved.asMap().get("form");
        assertThat(moved.asMap()).containsEntry("message", "rearranged");
        assertThat(rearranged.value("steps[0].template")).isEqualTo("last-call");
        assertThat(rearranged.value("steps[0].stepNo")).isEqualTo("1");
        assertThat(rearranged.value("steps[1].template")).isEqualTo("gentle-reminder");
        assertThat(rearranged.value("steps[1].stepNo")).isEqualTo("2");
        // nothing saved until Save
        assertThat(jdbc.queryForList("SELECT TEMPLATE FROM CR_CAMPAIGN_STEP WHERE CAMPAIGN_ID = ? ORDER BY STEP_NO", String.class, id))
                .containsExactly("gentle-reminder", "last-call");

        MockHttpServletRequest duplicate = repost(rearranged);
        duplicate.setParameter("action", "duplicate-1");
        Model duplicated = new ExtendedModelMap();
        editor().save(duplicated, duplicate);
        CampaignForm three = (CampaignForm) duplicated.asMap().get("form");
        assertThat(three.value("steps[2].template")).isEqualTo("gentle-reminder");
        assertThat(three.value("steps[2].stepNo")).isEqualTo("3");
        assertThat(three.value("steps[2].id")).isNull();
        assertThat(three.value("steps[2].subjects[0].text")).isEqualTo("Still there?");

        Model savedAgain = new ExtendedModelMap();
        editor().save(savedAgain, repost(three));

        assertThat(((CampaignForm) savedAgain.asMap().get("form")).getErrors()).isEmpty();
        assertThat(jdbc.queryForList("SELECT TEMPLATE FROM CR_CAMPAIGN_STEP WHERE CAMPAIGN_ID = ? ORDER BY STEP_NO", String.class, id))
                .containsExactly("last-call", "gentle-reminder", "gentle-reminder");
    }

    @Test
    void aCampaignIsCopiedDisabledWithEveryStepSubjectAndCondition() throws Exception {
        logIn(manager);
        MockHttpServletRequest post = twoSteps("Original");
        post.setParameter("status", "ENABLED");
        post.setParameter("steps[1].conditions[0].type", "MIN_CART_TOTAL");
        post.setParameter("steps[1].conditions[0].currencyCode", "USD");
        post.setParameter("steps[1].conditions[0].numberValue", "50");
        post.setParameter("conditions[0].type", "MIN_CART_VALUE");
        post.setParameter("conditions[0].currencyCode", "USD");
        post.setParameter("conditions[0].numberValue", "20");
        Model model = new ExtendedModelMap();
        editor().save(model, post);
        CampaignForm original = (CampaignForm) model.asMap().get("form");
        long id = Long.parseLong(original.value("id"));
        String name = original.value("name");

        Model copied = new ExtendedModelMap();
        editor().copy(copied, String.valueOf(id));

        assertThat(copied.asMap()).containsEntry("message", "copied");
        long copy = Long.parseLong(((CampaignForm) copied.asMap().get("form")).value("id"));
        assertThat(copy).isNotEqualTo(id);
        assertThat(jdbc.queryForMap("SELECT NAME, STATUS FROM CR_CAMPAIGN WHERE ID = ?", copy))
                .containsEntry("NAME", "Copy of " + name).containsEntry("STATUS", "DISABLED");
        assertThat(jdbc.queryForList("SELECT s.TEMPLATE, s.DELAY_MINUTES, j.SUBJECT FROM CR_CAMPAIGN_STEP s "
                + "JOIN CR_CAMPAIGN_STEP_SUBJECT j ON j.STEP_ID = s.ID WHERE s.CAMPAIGN_ID = ? ORDER BY s.STEP_NO", copy))
                .extracting(row -> row.get("TEMPLATE") + ":" + row.get("DELAY_MINUTES") + ":" + row.get("SUBJECT"))
                .containsExactly("gentle-reminder:60:Still there?", "last-call:1440:Last call");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM CR_CAMPAIGN_STEP_CONDITION c JOIN CR_CAMPAIGN_STEP s ON s.ID = c.STEP_ID "
                + "WHERE s.CAMPAIGN_ID = ?", Integer.class, copy)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM CR_CAMPAIGN_CONDITION WHERE CAMPAIGN_ID = ?", Integer.class, copy)).isEqualTo(1);

        Model second = new ExtendedModelMap();
        editor().copy(second, String.valueOf(id));
        long copy2 = Long.parseLong(((CampaignForm) second.asMap().get("form")).value("id"));
        assertThat(jdbc.queryForObject("SELECT NAME FROM CR_CAMPAIGN WHERE ID = ?", String.class, copy2)).isEqualTo("Copy of " + name + " (2)");
    }

    @Test
    void problemsAreSentencesNextToTheirFields(PluginContext broadleaf) throws Exception {
        logIn(manager);
        int before = count("CR_CAMPAIGN");
        MockHttpServletRequest post = twoSteps("Readable");
        post.setParameter("steps[1].delay", "-5");
        post.setParameter("steps[1].delayUnit", "MINUTES");
        post.setParameter("steps[1].couponPolicy", "ANY");
        post.setParameter("steps[1].couponMaxDiscounts", "USD:10,XXY:5");
        post.setParameter("conditions[0].type", "HIGH_VALUE");
        post.setParameter("conditions[0].numberValue", "100");
        Model model = new ExtendedModelMap();

        editor().save(model, post);

        String html = render(broadleaf, model);
        assertThat(html).contains("Step 2, delay (minutes): must not be negative (was -5)")
                .contains("Step 2, maximum discount per currency: &#39;XXY:5&#39; names no ISO 4217 currency")
                .contains("Step 2, coupon offer: a coupon policy needs a template offer")
                .contains("Audience condition HIGH_VALUE: needs an ISO 4217 currency code (was empty)")
                .doesNotContain(">steps[2].");
        assertThat(count("CR_CAMPAIGN")).isEqualTo(before);
    }

    @Test
    void thePreviewPicksAStepAndARecentCartWithItsAddressMasked(PluginContext broadleaf) throws Exception {
        logIn(manager);
        java.sql.Timestamp at = java.sql.Timestamp.from(java.time.Instant.parse("2099-01-01T00:00:00Z")); // the newest
        jdbc.update("INSERT INTO CR_CAPTURED_CART (ORDER_ID, EMAIL, MARKETING_CONSENT, CURRENCY_CODE, ITEM_COUNT, SUBTOTAL, TOTAL,"
                + " STATUS, FIRST_SEEN, LAST_ACTIVITY, STATUS_CHANGED_AT, ORIGIN) VALUES (987654, 'jane.doe@example.com', 'UNKNOWN', 'USD',"
                + " 3, 45, 45, 'PURCHASED', ?, ?, ?, 'STOREFRONT')", at, at, at);
        try {
            io.github.cartrecovery.admin.web.RecoveryPreviewController controller = new io.github.cartrecovery.admin.web.RecoveryPreviewController(
                    broadleaf.bean("crRecoveryPreview", io.github.cartrecovery.delivery.RecoveryPreview.class));
            controller.setChoices(broadleaf.bean("crPreviewChoices", io.github.cartrecovery.admin.web.PreviewChoices.class));
            ReflectionTestUtils.setField(controller, "adminRemoteSecurityService", securityVerifier);
            ReflectionTestUtils.setField(controller, "adminNavigationService", navigation);
            ReflectionTestUtils.setField(controller, "extensionManager", new AdminAbstractControllerExtensionManager());
            Model model = new ExtendedModelMap();

            controller.show(model, null, null, null, null);

            String html = render(broadleaf, "cartRecovery/preview", model);
            long firstStep = jdbc.queryForObject("SELECT ID FROM CR_CAMPAIGN_STEP WHERE CAMPAIGN_ID = -1 AND STEP_NO = 1", Long.class);
            String seeded = jdbc.queryForObject("SELECT NAME FROM CR_CAMPAIGN WHERE ID = -1", String.class);
            assertThat(html).contains("<option value=\"" + firstStep + "\">" + seeded + ", step 1: EMAIL gentle-reminder</option>")
                    .contains("<option value=\"\">The built-in sample cart</option>")
                    .contains("<option value=\"987654\">#987654, j***@example.com, 3 items, 45 USD</option>")
                    .doesNotContain("jane.doe");
        } finally {
            jdbc.update("DELETE FROM CR_CAPTURED_CART WHERE ORDER_ID = 987654");
        }
    }

    private int count(String table) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Integer.class);
    }

    private void currency(String code, String name) {
        new TransactionTemplate(transactions).execute(status -> {
            if (currencies.findCurrencyByCode(code) == null) {
                BroadleafCurrencyImpl currency = new BroadleafCurrencyImpl();
                currency.setCurrencyCode(code);
                currency.setFriendlyName(name);
                currency.setDefaultFlag(false);
                currencies.save(currency);
            }
            return null;
        });
    }

    /** Two email steps as the editor posts them (delays in minutes), a disabled campaign. */
    private static MockHttpServletRequest twoSteps(String name) {
        MockHttpServletRequest post = new MockHttpServletRequest("POST", "/cart-recovery-campaign-editor");
        post.setParameter("name", name + " " + System.nanoTime());
        post.setParameter("status", "DISABLED");
        post.setParameter("priority", "3");
        post.setParameter("stepRows", "3");
        post.setParameter("subjectRows", "1");
        post.setParameter("conditionRows", "1");
        post.setParameter("stepConditionRows", "1");
        step(post, 0, "1", "60", "gentle-reminder", "Still there?");
        step(post, 1, "2", "1440", "last-call", "Last call");
        return post;
    }

    private static void step(MockHttpServletRequest post, int row, String stepNo, String minutes, String template, String subject) {
        String at = "steps[" + row + "].";
        post.setParameter(at + "stepNo", stepNo);
        post.setParameter(at + "delay", minutes);
        post.setParameter(at + "delayUnit", "MINUTES");
        post.setParameter(at + "channel", "EMAIL");
        post.setParameter(at + "template", template);
        post.setParameter(at + "couponPolicy", "NONE");
        post.setParameter(at + "subjects[0].locale", "*");
        post.setParameter(at + "subjects[0].text", subject);
    }

    /** What the browser posts back for a form as shown. */
    private static MockHttpServletRequest repost(CampaignForm shown) {
        MockHttpServletRequest post = new MockHttpServletRequest("POST", "/cart-recovery-campaign-editor");
        for (Map.Entry<String, String> value : shown.getValues().entrySet()) {
            post.setParameter(value.getKey(), value.getValue());
        }
        post.setParameter("stepRows", String.valueOf(shown.getStepRows()));
        post.setParameter("subjectRows", String.valueOf(shown.getSubjectRows()));
        post.setParameter("conditionRows", String.valueOf(shown.getConditionRows()));
        post.setParameter("stepConditionRows", String.valueOf(shown.getStepConditionRows()));
        post.removeParameter("action");
        return post;
    }

    private CampaignEditorController editor() {
        return AdminScreens.wired(new CampaignEditorController(campaigns, clock, channels, new TemplateChoices(),
                templateOffers, currencies), securityVerifier, navigation);
    }

    private static EntityForm form(String ceiling, String id) {
        EntityForm form = new EntityForm();
        form.setCeilingEntityClassname(ceiling);
        form.setEntityType(ceiling);
        if (id != null) {
            form.setId(id);
        }
        return form;
    }

    private static Field field(String name, String value) {
        Field field = new Field();
        field.setName(name);
        field.setValue(value);
        return field;
    }

    private AdminUser user(String login, AdminPermission permission) {
        return AdminScreens.user(security, login, permission);
    }

    private static void logIn(AdminUser user) {
        AdminScreens.logIn(user);
    }

    private static String render(PluginContext broadleaf, Model model) {
        return AdminScreens.render(broadleaf, "cartRecovery/campaignEditor", model);
    }

    private static String render(PluginContext broadleaf, String view, Model model) {
        return AdminScreens.render(broadleaf, view, model);
    }
}
