package io.github.cartrecovery.admin.screens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;

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
import org.springframework.ui.ExtendedModelMap;
import org.springframework.ui.Model;

import io.github.cartrecovery.admin.web.OperationsController;
import io.github.cartrecovery.formatting.StoreTime;
import io.github.cartrecovery.operations.DeliveryQuality;
import io.github.cartrecovery.operations.Health;
import io.github.cartrecovery.operations.HealthReport;
import io.github.cartrecovery.operations.Incidents;
import io.github.cartrecovery.operations.Problem;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;

/** The operator sees the health checks and the incidents with their notices on the report section's Operations page. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@BroadleafWithPlugin(patches = {"bl-cartrecovery-applicationContext.xml", "bl-cartrecovery-admin-applicationContext.xml"})
class OperationsScreenIT {

    @Resource(name = "crDataSource") DataSource dataSource;
    @Resource(name = "blAdminSecurityService") AdminSecurityService security;
    @Resource(name = "blAdminNavigationService") AdminNavigationService navigation;
    @Resource(name = "blAdminSecurityRemoteService") SecurityVerifier securityVerifier;
    @Resource(name = "crHealth") Health health;
    @Resource(name = "crDeliveryQuality") DeliveryQuality quality;
    @Resource(name = "crIncidents") Incidents incidents;
    @Resource(name = "crClock") Clock clock;

    JdbcTemplate jdbc;
    AdminUser admin;
    AdminUser clerk;

    @BeforeAll
    void adminAndClerk() {
        jdbc = new JdbcTemplate(dataSource);
        AdminPermission readCartRecovery = security.readAdminPermissionById(-8612L); // READ, which covers RecoveryReport (1.0/010)
        admin = user("cr-operations-admin", readCartRecovery);
        clerk = user("cr-operations-clerk", null);
    }

    @AfterEach
    void cleanUp() {
        AdminScreens.logOut();
        jdbc.update("DELETE FROM CR_INCIDENT WHERE INCIDENT_KEY LIKE 'screen-%'");
    }

    @Test
    void showsEveryCheckAndTheIncidentsWithTheirNotices(PluginContext broadleaf) throws Exception {
        logIn(admin);
        incidents.seen(new Problem("screen-backlog", "7 messages are due and <b>late</b>", null), "node-1", clock.instant());
        Model model = new ExtendedModelMap();

        String view = controller().operations(model);

        assertThat(view).isEqualTo("modules/defaultContainer");
        assertThat(model.asMap()).containsEntry("viewType", "cartRecovery/operations");
        assertThat(((HealthReport) model.asMap().get("health")).getChecks()).hasSize(5);
        String html = render(broadleaf, model);
        assertThat(html).contains("data-check=\"scheduler\"", "data-check=\"mailServer\"", "data-check=\"backlog\"",
                "data-check=\"capture\"", "data-check=\"database\"", "emailsSentLast24Hours")
                .contains("data-incident-key=\"screen-backlog\"", "7 messages are due and &lt;b&gt;late&lt;/b&gt;", "PENDING");
    }

    /**
     * Broadleaf's list-grid-table cells do not wrap; the scheduler check's details (every job with its settings) ran
     * some 17,000 px out of the admin's content panel at 1366 px. The page lets its cells wrap and scrolls its tables.
     */
    @Test
    void longDetailsWrapAndTheTablesScrollInsideThePanel(PluginContext broadleaf) throws Exception {
        logIn(admin);
        Model model = new ExtendedModelMap();
        controller().operations(model);

        String html = render(broadleaf, model);

        assertThat(html).contains("<div class=\"cr-scroll\"><table class=\"list-grid-table cr-checks\">",
                        "<div class=\"cr-scroll\"><table class=\"list-grid-table cr-incidents\">")
                .contains(".cart-recovery-operations .list-grid-table td { white-space: normal; overflow-wrap: break-word; }",
                        ".cart-recovery-operations .cr-scroll { max-width: 100%; overflow-x: auto;");
    }

    @Test
    void aUserWithoutThePermissionsIsRefused() {
        logIn(clerk);

        assertThatThrownBy(() -> controller().operations(new ExtendedModelMap())).hasMessageContaining("Security Check Failed");
    }

    @Test
    void incidentTimesAreInTheStoresZoneAndThePageNamesIt(PluginContext broadleaf) throws Exception {
        logIn(admin);
        java.time.Instant opened = clock.instant();
        incidents.seen(new Problem("screen-zone", "a backlog", null), "node-1", opened);
        Model model = new ExtendedModelMap();

        controller(new StoreTime("America/New_York")).operations(model);

        String html = render(broadleaf, model);
        String newYork = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                .format(opened.atZone(java.time.ZoneId.of("America/New_York")));
        assertThat(html).contains("Days and times are in America/New_York.", newYork);
    }

    private OperationsController controller() {
        return controller(new StoreTime("UTC"));
    }

    private OperationsController controller(StoreTime storeTime) {
        return AdminScreens.wired(new OperationsController(health, quality, incidents, clock, storeTime), securityVerifier, navigation);
    }

    private AdminUser user(String login, AdminPermission permission) {
        return AdminScreens.user(security, login, permission);
    }

    private static void logIn(AdminUser user) {
        AdminScreens.logIn(user);
    }

    private static String render(PluginContext broadleaf, Model model) {
        return AdminScreens.render(broadleaf, "cartRecovery/operations", model);
    }
}
