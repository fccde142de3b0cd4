package io.github.cartrecovery.admin.screens;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Date;
import java.sql.Timestamp;
import java.util.UUID;

import javax.annotation.Resource;
import javax.sql.DataSource;

import org.broadleafcommerce.openadmin.server.security.domain.AdminPermission;
import org.broadleafcommerce.openadmin.server.security.domain.AdminUser;
import org.broadleafcommerce.openadmin.server.security.remote.SecurityVerifier;
import org.broadleafcommerce.openadmin.server.security.service.AdminSecurityService;
import org.broadleafcommerce.openadmin.server.security.service.navigation.AdminNavigationService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.ui.ExtendedModelMap;
import org.springframework.ui.Model;

import io.github.cartrecovery.admin.web.RecoveryReportController;
import io.github.cartrecovery.admin.web.ReportChart;
import io.github.cartrecovery.campaign.CampaignRepository;
import io.github.cartrecovery.formatting.StoreTime;
import io.github.cartrecovery.reporting.RecoveryReports;
import io.github.cartrecovery.reporting.SchedulerHealth;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;

/**
 * The report screen and its CSV show what browse emails and post-purchase follow-ups earned on their own lines (the
 * KPIs, the funnel, the per-trigger table), never inside recovered revenue (issue 19); campaign names stay escaped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@BroadleafWithPlugin(patches = {"bl-cartrecovery-applicationContext.xml", "bl-cartrecovery-admin-applicationContext.xml"})
class FollowUpReportScreenIT {

    @Resource(name = "crDataSource") DataSource dataSource;
    @Resource(name = "blAdminSecurityService") AdminSecurityService security;
    @Resource(name = "blAdminNavigationService") AdminNavigationService navigation;
    @Resource(name = "blAdminSecurityRemoteService") SecurityVerifier securityVerifier;
    @Resource(name = "crClock") java.time.Clock clock;

    JdbcTemplate jdbc;
    AdminUser manager;

    @BeforeAll
    void aCampaignManager() {
        jdbc = new JdbcTemplate(dataSource);
        AdminPermission manage = security.readAdminPermissionById(-8613L); // the report's permission, as before
        manager = AdminScreens.user(security, "cr-follow-up-report-manager", manage);
    }

    @AfterEach
    void logOut() {
        AdminScreens.logOut();
    }

    @Test
    void browseAndRepeatRevenueAreTheirOwnLinesOnThePageAndInTheCsv(PluginContext broadleaf) throws Exception {
        AdminScreens.logIn(manager);
        Date day = Date.valueOf("2031-06-06"); // a day nothing else reports on
        long browse = campaign("<b>Browse</b> " + UUID.randomUUID(), "BROWSE");
        long followUp = campaign("Thanks " + UUID.randomUUID(), "POST_PURCHASE");
        jdbc.update("DELETE FROM CR_REPORT_DAILY WHERE REPORT_DAY = ?", day);
        jdbc.update("UPDATE CR_SETTING SET VALUE = ? WHERE NAME = 'REPORT_VERSION'", UUID.randomUUID().toString());
        jdbc.update("INSERT INTO CR_REPORT_DAILY (REPORT_DAY, CAMPAIGN_ID, STEP_NO, CHANNEL, CURRENCY_CODE, SENT, "
                + "RECOVERED, RECOVERED_REVENUE) VALUES (?, -1, 1, 'EMAIL', 'USD', 10, 1, 40)", day);
        jdbc.update("INSERT INTO CR_REPORT_DAILY (REPORT_DAY, CAMPAIGN_ID, STEP_NO, CHANNEL, CURRENCY_CODE, SENT, "
                + "BROWSE_ORDERS, BROWSE_REVENUE) VALUES (?, ?, 1, 'EMAIL', 'USD', 4, 2, 75.5)", day, browse);
        jdbc.update("INSERT INTO CR_REPORT_DAILY (REPORT_DAY, CAMPAIGN_ID, STEP_NO, CHANNEL, CURRENCY_CODE, SENT, "
                + "REPEAT_ORDERS, REPEAT_REVENUE) VALUES (?, ?, 1, 'EMAIL', 'USD', 3, 1, 19)", day, followUp);
        RecoveryReportController controller = new RecoveryReportController(
                broadleaf.bean("crRecoveryReports", RecoveryReports.class), broadleaf.bean("crSchedulerHealth", SchedulerHealth.class),
                clock, new StoreTime("UTC"), broadleaf.bean("crCampaignRepository", CampaignRepository.class));
        AdminScreens.wired(controller, securityVerifier, navigation);

        Model model = new ExtendedModelMap();
        controller.report(model, "2031-06-06", "2031-06-06", null, null);
        String html = AdminScreens.render(broadleaf, "cartRecovery/report", model).replaceAll("\\s+", " ");

        assertThat(html)
                .contains("<th>Recovered revenue (USD)</th> <td>$40.00</td>")
                .contains("<tr class=\"cr-kpi-browse-orders\"><th>Orders from browse emails</th><td>2</td></tr>")
                .contains("<th>Revenue from browse emails (USD)</th> <td>$75.50</td>")
                .contains("<tr class=\"cr-kpi-repeat-orders\"><th>Repeat orders from post-purchase follow-ups</th><td>1</td></tr>")
                .contains("<th>Revenue from post-purchase follow-ups (USD)</th> <td>$19.00</td>")
                .contains("&lt;b&gt;Browse&lt;/b&gt;").doesNotContain("<b>Browse</b>");
        assertThat(html).containsPattern("<tr class=\"cr-trigger\" data-trigger=\"BROWSE\">.*?"
                + "<td class=\"cr-recovered-revenue\"></td> <td class=\"cr-follow-up-orders\">2</td> "
                + "<td class=\"cr-follow-up-revenue\">\\$75.50</td>");
        assertThat(html).containsPattern("<tr class=\"cr-trigger\" data-trigger=\"POST_PURCHASE\">.*?"
                + "<td class=\"cr-follow-up-orders\">1</td> <td class=\"cr-follow-up-revenue\">\\$19.00</td>");
        assertThat(html).containsPattern("<tr class=\"cr-funnel-campaign\"> <td>&lt;b&gt;Browse&lt;/b&gt;[^<]*</td>.*?"
                + "<td class=\"cr-follow-up-orders\">2</td>");

        // the daily chart draws browse and follow-up revenue as lines of their own, beside recovered revenue
        assertThat(((ReportChart) model.asMap().get("chart")).getJson())
                .contains("\"revenueCurrency\":\"USD\",\"revenue\":[40],\"browseRevenue\":[75.5],\"repeatRevenue\":[19]}");

        MockHttpServletResponse csv = new MockHttpServletResponse();
        controller.csv(csv, "2031-06-06", "2031-06-06", null, null);
        assertThat(csv.getContentAsString())
                .contains("kpi,2031-06-06..2031-06-06,,,,,browse_orders,,2,")
                .contains("kpi,2031-06-06..2031-06-06,,,,,browse_revenue,USD,75.5,")
                .contains("kpi,2031-06-06..2031-06-06,,,,,repeat_revenue,USD,19,")
                .contains("kpi,2031-06-06..2031-06-06,,,,,recovered_revenue,USD,40,")
                .contains("trigger,2031-06-06..2031-06-06,,,,,browse_revenue,USD,75.5,BROWSE")
                .contains("trigger,2031-06-06..2031-06-06,,,,,repeat_orders,,1,POST_PURCHASE")
                .doesNotContain("recovered_revenue,USD,75.5");
    }

    private long campaign(String name, String triggerType) {
        Timestamp now = new Timestamp(clock.instant().toEpochMilli());
        jdbc.update("INSERT INTO CR_CAMPAIGN (NAME, STATUS, PRIORITY, TRIGGER_TYPE, CREATED_AT, UPDATED_AT) "
                + "VALUES (?, 'DISABLED', 0, ?, ?, ?)", name, triggerType, now, now);
        return jdbc.queryForObject("SELECT ID FROM CR_CAMPAIGN WHERE NAME = ?", Long.class, name);
    }
}
