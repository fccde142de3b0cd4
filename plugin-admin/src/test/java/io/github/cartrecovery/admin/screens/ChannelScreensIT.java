package io.github.cartrecovery.admin.screens;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Map;

import javax.annotation.Resource;
import javax.sql.DataSource;

import org.broadleafcommerce.openadmin.dto.BasicFieldMetadata;
import org.broadleafcommerce.openadmin.dto.ClassMetadata;
import org.broadleafcommerce.openadmin.dto.Property;
import org.broadleafcommerce.openadmin.server.domain.PersistencePackageRequest;
import org.broadleafcommerce.openadmin.server.security.domain.AdminPermission;
import org.broadleafcommerce.openadmin.server.security.domain.AdminUser;
import org.broadleafcommerce.openadmin.server.security.remote.SecurityVerifier;
import org.broadleafcommerce.openadmin.server.security.service.AdminSecurityService;
import org.broadleafcommerce.openadmin.server.security.service.navigation.AdminNavigationService;
import org.broadleafcommerce.openadmin.server.service.AdminEntityService;
import org.broadleafcommerce.openadmin.web.form.entity.EntityForm;
import org.broadleafcommerce.openadmin.web.form.entity.Field;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.ui.ExtendedModelMap;
import org.springframework.ui.Model;

import io.github.cartrecovery.admin.web.CampaignEditorController;
import io.github.cartrecovery.admin.web.CampaignForm;
import io.github.cartrecovery.admin.web.RecoveryReportController;
import io.github.cartrecovery.admin.web.ReportChart;
import io.github.cartrecovery.reporting.RecoveryReport;
import io.github.cartrecovery.reporting.RecoveryReports;
import io.github.cartrecovery.reporting.SchedulerHealth;
import io.github.cartrecovery.campaign.CampaignRepository;
import io.github.cartrecovery.campaign.StoreChannels;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;

/**
 * Channels in the admin. The campaign editor with channels and send-time step conditions: issue 16's seed sequence
 * (email, email, SMS only with SMS consent and a cart over 50, email) typed in and saved, shown again, edited; bad
 * conditions shown on their row; Broadleaf's generic screens for step conditions refuse every write. The
 * report page and its CSV split by channel.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@BroadleafWithPlugin(patches = {"bl-cartrecovery-applicationContext.xml", "bl-cartrecovery-admin-applicationContext.xml"})
class ChannelScreensIT {

    static final String STEP = "io.github.cartrecovery.campaign.CampaignStep";
    static final String STEP_CONDITION = "io.github.cartrecovery.campaign.StepCondition";

    @Resource(name = "crDataSource") DataSource dataSource;
    @Resource(name = "blAdminSecurityService") AdminSecurityService security;
    @Resource(name = "blAdminNavigationService") AdminNavigationService navigation;
    @Resource(name = "blAdminSecurityRemoteService") SecurityVerifier securityVerifier;
    @Resource(name = "blAdminEntityService") AdminEntityService entities;
    @Resource(name = "crCampaignRepository") CampaignRepository campaigns;
    @Resource(name = "crStoreChannels") StoreChannels channels;
    @Resource(name = "crClock") java.time.Clock clock;

    JdbcTemplate jdbc;
    AdminUser manager;

    @BeforeAll
    void aCampaignManager() {
        jdbc = new JdbcTemplate(dataSource);
        // granted directly, not through ROLE_ADMIN: AdminScreensIT checks how the role grant is seeded
        AdminPermission manage = security.readAdminPermissionById(-8613L); // ALL on the module's entities (1.0/010, 1.2/023)
        manager = user("cr-channels-manager", manage);
    }

    @AfterEach
    void logOut() {
        AdminScreens.logOut();
    }

    @Test
    void theOperatorTypesInTheSeedSequenceAndItIsSavedWithItsChannelsAndConditions(PluginContext broadleaf) throws Exception {
        logIn(manager);
        Model model = new ExtendedModelMap();

        editor().save(model, seedSequence("Seed sequence (editor)"));

        CampaignForm form = (CampaignForm) model.asMap().get("form");
        assertThat(form.getErrors()).isEmpty();
        assertThat(model.asMap()).containsEntry("message", "saved");
        long id = Long.parseLong(form.value("id"));
        assertThat(jdbc.queryForList("SELECT CHANNEL FROM CR_CAMPAIGN_STEP WHERE CAMPAIGN_ID = ? ORDER BY STEP_NO", String.class, id))
                .containsExactly("EMAIL", "EMAIL", "SMS", "EMAIL");
        assertThat(jdbc.queryForList("SELECT c.CONDITION_TYPE, c.TEXT_VALUE, c.NUMBER_VALUE, c.CURRENCY_CODE FROM "
                + "CR_CAMPAIGN_STEP_CONDITION c JOIN CR_CAMPAIGN_STEP s ON s.ID = c.STEP_ID WHERE s.CAMPAIGN_ID = ? AND s.STEP_NO = 3 "
                + "ORDER BY c.ID", id)).extracting(row -> row.get("CONDITION_TYPE") + " " + row.get("TEXT_VALUE") + " "
                + (row.get("NUMBER_VALUE") == null ? null : new java.math.BigDecimal(row.get("NUMBER_VALUE").toString()).stripTrailingZeros().toPlainString())
                + " " + row.get("CURRENCY_CODE"))
                .containsExactly("CHANNEL_CONSENT SMS null null", "MIN_CART_TOTAL null 50 USD");
        // shown again as saved: the SMS step's channel chosen, its conditions in their rows
        assertThat(form.value("steps[2].channel")).isEqualTo("SMS");
        assertThat(form.value("steps[2].conditions[1].type")).isEqualTo("MIN_CART_TOTAL");
        assertThat(form.value("steps[2].conditions[1].numberValue")).isEqualTo("50");
        assertThat(model.asMap().get("channels")).isEqualTo(java.util.Arrays.asList("EMAIL", "SMS", "WEBHOOK"));
        String html = render(broadleaf, model);
        assertThat(html).contains("<option selected=\"selected\" value=\"SMS\">SMS</option>")
                .contains("name=\"steps[2].conditions[0].type\"")
                .contains("<option selected=\"selected\" value=\"MIN_CART_TOTAL\">MIN_CART_TOTAL</option>")
                .contains("value=\"USD\"");
    }

    @Test
    void reopeningAndSavingKeepsTheConditionsAndABlankedConditionIsRemoved(PluginContext broadleaf) throws Exception {
        logIn(manager);
        Model saved = new ExtendedModelMap();
        editor().save(saved, seedSequence("Seed sequence (edit)"));
        long id = Long.parseLong(((CampaignForm) saved.asMap().get("form")).value("id"));
        Model shown = new ExtendedModelMap();
        editor().edit(shown, id);
        CampaignForm form = (CampaignForm) shown.asMap().get("form");

        MockHttpServletRequest post = repost(form);
        editor().save(new ExtendedModelMap(), post);
        assertThat(conditionsOfStep(id, 3)).isEqualTo(2);

        post.setParameter("steps[2].conditions[0].type", "");
        Model again = new ExtendedModelMap();
        editor().save(again, post);

        assertThat(((CampaignForm) again.asMap().get("form")).getErrors()).isEmpty();
        assertThat(conditionsOfStep(id, 3)).isEqualTo(1);
        assertThat(campaigns.find(id).getSteps().get(2).getConditions()).extracting(c -> c.describe())
                .containsExactly("MIN_CART_TOTAL 50 USD");
    }

    @Test
    void aBadStepConditionIsShownOnItsRowAndNothingIsWritten(PluginContext broadleaf) throws Exception {
        logIn(manager);
        int before = jdbc.queryForObject("SELECT COUNT(*) FROM CR_CAMPAIGN", Integer.class);
        MockHttpServletRequest post = seedSequence("Seed sequence (bad)");
        post.setParameter("steps[2].conditions[1].currencyCode", ""); // a total needs its currency
        post.setParameter("steps[1].conditions[1].type", "PREVIOUS_STEP"); // the form's second row, the step's first condition
        post.setParameter("steps[1].conditions[1].textValue", "SEEN");
        Model model = new ExtendedModelMap();

        editor().save(model, post);

        CampaignForm form = (CampaignForm) model.asMap().get("form");
        assertThat(form.error("steps[2].conditions[1].currencyCode"))
                .isEqualTo("steps[3].conditions[1].currencyCode: required for MIN_CART_TOTAL (a cart in another currency does not match)");
        assertThat(form.error("steps[1].conditions[1].textValue"))
                .isEqualTo("steps[2].conditions[0].textValue: one of [OPENED, CLICKED, NOT_OPENED, NOT_CLICKED] (was 'SEEN')");
        assertThat(render(broadleaf, model)).contains("Step 3, send-time condition 2, currency: required for MIN_CART_TOTAL");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM CR_CAMPAIGN", Integer.class)).isEqualTo(before);
    }

    @Test
    void aChannelTheStoreDoesNotHaveIsAnErrorOnTheStepsChannel() throws Exception {
        logIn(manager);
        MockHttpServletRequest post = seedSequence("Seed sequence (fax)");
        post.setParameter("steps[2].channel", "FAX");
        Model model = new ExtendedModelMap();

        editor().save(model, post);

        assertThat(((CampaignForm) model.asMap().get("form")).error("steps[2].channel"))
                .isEqualTo("steps[3].channel: unknown channel 'FAX' (the store has [EMAIL, SMS, WEBHOOK])");
    }

    @Test
    void theGenericStepScreenEditsTheChannelAndListsTheConditions() throws Exception {
        logIn(manager);
        ClassMetadata step = entities.getClassMetadata(PersistencePackageRequest.standard().withCeilingEntityClassname(STEP))
                .getDynamicResultSet().getClassMetaData();

        assertThat(step.getProperties()).extracting(Property::getName).contains("channel", "conditions");
        Property channel = java.util.Arrays.stream(step.getProperties()).filter(p -> p.getName().equals("channel")).findFirst().get();
        assertThat(((BasicFieldMetadata) channel.getMetadata()).getReadOnly()).isNotEqualTo(Boolean.TRUE);
    }

    @Test
    void theGenericConditionScreenIsReadOnly() throws Exception {
        logIn(manager);
        int before = jdbc.queryForObject("SELECT COUNT(*) FROM CR_CAMPAIGN_STEP_CONDITION", Integer.class);
        EntityForm form = new EntityForm();
        form.setCeilingEntityClassname(STEP_CONDITION);
        form.setEntityType(STEP_CONDITION);
        form.addField(field("type", "MIN_CART_TOTAL"));
        form.addField(field("numberValue", "50"));

        // conditions are edited in the campaign editor, whose validator refuses a total without a currency
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> entities.addEntity(form, null, new ArrayList<>()))
                .hasMessageContaining("Campaign Editor");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM CR_CAMPAIGN_STEP_CONDITION", Integer.class)).isEqualTo(before);
    }

    @Test
    void theReportPageAndItsCsvSplitTheNumbersByChannel(PluginContext broadleaf) throws Exception {
        logIn(manager);
        java.sql.Date day = java.sql.Date.valueOf("2031-05-04"); // a day nothing else reports on
        jdbc.update("DELETE FROM CR_REPORT_DAILY WHERE REPORT_DAY = ?", day);
        jdbc.update("UPDATE CR_SETTING SET VALUE = ? WHERE NAME = 'REPORT_VERSION'", java.util.UUID.randomUUID().toString());
        jdbc.update("INSERT INTO CR_REPORT_DAILY (REPORT_DAY, CAMPAIGN_ID, STEP_NO, CHANNEL, CURRENCY_CODE, SENT, OPENED, CLICKED, "
                + "RECOVERED, RECOVERED_REVENUE) VALUES (?, -1, 1, 'EMAIL', 'USD', 10, 4, 2, 1, 40)", day);
        jdbc.update("INSERT INTO CR_REPORT_DAILY (REPORT_DAY, CAMPAIGN_ID, STEP_NO, CHANNEL, CURRENCY_CODE, SENT, SKIPPED, FAILED, "
                + "CLICKED, RECOVERED, RECOVERED_REVENUE) VALUES (?, -1, 3, 'SMS', 'USD', 3, 5, 1, 2, 1, 80.5)", day);
        RecoveryReportController controller = new RecoveryReportController(
                broadleaf.bean("crRecoveryReports", RecoveryReports.class), broadleaf.bean("crSchedulerHealth", SchedulerHealth.class),
                clock, new io.github.cartrecovery.formatting.StoreTime("UTC"),
                broadleaf.bean("crCampaignRepository", io.github.cartrecovery.campaign.CampaignRepository.class));
        AdminScreens.wired(controller, securityVerifier, navigation);
        Model model = new ExtendedModelMap();

        controller.report(model, "2031-05-04", "2031-05-04", null);

        RecoveryReport report = (RecoveryReport) model.asMap().get("report");
        assertThat(report.getChannels()).extracting(RecoveryReport.ChannelTotals::getChannel).containsExactly("EMAIL", "SMS");
        String html = render(broadleaf, "cartRecovery/report", model);
        assertThat(html.replaceAll("\\s+", " "))
                .contains("<tr class=\"cr-channel\" data-channel=\"SMS\"> <td>SMS</td> <td>3</td><td>5</td> <td>1</td><td>0</td> "
                        + "<td>2</td><td>1</td> <td class=\"cr-recovered-revenue\">$80.50</td> </tr>")
                .contains("<td>Default recovery</td><td>3</td><td>SMS</td> <td>3</td><td>5</td>")
                // money per currency in the viewer's locale, never the database's 80.50000; revenue per campaign and step
                .contains("<th>Recovered revenue (USD)</th> <td>$120.50</td>")
                .contains("<td class=\"cr-recovered-revenue\">$40.00</td>")
                .doesNotContain("80.50000").doesNotContain("120.50000");
        assertThat(((ReportChart) model.asMap().get("chart")).getJson())
                .endsWith(",\"revenueCurrency\":\"USD\",\"revenue\":[120.5]}");
        MockHttpServletResponse csv = new MockHttpServletResponse();
        controller.csv(csv, "2031-05-04", "2031-05-04", null);
        assertThat(csv.getContentAsString()).startsWith("section,date,campaign_id,campaign,step,channel,metric,currency,value")
                .contains("channel,2031-05-04..2031-05-04,,,,SMS,skipped,,5");
    }

    @Test
    void theEditorSavesAndShowsACampaignsTriggerAndRefusesAnUnknownOne(PluginContext broadleaf) throws Exception {
        logIn(manager);
        MockHttpServletRequest post = new MockHttpServletRequest("POST", "/cart-recovery-campaign-editor");
        post.setParameter("name", "Price drop (editor)");
        post.setParameter("status", "DISABLED");
        post.setParameter("triggerType", "PRICE_DROP");
        post.setParameter("stepRows", "1");
        post.setParameter("subjectRows", "1");
        step(post, 0, "1", "0", "EMAIL", "price-drop", "A price dropped");
        Model model = new ExtendedModelMap();

        editor().save(model, post);

        CampaignForm form = (CampaignForm) model.asMap().get("form");
        assertThat(form.getErrors()).isEmpty();
        long id = Long.parseLong(form.value("id"));
        assertThat(campaigns.find(id).getTriggerType()).isEqualTo(io.github.cartrecovery.campaign.TriggerType.PRICE_DROP);
        assertThat(render(broadleaf, model)).contains("<option selected=\"selected\" value=\"PRICE_DROP\">Price drop</option>")
                .contains("<option value=\"BACK_IN_STOCK\">Back in stock</option>");

        int before = jdbc.queryForObject("SELECT COUNT(*) FROM CR_CAMPAIGN", Integer.class);
        post.setParameter("name", "Price drop (bad trigger)");
        post.setParameter("triggerType", "PRICE_RISE");
        Model refused = new ExtendedModelMap();
        editor().save(refused, post);
        assertThat(((CampaignForm) refused.asMap().get("form")).error("triggerType")).contains("Unknown trigger type 'PRICE_RISE'");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM CR_CAMPAIGN", Integer.class)).isEqualTo(before);
    }

    @Test
    void theReportAndItsCsvFilterAndSplitByTrigger(PluginContext broadleaf) throws Exception {
        logIn(manager);
        java.sql.Date day = java.sql.Date.valueOf("2031-05-05"); // a day nothing else reports on
        java.sql.Timestamp now = new java.sql.Timestamp(clock.instant().toEpochMilli());
        jdbc.update("INSERT INTO CR_CAMPAIGN (NAME, STATUS, PRIORITY, TRIGGER_TYPE, CREATED_AT, UPDATED_AT) "
                + "VALUES ('Report price drop', 'DISABLED', 0, 'PRICE_DROP', ?, ?)", now, now);
        long priceDrop = jdbc.queryForObject("SELECT ID FROM CR_CAMPAIGN WHERE NAME = 'Report price drop'", Long.class);
        jdbc.update("DELETE FROM CR_REPORT_DAILY WHERE REPORT_DAY = ?", day);
        jdbc.update("UPDATE CR_SETTING SET VALUE = ? WHERE NAME = 'REPORT_VERSION'", java.util.UUID.randomUUID().toString());
        jdbc.update("INSERT INTO CR_REPORT_DAILY (REPORT_DAY, CAMPAIGN_ID, STEP_NO, CHANNEL, CURRENCY_CODE, PLANNED, SENT, "
                + "RECOVERED, RECOVERED_REVENUE) VALUES (?, -1, 1, 'EMAIL', 'USD', 10, 10, 1, 40)", day);
        jdbc.update("INSERT INTO CR_REPORT_DAILY (REPORT_DAY, CAMPAIGN_ID, STEP_NO, CHANNEL, CURRENCY_CODE, PLANNED, SENT, "
                + "RECOVERED, RECOVERED_REVENUE) VALUES (?, ?, 1, 'EMAIL', 'USD', 3, 2, 1, 25)", day, priceDrop);
        RecoveryReportController controller = reportController(broadleaf);

        Model all = new ExtendedModelMap();
        controller.report(all, "2031-05-05", "2031-05-05", null, null);
        RecoveryReport report = (RecoveryReport) all.asMap().get("report");
        assertThat(report.getTriggers()).extracting(RecoveryReport.TriggerTotals::getTriggerType)
                .containsExactly("ABANDONED_CART", "PRICE_DROP");
        assertThat(report.getTriggers().get(1).getTotals().getSent()).isEqualTo(2);
        assertThat(render(broadleaf, "cartRecovery/report", all).replaceAll("\\s+", " "))
                .contains("<tr class=\"cr-trigger\" data-trigger=\"PRICE_DROP\"> <td>Price drop</td> <td>3</td> <td>2</td>");

        Model filtered = new ExtendedModelMap();
        controller.report(filtered, "2031-05-05", "2031-05-05", null, "PRICE_DROP");
        RecoveryReport onlyPriceDrops = (RecoveryReport) filtered.asMap().get("report");
        assertThat(onlyPriceDrops.getTriggerType()).isEqualTo("PRICE_DROP");
        assertThat(onlyPriceDrops.getCampaigns()).extracting(RecoveryReport.Funnel::getCampaignId).containsExactly(priceDrop);
        assertThat(onlyPriceDrops.getKpis().getSent()).isEqualTo(2);

        MockHttpServletResponse csv = new MockHttpServletResponse();
        controller.csv(csv, "2031-05-05", "2031-05-05", null, "PRICE_DROP");
        assertThat(csv.getContentAsString())
                .startsWith("section,date,campaign_id,campaign,step,channel,metric,currency,value,trigger")
                .contains("campaign,2031-05-05..2031-05-05," + priceDrop + ",Report price drop,,,sent,,2,PRICE_DROP")
                .contains("trigger,2031-05-05..2031-05-05,,,,,sent,,2,PRICE_DROP")
                .doesNotContain(",ABANDONED_CART");

        MockHttpServletResponse bad = new MockHttpServletResponse();
        controller.csv(bad, "2031-05-05", "2031-05-05", null, "PRICE_RISE");
        assertThat(bad.getStatus()).isEqualTo(400);
        assertThat(bad.getContentAsString()).startsWith("triggerType: Unknown trigger type 'PRICE_RISE'");
    }

    private RecoveryReportController reportController(PluginContext broadleaf) {
        RecoveryReportController controller = new RecoveryReportController(
                broadleaf.bean("crRecoveryReports", RecoveryReports.class), broadleaf.bean("crSchedulerHealth", SchedulerHealth.class),
                clock, new io.github.cartrecovery.formatting.StoreTime("UTC"),
                broadleaf.bean("crCampaignRepository", io.github.cartrecovery.campaign.CampaignRepository.class));
        AdminScreens.wired(controller, securityVerifier, navigation);
        return controller;
    }

    private int conditionsOfStep(long campaignId, int stepNo) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM CR_CAMPAIGN_STEP_CONDITION c JOIN CR_CAMPAIGN_STEP s ON s.ID = c.STEP_ID "
                + "WHERE s.CAMPAIGN_ID = ? AND s.STEP_NO = ?", Integer.class, campaignId, stepNo);
    }

    /** Issue 16's seed sequence as the operator types it (a disabled campaign, so no cart of other tests is planned on it). */
    private static MockHttpServletRequest seedSequence(String name) {
        MockHttpServletRequest post = new MockHttpServletRequest("POST", "/cart-recovery-campaign-editor");
        post.setParameter("name", name);
        post.setParameter("status", "DISABLED");
        post.setParameter("priority", "7");
        post.setParameter("stepRows", "5");
        post.setParameter("subjectRows", "1");
        post.setParameter("conditionRows", "1");
        post.setParameter("stepConditionRows", "3");
        step(post, 0, "1", "60", "EMAIL", "gentle-reminder", "Still there?");
        step(post, 1, "2", "1440", "EMAIL", "value-reminder", "Still waiting");
        step(post, 2, "3", "60", "SMS", "sms-reminder", null);
        post.setParameter("steps[2].conditions[0].type", "CHANNEL_CONSENT");
        post.setParameter("steps[2].conditions[0].textValue", "SMS");
        post.setParameter("steps[2].conditions[1].type", "MIN_CART_TOTAL");
        post.setParameter("steps[2].conditions[1].numberValue", "50");
        post.setParameter("steps[2].conditions[1].currencyCode", "USD");
        step(post, 3, "4", "1440", "EMAIL", "last-call", "Last call");
        return post;
    }

    private static void step(MockHttpServletRequest post, int row, String stepNo, String delay, String channel, String template,
                             String subject) {
        String at = "steps[" + row + "].";
        post.setParameter(at + "stepNo", stepNo);
        post.setParameter(at + "delayMinutes", delay);
        post.setParameter(at + "channel", channel);
        post.setParameter(at + "template", template);
        if (subject != null) {
            post.setParameter(at + "subjects[0].locale", "*");
            post.setParameter(at + "subjects[0].text", subject);
        }
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
        return post;
    }

    private CampaignEditorController editor() {
        CampaignEditorController controller = new CampaignEditorController(campaigns, clock, channels);
        AdminScreens.wired(controller, securityVerifier, navigation);
        return controller;
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
        return render(broadleaf, "cartRecovery/campaignEditor", model);
    }

    private static String render(PluginContext broadleaf, String view, Model model) {
        return AdminScreens.render(broadleaf, view, model);
    }
}
