package io.github.cartrecovery.admin.screens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.TimeZone;
import java.util.stream.Collectors;

import javax.annotation.Resource;
import javax.sql.DataSource;

import org.broadleafcommerce.common.web.BroadleafRequestContext;
import org.broadleafcommerce.openadmin.dto.ClassMetadata;
import org.broadleafcommerce.openadmin.dto.DynamicResultSet;
import org.broadleafcommerce.openadmin.dto.Entity;
import org.broadleafcommerce.openadmin.dto.FilterAndSortCriteria;
import org.broadleafcommerce.openadmin.web.form.entity.EntityForm;
import org.broadleafcommerce.openadmin.web.form.entity.Field;
import org.broadleafcommerce.openadmin.dto.Property;
import org.broadleafcommerce.openadmin.server.domain.PersistencePackageRequest;
import org.broadleafcommerce.openadmin.server.security.domain.AdminMenu;
import org.broadleafcommerce.openadmin.server.security.domain.AdminModule;
import org.broadleafcommerce.openadmin.server.security.domain.AdminRole;
import org.broadleafcommerce.openadmin.server.security.domain.AdminRoleImpl;
import org.broadleafcommerce.openadmin.server.security.domain.AdminSection;
import org.broadleafcommerce.openadmin.server.security.domain.AdminUser;
import org.broadleafcommerce.openadmin.server.security.domain.AdminUserImpl;
import org.broadleafcommerce.openadmin.server.security.remote.EntityOperationType;
import org.broadleafcommerce.openadmin.server.security.remote.SecurityVerifier;
import org.broadleafcommerce.openadmin.server.security.service.AdminSecurityService;
import org.broadleafcommerce.openadmin.server.security.service.navigation.AdminNavigationService;
import org.broadleafcommerce.openadmin.server.service.AdminEntityService;
import org.broadleafcommerce.openadmin.web.controller.AdminAbstractControllerExtensionManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockServletContext;
import org.thymeleaf.spring3.SpringTemplateEngine;
import org.thymeleaf.spring3.messageresolver.SpringMessageResolver;
import org.thymeleaf.spring3.context.SpringWebContext;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.ui.ExtendedModelMap;
import org.springframework.ui.Model;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

import io.github.cartrecovery.formatting.StoreTime;
import io.github.cartrecovery.admin.carts.AbandonedCartLog;
import io.github.cartrecovery.admin.personaldata.PersonalDataPermission;
import io.github.cartrecovery.admin.web.AbandonedCartsController;
import io.github.cartrecovery.admin.web.CampaignEditorController;
import io.github.cartrecovery.admin.web.CampaignForm;
import io.github.cartrecovery.admin.web.RecoveryReportController;
import io.github.cartrecovery.admin.web.RecoveryPreviewController;
import io.github.cartrecovery.campaign.CampaignRepository;
import io.github.cartrecovery.delivery.RecoveryLinks;
import io.github.cartrecovery.delivery.RecoveryMessageBuilder;
import io.github.cartrecovery.delivery.RecoveryPreview;
import io.github.cartrecovery.delivery.SmtpMailer;
import io.github.cartrecovery.rendering.EmailRenderer;
import io.github.cartrecovery.rendering.RecoveryCartReader;
import io.github.cartrecovery.rendering.RenderedEmail;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.github.cartrecovery.admin.web.ReportChart;
import io.github.cartrecovery.reporting.RecoveryReport;
import io.github.cartrecovery.reporting.RecoveryReports;
import io.github.cartrecovery.reporting.ReportCsv;
import io.github.cartrecovery.reporting.SchedulerHealth;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;
import liquibase.integration.spring.SpringLiquibase;

/**
 * The "Cart Recovery" admin module in Broadleaf's own admin services: seed rows written after Broadleaf's
 * schema, menu and permissions for ROLE_ADMIN only, and every entity screen's metadata and rows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@BroadleafWithPlugin(patches = {"bl-cartrecovery-applicationContext.xml", "bl-cartrecovery-admin-applicationContext.xml"})
class AdminScreensIT {

    static final List<String> ENTITY_SCREENS = java.util.Arrays.asList(
            "io.github.cartrecovery.campaign.Campaign",
            "io.github.cartrecovery.capture.CapturedCart",
            "io.github.cartrecovery.delivery.PlannedMessage",
            "io.github.cartrecovery.delivery.MessageEvent",
            "io.github.cartrecovery.delivery.Suppression");

    @Resource(name = "crDataSource") DataSource dataSource;
    @Resource(name = "crAdminLiquibase") SpringLiquibase adminLiquibase;
    @Resource(name = "blAdminSecurityService") AdminSecurityService security;
    @Resource(name = "blAdminNavigationService") AdminNavigationService navigation;
    @Resource(name = "blAdminSecurityRemoteService") SecurityVerifier securityVerifier;
    @Resource(name = "blAdminEntityService") AdminEntityService entities;
    @Resource(name = "blTransactionManager") PlatformTransactionManager transactions;

    static final String SUPPRESSION = "io.github.cartrecovery.delivery.Suppression";

    JdbcTemplate jdbc;
    AdminUser admin;
    AdminUser clerk;

    @BeforeAll
    void adminAndClerk() throws Exception {
        jdbc = new JdbcTemplate(dataSource);
        // The harness database has Broadleaf's admin tables but none of its seed data: like an admin whose
        // roles are loaded after the plugin's first start. The grant waits for ROLE_ADMIN ...
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM BLC_ADMIN_ROLE_PERMISSION_XREF WHERE ADMIN_PERMISSION_ID IN (-8610, -8611)", Integer.class)).isZero();
        AdminRole role = roleAdmin();
        admin = user("cr-admin", role);
        clerk = user("cr-clerk", null);
        // ... and is applied by the next start.
        adminLiquibase.afterPropertiesSet();
    }

    @AfterEach
    void logOut() {
        SecurityContextHolder.clearContext();
        BroadleafRequestContext.setBroadleafRequestContext(null);
    }

    @Test
    void seedsTheModuleSectionsAndPermissionsOnce() throws Exception {
        adminLiquibase.afterPropertiesSet(); // a restart (or another node) writes nothing twice

        assertThat(jdbc.queryForObject("SELECT NAME FROM BLC_ADMIN_MODULE WHERE ADMIN_MODULE_ID = -8600", String.class)).isEqualTo("Cart Recovery");
        assertThat(jdbc.queryForList("SELECT URL FROM BLC_ADMIN_SECTION WHERE ADMIN_MODULE_ID = -8600 ORDER BY DISPLAY_ORDER", String.class))
                .containsExactly("/cart-recovery-report", "/cart-recovery-campaign", "/cart-recovery-campaign-editor", "/cart-recovery-experiments", "/cart-recovery-email-layout", "/cart-recovery-templates", "/cart-recovery-cart",
                        "/cart-recovery-message", "/cart-recovery-event", "/cart-recovery-suppression", "/cart-recovery-preview",
                        "/cart-recovery-privacy");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM BLC_ADMIN_ROLE_PERMISSION_XREF WHERE ADMIN_PERMISSION_ID IN (-8610, -8611)", Integer.class)).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM BLC_ADMIN_SEC_PERM_XREF WHERE ADMIN_SECTION_ID BETWEEN -8609 AND -8601", Integer.class)).isEqualTo(12);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM BLC_ADMIN_SEC_PERM_XREF WHERE ADMIN_SECTION_ID IN (-8700, -8701)", Integer.class)).isEqualTo(4);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM BLC_ADMIN_SEC_PERM_XREF WHERE ADMIN_SECTION_ID = -8960", Integer.class)).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM BLC_ADMIN_SEC_PERM_XREF WHERE ADMIN_SECTION_ID = -8990", Integer.class)).isEqualTo(2);
    }

    @Test
    void theMenuShowsLabelsNotKeys(PluginContext broadleaf) {
        // Broadleaf 3.1's leftNav.html and breadcrumb.html render #{MODULE_KEY} and #{SECTION_KEY} as message codes.
        org.springframework.context.MessageSource messages = broadleaf.bean("messageSource", org.springframework.context.MessageSource.class);
        List<String> keys = jdbc.queryForList("SELECT MODULE_KEY FROM BLC_ADMIN_MODULE WHERE ADMIN_MODULE_ID = -8600", String.class);
        keys.addAll(jdbc.queryForList("SELECT SECTION_KEY FROM BLC_ADMIN_SECTION WHERE ADMIN_MODULE_ID = -8600 ORDER BY DISPLAY_ORDER", String.class));

        List<String> labels = keys.stream().map(key -> messages.getMessage(key, null, key, java.util.Locale.ENGLISH)).collect(Collectors.toList());

        assertThat(labels).containsExactly("Cart Recovery", "Recovery Report", "Recovery Campaigns", "Campaign Editor", "Experiments", "Email Layout", "Email Templates", "Abandoned Carts",
                "Recovery Messages", "Message Events", "Email Suppression", "Preview and Test Send", "Privacy Requests");
    }

    @Test
    void theAdminRoleSeesTheCartRecoveryMenu() {
        List<String> sections = new TransactionTemplate(transactions).execute(tx -> {
            AdminModule module = cartRecoveryModule(navigation.buildMenu(security.readAdminUserByUserName("cr-admin")));
            return module == null ? null : module.getSections().stream().map(AdminSection::getName).collect(Collectors.toList());
        });

        assertThat(sections).containsExactly("Recovery Report", "Recovery Campaigns", "Campaign Editor", "Experiments", "Email Layout", "Email Templates", "Abandoned Carts", "Recovery Messages",
                "Message Events", "Email Suppression", "Preview and Test Send", "Privacy Requests");
    }

    @Test
    void aUserWithoutThePermissionsSeesNoCartRecoveryMenu() {
        AdminModule module = new TransactionTemplate(transactions).execute(tx -> cartRecoveryModule(navigation.buildMenu(security.readAdminUserByUserName("cr-clerk"))));

        assertThat(module).isNull();
    }

    @Test
    void aUserWithoutThePermissionsIsRefusedEveryScreen() {
        logIn(clerk);

        for (String ceiling : ENTITY_SCREENS) {
            assertThatThrownBy(() -> securityVerifier.securityCheck(ceiling, EntityOperationType.FETCH))
                    .as(ceiling).hasMessageContaining("Security Check Failed");
        }
        assertThatThrownBy(() -> securityVerifier.securityCheck("io.github.cartrecovery.reporting.RecoveryReport", EntityOperationType.FETCH))
                .hasMessageContaining("Security Check Failed");
    }

    @Test
    void theAdminOpensEveryEntityScreen() throws Exception {
        logIn(admin);

        for (String ceiling : ENTITY_SCREENS) {
            securityVerifier.securityCheck(ceiling, EntityOperationType.FETCH);
            securityVerifier.securityCheck(ceiling, EntityOperationType.UPDATE);
            PersistencePackageRequest request = PersistencePackageRequest.standard().withCeilingEntityClassname(ceiling);
            ClassMetadata metadata = entities.getClassMetadata(request).getDynamicResultSet().getClassMetaData();
            assertThat(metadata.getProperties()).as(ceiling).extracting(Property::getName).isNotEmpty();
            DynamicResultSet rows = entities.getRecords(request).getDynamicResultSet();
            assertThat(rows.getRecords()).as(ceiling).isNotNull();
        }
    }

    @Test
    void theAdminAddsSearchesAndRemovesASuppressedAddress() throws Exception {
        logIn(admin);
        EntityForm form = new EntityForm();
        form.setCeilingEntityClassname(SUPPRESSION);
        form.setEntityType(SUPPRESSION);
        form.addField(field("email", "blocked@example.com"));
        form.addField(field("reason", "MANUAL"));
        form.addField(field("source", "admin"));

        Entity added = entities.addEntity(form, null, new java.util.ArrayList<>()).getEntity();

        assertThat(added.isValidationFailure()).as(String.valueOf(added.getPropertyValidationErrors()) + added.getGlobalValidationErrors()).isFalse();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM CR_SUPPRESSION WHERE EMAIL = 'blocked@example.com' AND CREATED_AT IS NOT NULL", Integer.class)).isEqualTo(1);
        PersistencePackageRequest search = PersistencePackageRequest.standard().withCeilingEntityClassname(SUPPRESSION)
                .withFilterAndSortCriteria(new FilterAndSortCriteria[] {new FilterAndSortCriteria("email", "blocked@")});
        Entity[] found = entities.getRecords(search).getDynamicResultSet().getRecords();
        // found by its address, shown masked: ROLE_ADMIN does not hold PERMISSION_CARTRECOVERY_PERSONAL_DATA by default
        assertThat(found).extracting(e -> e.findProperty("email").getValue()).containsExactly("b***@example.com");

        EntityForm remove = new EntityForm();
        remove.setCeilingEntityClassname(SUPPRESSION);
        remove.setEntityType(SUPPRESSION);
        remove.setId(found[0].findProperty("id").getValue());
        entities.removeEntity(remove, null, new java.util.ArrayList<>());

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM CR_SUPPRESSION WHERE EMAIL = 'blocked@example.com'", Integer.class)).isZero();
    }

    @Test
    void aUserWithoutThePermissionsCannotAddASuppressedAddress() {
        logIn(clerk);
        EntityForm form = new EntityForm();
        form.setCeilingEntityClassname(SUPPRESSION);
        form.setEntityType(SUPPRESSION);
        form.addField(field("email", "sneaky@example.com"));
        form.addField(field("reason", "MANUAL"));

        assertThatThrownBy(() -> entities.addEntity(form, null, new java.util.ArrayList<>())).hasMessageContaining("Security Check Failed");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM CR_SUPPRESSION WHERE EMAIL = 'sneaky@example.com'", Integer.class)).isZero();
    }

    private static Field field(String name, String value) {
        Field field = new Field();
        field.setName(name);
        field.setValue(value);
        return field;
    }

    @Test
    void theCampaignScreenShowsItsFieldsAndTheSeededDefaultCampaign() throws Exception {
        logIn(admin);
        PersistencePackageRequest request = PersistencePackageRequest.standard().withCeilingEntityClassname("io.github.cartrecovery.campaign.Campaign");

        ClassMetadata metadata = entities.getClassMetadata(request).getDynamicResultSet().getClassMetaData();
        assertThat(metadata.getProperties()).extracting(Property::getName).contains("name", "status", "priority", "steps", "conditions");
        DynamicResultSet rows = entities.getRecords(request).getDynamicResultSet();
        assertThat(rows.getRecords()).extracting(e -> e.findProperty("id").getValue()).contains("-1");
    }

    @Test
    void theCartListDoesNotShowShopperEmails() throws Exception {
        logIn(admin);
        PersistencePackageRequest request = PersistencePackageRequest.standard().withCeilingEntityClassname("io.github.cartrecovery.capture.CapturedCart");

        ClassMetadata metadata = entities.getClassMetadata(request).getDynamicResultSet().getClassMetaData();
        Property email = metadata.getProperties()[indexOf(metadata, "email")];
        assertThat(((org.broadleafcommerce.openadmin.dto.BasicFieldMetadata) email.getMetadata()).getFieldType()).isEqualTo(org.broadleafcommerce.common.presentation.client.SupportedFieldType.HIDDEN);
    }

    @Test
    void theAdminOpensTheReportPageWithKpisAndSchedulerHealth(PluginContext broadleaf) throws Exception {
        logIn(admin);
        Model model = new ExtendedModelMap();

        String view = reportController(broadleaf).report(model, "2026-01-01", "2026-01-05", null);

        assertThat(view).isEqualTo("modules/defaultContainer");
        assertThat(model.asMap()).containsEntry("viewType", "cartRecovery/report").containsKeys("report", "chart", "health");
        RecoveryReport report = (RecoveryReport) model.asMap().get("report");
        assertThat(report.getDays()).hasSize(5);
        assertThat(((ReportChart) model.asMap().get("chart")).getJson()).startsWith("{\"days\":[\"2026-01-01\"");
        assertThat(((AdminSection) model.asMap().get("currentAdminSection")).getName()).isEqualTo("Recovery Report");

        String html = render(broadleaf, "cartRecovery/report", model);
        assertThat(html).contains("Abandoned carts").contains("data-chart=\"{&quot;days&quot;:[&quot;2026-01-01&quot;")
                .contains("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js").contains("/webjars/uplot/1.6.30/dist/uPlot.min.css").contains("cart-recovery-report/csv?from=2026-01-01")
                // rates as percentages with one decimal, "-" when nothing was sent
                .containsPattern("Open rate</th><td>(-|\\d+\\.\\d %)</td>")
                .containsPattern("Recovery rate</th><td>(-|\\d+\\.\\d %)</td>")
                // no read replica configured: the numbers come from the primary and nothing is said about it
                .doesNotContain("cr-read-source")
                // the campaign filter is a picker of the campaigns by name, not an id field
                .containsPattern("<select name=\"campaignId\" class=\"cr-campaign-picker\">\\s*<option value=\"\">\\(all campaigns\\)</option>")
                .contains("<option value=\"-1\">Default recovery</option>")
                // presets from the store's today
                .containsPattern("<a class=\"cr-preset\" data-preset=\"cartRecovery.report.preset.last7\" href=\"[^\"]*cart-recovery-report\\?from=\\d{4}-\\d\\d-\\d\\d&amp;to=\\d{4}-\\d\\d-\\d\\d&amp;campaignId=&amp;triggerType=\">Last 7 days</a>");
        Model chosen = new ExtendedModelMap();
        reportController(broadleaf).report(chosen, "2026-01-01", "2026-01-05", "-1");
        assertThat(render(broadleaf, "cartRecovery/report", chosen)).contains("<option selected=\"selected\" value=\"-1\">Default recovery</option>");
    }

    @Test
    void theReportsDaysAreTheStoresDaysAndThePageNamesItsZone(PluginContext broadleaf) throws Exception {
        logIn(admin);
        java.time.Instant was = broadleaf.clock().instant();
        // 03:00 UTC on 1 March is still 28 February in New York: the report ends on the store's today
        broadleaf.clock().set(java.time.Instant.parse("2031-03-01T03:00:00Z"));
        try {
            Model model = new ExtendedModelMap();

            reportController(broadleaf, "America/New_York").report(model, null, null, null);

            RecoveryReportController.ReportRequest filter = (RecoveryReportController.ReportRequest) model.asMap().get("filter");
            assertThat(filter.getTo()).isEqualTo(java.time.LocalDate.parse("2031-02-28"));
            assertThat(render(broadleaf, "cartRecovery/report", model)).contains("Days and times are in America/New_York.");
        } finally {
            broadleaf.clock().set(was);
        }
    }

    @Test
    void aBadDateIsShownOnThePageNamingTheField(PluginContext broadleaf) throws Exception {
        logIn(admin);
        Model model = new ExtendedModelMap();

        reportController(broadleaf).report(model, "2026-01-10", "2026-01-01", null);

        assertThat(((RecoveryReportController.ReportRequest) model.asMap().get("filter")).getError()).startsWith("from:");
        assertThat(model.asMap()).doesNotContainKey("report");
    }

    @Test
    void theAdminExportsTheReportAsCsv(PluginContext broadleaf) throws Exception {
        logIn(admin);
        MockHttpServletResponse response = new MockHttpServletResponse();

        reportController(broadleaf).csv(response, "2026-01-01", "2026-01-31", null);

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentType()).startsWith("text/csv");
        assertThat(response.getHeader("Content-Disposition")).contains("cart-recovery-report-2026-01-01-2026-01-31.csv");
        assertThat(response.getHeader(RecoveryReportController.READ_FROM_HEADER)).isEqualTo("primary");
        assertThat(response.getContentAsString()).startsWith(String.join(",", ReportCsv.HEADER));
    }

    @Test
    void aUserWithoutThePermissionsIsRefusedTheReportAndItsCsv(PluginContext broadleaf) {
        logIn(clerk);
        RecoveryReportController controller = reportController(broadleaf);

        assertThatThrownBy(() -> controller.report(new ExtendedModelMap(), null, null, null)).hasMessageContaining("Security Check Failed");
        MockHttpServletResponse response = new MockHttpServletResponse();
        assertThatThrownBy(() -> controller.csv(response, null, null, null)).hasMessageContaining("Security Check Failed");
        assertThat(response.getContentLength()).isZero();
    }

    @Test
    void theCartListShowsMaskedEmailsValuesAndTheNextPlannedMessage(PluginContext broadleaf) throws Exception {
        logIn(admin);
        try {
            cart(91_000_001L, "ABANDONED", "jane.doe@example.com", "2031-03-02T09:00:00Z");
            cart(91_000_002L, "IN_RECOVERY", "bob@example.org", "2031-03-03T12:30:00Z");
            cart(91_000_003L, "PURCHASED", "old@example.com", "2031-02-20T08:00:00Z");
            cart(91_000_005L, "EXCLUDED", "robot@example.com", "2031-03-02T08:00:00Z");
            jdbc.update("UPDATE CR_CAPTURED_CART SET EXCLUSION_REASON = 'bot user agent' WHERE ORDER_ID = 91000005");
            cart(91_000_006L, "IN_RECOVERY", "Gone@Example.com", "2031-03-02T07:00:00Z");
            jdbc.update("INSERT INTO CR_SUPPRESSION (EMAIL, REASON, SOURCE, CREATED_AT) VALUES ('gone@example.com', 'UNSUBSCRIBED', 'test', ?)",
                    java.sql.Timestamp.from(java.time.Instant.parse("2031-03-02T07:30:00Z")));
            long sent = message(91_000_002L, -1L, 1, "SENT", "2031-03-03T13:30:00Z");
            message(91_000_002L, -2L, 2, "PLANNED", "2031-03-04T12:30:00Z");
            event(sent, "SENT", "2031-03-03T13:30:05Z", "<script>x</script>");
            event(sent, "OPENED", "2031-03-03T14:00:00Z", null);
            Model model = new ExtendedModelMap();

            String view = cartsController().list(model, null, "2031-03-01", "2031-03-31", null);

            assertThat(view).isEqualTo("modules/defaultContainer");
            assertThat(model.asMap()).containsEntry("viewType", "cartRecovery/carts");
            @SuppressWarnings("unchecked")
            List<AbandonedCartLog.CartRow> rows = (List<AbandonedCartLog.CartRow>) model.asMap().get("carts");
            assertThat(rows).extracting(AbandonedCartLog.CartRow::getOrderId).containsExactly(91_000_002L, 91_000_001L, 91_000_005L, 91_000_006L);
            assertThat(rows).extracting(AbandonedCartLog.CartRow::getEmail).startsWith("b***@example.org", "j***@example.com");
            assertThat(rows.get(0).getNextMessageDue()).isEqualTo(java.util.Date.from(java.time.Instant.parse("2031-03-04T12:30:00Z")));
            assertThat(rows.get(1).getNextMessageDue()).isNull();
            assertThat(rows).extracting(AbandonedCartLog.CartRow::getDisplayStatus).containsExactly("IN_RECOVERY", "ABANDONED", "EXCLUDED", "UNSUBSCRIBED");
            String html = render(broadleaf, "cartRecovery/carts", model);
            String flat = html.replaceAll("\\s+", " ");
            // an excluded cart says why; an unsubscribed shopper's cart says so instead of "in recovery"
            assertThat(flat).contains("<span>EXCLUDED</span> <span class=\"cr-cart-reason\">Excluded: bot user agent</span>")
                    .contains("data-status=\"IN_RECOVERY\"> <span class=\"cr-cart-suppressed\">Unsubscribed: no more emails</span> </td>")
                    .contains("<span>IN_RECOVERY</span>");
            // rows Broadleaf's listGrid.js lets a click through to the cart link, in a table it does not resize as its own
            assertThat(flat).contains("<tr class=\"cr-cart clickable\" data-hiddenfields=").doesNotContain("data-listgridtype");
            assertThat(flat.split("data-order-id=\"91000006\"")[1].split("</tr>")[0]).doesNotContain("<span>IN_RECOVERY</span>");
            assertThat(html).contains("b***@example.org").contains("$52.50").contains("2031-03-04 12:30")
                    .contains("/admin/cart-recovery-cart/91000002").doesNotContain("bob@example.org").doesNotContain("jane.doe");

            Model abandoned = new ExtendedModelMap();
            cartsController().list(abandoned, "ABANDONED", "2031-03-01", "2031-03-31", null);
            assertThat((List<?>) abandoned.asMap().get("carts")).extracting("orderId").containsExactly(91_000_001L);
            Model february = new ExtendedModelMap();
            cartsController().list(february, null, "2031-02-01", "2031-02-28", null);
            assertThat((List<?>) february.asMap().get("carts")).extracting("orderId").containsExactly(91_000_003L);
        } finally {
            deleteCarts();
        }
    }

    @Test
    void theCartScreensShowTimesAndFilterDaysInTheStoresTimeZoneAndNameIt(PluginContext broadleaf) throws Exception {
        logIn(admin);
        try {
            // 2031-03-01 03:00 UTC is still February 28 in New York (UTC-5 before 9 March 2031)
            cart(91_000_004L, "ABANDONED", "late@example.com", "2031-03-01T03:00:00Z");
            long sent = message(91_000_004L, -1L, 1, "SENT", "2031-03-01T04:00:00Z");
            event(sent, "SENT", "2031-03-01T04:00:05Z", null);
            Model february = new ExtendedModelMap();

            cartsController("America/New_York").list(february, null, "2031-02-28", "2031-02-28", null);

            assertThat((List<?>) february.asMap().get("carts")).extracting("orderId").containsExactly(91_000_004L);
            assertThat(render(broadleaf, "cartRecovery/carts", february)).contains("2031-02-28 22:00")
                    .doesNotContain("2031-03-01 03:00").contains("Days and times are in America/New_York.");
            Model march = new ExtendedModelMap();
            cartsController("America/New_York").list(march, null, "2031-03-01", "2031-03-01", null);
            assertThat((List<?>) march.asMap().get("carts")).extracting("orderId").doesNotContain(91_000_004L);

            Model detail = new ExtendedModelMap();
            cartsController("America/New_York").detail(detail, new MockHttpServletResponse(), "91000004");
            assertThat(render(broadleaf, "cartRecovery/cart", detail)).contains("2031-02-28 22:00").contains("2031-02-28 23:00:05")
                    .contains("Days and times are in America/New_York.");
        } finally {
            deleteCarts();
        }
    }

    @Test
    void aCartsPageShowsItsMessagesAndTheirEvents(PluginContext broadleaf) throws Exception {
        logIn(admin);
        try {
            cart(91_000_002L, "IN_RECOVERY", "bob@example.org", "2031-03-03T12:30:00Z");
            long sent = message(91_000_002L, -1L, 1, "SENT", "2031-03-03T13:30:00Z");
            message(91_000_002L, -2L, 2, "PLANNED", "2031-03-04T12:30:00Z");
            event(sent, "SENT", "2031-03-03T13:30:05Z", "<script>x</script>");
            event(sent, "OPENED", "2031-03-03T14:00:00Z", null);
            jdbc.update("UPDATE CR_CAPTURED_CART SET PHONE = '+447400123456', SMS_CONSENT = 'GRANTED' WHERE ORDER_ID = 91000002");
            Model model = new ExtendedModelMap();

            cartsController().detail(model, new MockHttpServletResponse(), "91000002");

            AbandonedCartLog.CartDetail detail = (AbandonedCartLog.CartDetail) model.asMap().get("detail");
            assertThat(detail.getCart().getEmail()).isEqualTo("b***@example.org");
            assertThat(detail.getCart().getPhone()).isEqualTo("+44***56");
            assertThat(detail.getCart().getSmsConsent()).isEqualTo("GRANTED");
            assertThat(detail.getMessages()).extracting(AbandonedCartLog.MessageRow::getStatus).containsExactly("SENT", "PLANNED");
            assertThat(detail.getMessages().get(0).getEvents()).extracting(AbandonedCartLog.EventRow::getType).containsExactly("SENT", "OPENED");
            assertThat(detail.getMessages().get(1).getEvents()).isEmpty();
            String html = render(broadleaf, "cartRecovery/cart", model);
            assertThat(html).contains("Cart 91000002").contains("&lt;script&gt;x&lt;/script&gt;").doesNotContain("<script>x")
                    .contains("OPENED").doesNotContain("bob@example.org").contains("+44***56").doesNotContain("7400123456");

            Model unknown = new ExtendedModelMap();
            MockHttpServletResponse notFound = new MockHttpServletResponse();
            cartsController().detail(unknown, notFound, "42x");
            assertThat(notFound.getStatus()).isEqualTo(404);
            assertThat(render(broadleaf, "cartRecovery/cart", unknown)).contains("No captured cart 42x.");
        } finally {
            deleteCarts();
        }
    }

    @Test
    void aBadCartFilterIsAnErrorNamingTheField() throws Exception {
        logIn(admin);
        Model model = new ExtendedModelMap();

        cartsController().list(model, "LOST", "2031-13-01", null, "0");

        String error = ((AbandonedCartsController.CartFilter) model.asMap().get("filter")).getError();
        assertThat(error).contains("status: not a cart status").contains("from: expected a date").contains("page: must be between");
        assertThat(model.asMap()).doesNotContainKey("carts");
    }

    @Test
    void aUserWithoutThePermissionsIsRefusedTheCartScreens() {
        logIn(clerk);

        assertThatThrownBy(() -> cartsController().list(new ExtendedModelMap(), null, null, null, null)).hasMessageContaining("Security Check Failed");
        assertThatThrownBy(() -> cartsController().detail(new ExtendedModelMap(), new MockHttpServletResponse(), "1"))
                .hasMessageContaining("Security Check Failed");
    }

    private AbandonedCartsController cartsController() {
        return cartsController("UTC");
    }

    /** The carts screens of a store whose time zone ({@code cartrecovery.campaigns.store-time-zone}) is {@code zone}. */
    private AbandonedCartsController cartsController(String zone) {
        AbandonedCartsController controller = new AbandonedCartsController(new AbandonedCartLog(dataSource),
                new PersonalDataPermission(securityVerifier, security), new StoreTime(zone));
        wireBroadleaf(controller);
        return controller;
    }

    private void cart(long orderId, String status, String email, String lastActivity) {
        java.sql.Timestamp at = java.sql.Timestamp.from(java.time.Instant.parse(lastActivity));
        jdbc.update("INSERT INTO CR_CAPTURED_CART (ORDER_ID, EMAIL, MARKETING_CONSENT, CURRENCY_CODE, ITEM_COUNT, SUBTOTAL, TOTAL,"
                + " STATUS, FIRST_SEEN, LAST_ACTIVITY, STATUS_CHANGED_AT, ORIGIN) VALUES (?, ?, 'UNKNOWN', 'USD', 2, 50, 52.5, ?, ?, ?, ?, 'STOREFRONT')",
                orderId, email, status, at, at, at);
    }

    private long message(long orderId, long stepId, int stepNo, String status, String dueAt) {
        java.sql.Timestamp due = java.sql.Timestamp.from(java.time.Instant.parse(dueAt));
        jdbc.update("INSERT INTO CR_PLANNED_MESSAGE (ORDER_ID, CAMPAIGN_ID, STEP_ID, STEP_NO, EMAIL, STATUS, DUE_AT, ATTEMPTS,"
                + " CREATED_AT, UPDATED_AT) VALUES (?, -1, ?, ?, 'x@example.com', ?, ?, 0, ?, ?)", orderId, stepId, stepNo, status, due, due, due);
        return jdbc.queryForObject("SELECT ID FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? AND STEP_ID = ?", Long.class, orderId, stepId);
    }

    private void event(long messageId, String type, String at, String detail) {
        jdbc.update("INSERT INTO CR_MESSAGE_EVENT (PLANNED_MESSAGE_ID, EVENT_TYPE, OCCURRED_AT, DETAIL, REPORTED) VALUES (?, ?, ?, ?, 1)",
                messageId, type, java.sql.Timestamp.from(java.time.Instant.parse(at)), detail);
    }

    private void deleteCarts() {
        jdbc.update("DELETE FROM CR_MESSAGE_EVENT WHERE PLANNED_MESSAGE_ID IN (SELECT ID FROM CR_PLANNED_MESSAGE WHERE ORDER_ID BETWEEN 91000000 AND 91000099)");
        jdbc.update("DELETE FROM CR_PLANNED_MESSAGE WHERE ORDER_ID BETWEEN 91000000 AND 91000099");
        jdbc.update("DELETE FROM CR_CAPTURED_CART WHERE ORDER_ID BETWEEN 91000000 AND 91000099");
        jdbc.update("DELETE FROM CR_SUPPRESSION WHERE EMAIL = 'gone@example.com'");
    }

    /**
     * The controller as the admin's servlet context wires it: Broadleaf's services from the root context (the
     * controller extension manager lives in the servlet context, so a fresh one with no handlers).
     */
    private RecoveryReportController reportController(PluginContext broadleaf) {
        return reportController(broadleaf, "UTC");
    }

    private RecoveryReportController reportController(PluginContext broadleaf, String zone) {
        RecoveryReportController controller = new RecoveryReportController(
                broadleaf.bean("crRecoveryReports", RecoveryReports.class),
                broadleaf.bean("crSchedulerHealth", SchedulerHealth.class),
                broadleaf.bean("crClock", java.time.Clock.class), new StoreTime(zone),
                broadleaf.bean("crCampaignRepository", io.github.cartrecovery.campaign.CampaignRepository.class));
        ReflectionTestUtils.setField(controller, "adminRemoteSecurityService", securityVerifier);
        ReflectionTestUtils.setField(controller, "adminNavigationService", navigation);
        ReflectionTestUtils.setField(controller, "extensionManager", new AdminAbstractControllerExtensionManager());
        return controller;
    }

    @Test
    void theAdminCreatesACampaignWithTwoSteps(PluginContext broadleaf) throws Exception {
        logIn(admin);
        MockHttpServletRequest post = campaignPost("Winback <b>VIP</b>", "gentle-reminder", "last-call");
        Model model = new ExtendedModelMap();

        campaignEditor(broadleaf).save(model, post);

        CampaignForm form = (CampaignForm) model.asMap().get("form");
        assertThat(form.getErrors()).isEmpty();
        assertThat(model.asMap()).containsEntry("message", "saved").containsEntry("viewType", "cartRecovery/campaignEditor");
        Long id = Long.valueOf(form.value("id"));
        assertThat(jdbc.queryForList("SELECT TEMPLATE FROM CR_CAMPAIGN_STEP WHERE CAMPAIGN_ID = ? ORDER BY STEP_NO", String.class, id))
                .containsExactly("gentle-reminder", "last-call");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM CR_CAMPAIGN_CONDITION WHERE CAMPAIGN_ID = ?", Integer.class, id)).isEqualTo(1);
        assertThat(form.value("name")).isEqualTo("Winback <b>VIP</b>");
        String html = render(broadleaf, "cartRecovery/campaignEditor", model);
        assertThat(html).contains("value=\"Winback &lt;b&gt;VIP&lt;/b&gt;\"").doesNotContain("<b>VIP</b>")
                .contains("value=\"Noch unentschlossen?\"");
        assertThat(model.asMap().get("campaigns")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry(id, "Winback <b>VIP</b>").containsEntry(-1L, jdbc.queryForObject("SELECT NAME FROM CR_CAMPAIGN WHERE ID = -1", String.class));
        assertThat(html).contains("<option selected=\"selected\" value=\"" + id + "\">Winback &lt;b&gt;VIP&lt;/b&gt;</option>");
    }

    @Test
    void aBadStepShowsTheValidatorsErrorOnItsFieldAndWritesNothing(PluginContext broadleaf) throws Exception {
        logIn(admin);
        int before = jdbc.queryForObject("SELECT COUNT(*) FROM CR_CAMPAIGN", Integer.class);
        Model model = new ExtendedModelMap();

        campaignEditor(broadleaf).save(model, campaignPost("Broken", "gentle-reminder", "no-such-template"));

        CampaignForm form = (CampaignForm) model.asMap().get("form");
        assertThat(form.error("steps[1].template")).contains("unknown template 'no-such-template'");
        assertThat(form.error("steps[0].template")).isNull();
        assertThat(form.value("steps[1].template")).isEqualTo("no-such-template"); // what was typed is shown again
        assertThat(render(broadleaf, "cartRecovery/campaignEditor", model))
                .contains("<li class=\"cr-field-error error\">Step 2, template: unknown template &#39;no-such-template&#39;")
                .contains("<h2>Recovery Campaign</h2>");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM CR_CAMPAIGN", Integer.class)).isEqualTo(before);
    }

    @Test
    void aNonNumericDelayIsAnErrorOnItsField(PluginContext broadleaf) throws Exception {
        logIn(admin);
        MockHttpServletRequest post = campaignPost("Typo", "gentle-reminder", "last-call");
        post.setParameter("steps[0].delayMinutes", "soon");
        Model model = new ExtendedModelMap();

        campaignEditor(broadleaf).save(model, post);

        assertThat(((CampaignForm) model.asMap().get("form")).error("steps[0].delayMinutes")).isEqualTo("steps[1].delayMinutes: not a whole number");
    }

    @Test
    void theAdminEditsTheDefaultCampaignAndDisablesIt(PluginContext broadleaf) throws Exception {
        logIn(admin);
        Model model = new ExtendedModelMap();
        campaignEditor(broadleaf).edit(model, -1L);
        CampaignForm shown = (CampaignForm) model.asMap().get("form");
        assertThat(shown.value("steps[0].template")).isEqualTo("gentle-reminder");

        MockHttpServletRequest post = new MockHttpServletRequest("POST", "/cart-recovery-campaign-editor");
        for (java.util.Map.Entry<String, String> value : shown.getValues().entrySet()) {
            post.setParameter(value.getKey(), value.getValue());
        }
        post.setParameter("status", "DISABLED");
        post.setParameter("stepRows", String.valueOf(shown.getStepRows()));
        post.setParameter("subjectRows", String.valueOf(shown.getSubjectRows()));
        post.setParameter("conditionRows", "0");
        try {
            campaignEditor(broadleaf).save(model, post);

            assertThat(((CampaignForm) model.asMap().get("form")).getErrors()).isEmpty();
            assertThat(jdbc.queryForObject("SELECT STATUS FROM CR_CAMPAIGN WHERE ID = -1", String.class)).isEqualTo("DISABLED");
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM CR_CAMPAIGN_STEP WHERE CAMPAIGN_ID = -1", Integer.class)).isEqualTo(3);
        } finally {
            jdbc.update("UPDATE CR_CAMPAIGN SET STATUS = 'ENABLED' WHERE ID = -1");
        }
    }

    @Test
    void aUserWithoutThePermissionsCannotOpenOrSaveCampaigns(PluginContext broadleaf) {
        logIn(clerk);
        int before = jdbc.queryForObject("SELECT COUNT(*) FROM CR_CAMPAIGN", Integer.class);

        assertThatThrownBy(() -> campaignEditor(broadleaf).edit(new ExtendedModelMap(), -1L)).hasMessageContaining("Security Check Failed");
        assertThatThrownBy(() -> campaignEditor(broadleaf).save(new ExtendedModelMap(), campaignPost("Sneaky", "gentle-reminder", "last-call")))
                .hasMessageContaining("Security Check Failed");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM CR_CAMPAIGN", Integer.class)).isEqualTo(before);
    }

    @Test
    void aUserWithoutThePermissionIsRefusedBeforeAnyCampaignIsRead(PluginContext broadleaf) throws Exception {
        logIn(clerk);
        CampaignRepository campaigns = org.mockito.Mockito.mock(CampaignRepository.class);
        CampaignEditorController controller = new CampaignEditorController(campaigns, broadleaf.bean("crClock", java.time.Clock.class));
        wireBroadleaf(controller);
        org.springframework.test.web.servlet.MockMvc mvc =
                org.springframework.test.web.servlet.setup.MockMvcBuilders.standaloneSetup(controller).build();

        for (String id : new String[] {"not-a-number", "-1", ""}) {
            org.springframework.test.web.servlet.MvcResult post = mvc.perform(
                    org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post("/cart-recovery-campaign-editor")
                            .param("id", id).param("name", "Sneaky")).andReturn();
            assertThat(post.getResponse().getStatus()).as("POST id=" + id).isEqualTo(403);
            assertThat(post.getResponse().getContentAsString()).isEmpty();
        }
        org.springframework.test.web.servlet.MvcResult get = mvc.perform(
                org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get("/cart-recovery-campaign-editor")
                        .param("id", "-1")).andReturn();
        assertThat(get.getResponse().getStatus()).isEqualTo(403);

        org.mockito.Mockito.verifyNoInteractions(campaigns);
    }

    @Test
    void theAdminPreviewsAStepOnASampleCartAndSendsATest(PluginContext broadleaf) throws Exception {
        logIn(admin);
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        GreenMail smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try {
            RecoveryPreviewController controller = previewController(broadleaf, new SmtpMailer("127.0.0.1", port, "NONE", "", "", 2000, 5000));
            Model model = new ExtendedModelMap();

            controller.show(model, "-2", null, "en_US", "USD");

            assertThat(((RenderedEmail) model.asMap().get("email")).getSubject()).isEqualTo("Your cart is still waiting for you");
            assertThat(((RenderedEmail) model.asMap().get("email")).getHtml()).contains("Sample product");
            assertThat(model.asMap()).containsEntry("viewType", "cartRecovery/preview");
            assertThat(render(broadleaf, "cartRecovery/preview", model))
                    .contains("Your cart is still waiting for you").contains("sandbox=\"\"").contains("srcdoc=\"&lt;")
                    .as("the text version's long links wrap inside the admin's panel").contains("<pre class=\"cr-preview-text\" style=\"white-space: pre-wrap; overflow-wrap: anywhere;");

            Model sent = new ExtendedModelMap();
            controller.send(sent, "-2", null, "en_US", "USD", "marketing@example.com");

            assertThat(sent.asMap()).containsEntry("sent", "marketing@example.com").doesNotContainKey("sendError");
            assertThat(smtp.getReceivedMessages()).extracting(m -> m.getSubject()).containsExactly("[TEST] Your cart is still waiting for you");
        } finally {
            smtp.stop();
        }
    }

    @Test
    void anSmsStepPreviewsItsTextAndSegmentCountAndSendsNoTestEmail(PluginContext broadleaf) throws Exception {
        logIn(admin);
        org.springframework.jdbc.core.JdbcTemplate jdbc = new org.springframework.jdbc.core.JdbcTemplate(dataSource);
        java.sql.Timestamp now = new java.sql.Timestamp(broadleaf.clock().millis());
        jdbc.update("INSERT INTO CR_CAMPAIGN (NAME, STATUS, PRIORITY, CREATED_AT, UPDATED_AT) VALUES (?, 'DISABLED', 0, ?, ?)",
                "SMS preview " + System.nanoTime(), now, now);
        long campaign = jdbc.queryForObject("SELECT MAX(ID) FROM CR_CAMPAIGN", Long.class);
        jdbc.update("INSERT INTO CR_CAMPAIGN_STEP (CAMPAIGN_ID, STEP_NO, DELAY_MINUTES, CHANNEL, TEMPLATE, COUPON_POLICY) "
                + "VALUES (?, 1, 60, 'SMS', 'cart-reminder', 'NONE')", campaign);
        String step = String.valueOf(jdbc.queryForObject("SELECT ID FROM CR_CAMPAIGN_STEP WHERE CAMPAIGN_ID = ?", Long.class, campaign));
        RecoveryPreviewController controller = previewController(broadleaf, new SmtpMailer("127.0.0.1", 1, "NONE", "", "", 500, 500));
        Model model = new ExtendedModelMap();

        controller.show(model, step, null, "de_DE", "EUR");

        io.github.cartrecovery.sms.SmsText text = (io.github.cartrecovery.sms.SmsText) model.asMap().get("sms");
        assertThat(text.getBody()).startsWith("Our Shop: Hallo Alex, Ihr Warenkorb mit 3 Artikel(n)").contains("/cart-recovery/s/");
        assertThat(model.asMap()).doesNotContainKey("email").containsEntry("smsMaxSegments", 2);
        assertThat(render(broadleaf, "cartRecovery/preview", model)).contains("Hallo Alex")
                .contains(text.getSegments() + " segment(s) of at most 2 (GSM-7, " + text.getCharacters() + " characters)");

        Model send = new ExtendedModelMap();
        controller.send(send, step, null, "de_DE", "EUR", "marketing@example.com");
        assertThat((String) send.asMap().get("sendError")).contains("email steps");
        assertThat(send.asMap()).doesNotContainKey("sent");
    }

    @Test
    void aPreviewOfAnUnknownStepOrABadAddressIsAnErrorNotASend(PluginContext broadleaf) throws Exception {
        logIn(admin);
        RecoveryPreviewController controller = previewController(broadleaf, new SmtpMailer("127.0.0.1", 1, "NONE", "", "", 500, 500));
        Model model = new ExtendedModelMap();

        controller.show(model, "999999", null, null, null);
        assertThat((String) model.asMap().get("error")).contains("no campaign step with id 999999");

        Model bad = new ExtendedModelMap();
        controller.send(bad, "-2", null, "en_US", "USD", "not an address\r\nBcc: x@example.com");
        assertThat((String) bad.asMap().get("sendError")).startsWith("to:");
        assertThat(bad.asMap()).doesNotContainKey("sent");
    }

    @Test
    void aUserWithoutThePermissionsCannotPreviewOrSend(PluginContext broadleaf) {
        logIn(clerk);
        RecoveryPreviewController controller = previewController(broadleaf, new SmtpMailer("127.0.0.1", 1, "NONE", "", "", 500, 500));

        assertThatThrownBy(() -> controller.show(new ExtendedModelMap(), "-2", null, null, null)).hasMessageContaining("Security Check Failed");
        assertThatThrownBy(() -> controller.send(new ExtendedModelMap(), "-2", null, null, null, "a@example.com"))
                .hasMessageContaining("Security Check Failed");
    }

    private RecoveryPreviewController previewController(PluginContext broadleaf, SmtpMailer mailer) {
        RecoveryPreview preview = new RecoveryPreview(dataSource,
                broadleaf.bean("crTransactionManager", PlatformTransactionManager.class),
                broadleaf.bean("crCampaignRepository", CampaignRepository.class),
                broadleaf.bean("crRecoveryCartReader", RecoveryCartReader.class),
                broadleaf.bean("crEmailRenderer", EmailRenderer.class),
                broadleaf.bean("crRecoveryLinks", RecoveryLinks.class),
                broadleaf.bean("crRecoveryMessageBuilder", RecoveryMessageBuilder.class),
                mailer);
        RecoveryPreviewController controller = new RecoveryPreviewController(preview);
        controller.setSmsPreview(broadleaf.bean("crSmsPreview", io.github.cartrecovery.sms.SmsPreview.class));
        wireBroadleaf(controller);
        return controller;
    }

    private static MockHttpServletRequest campaignPost(String name, String firstTemplate, String secondTemplate) {
        MockHttpServletRequest post = new MockHttpServletRequest("POST", "/cart-recovery-campaign-editor");
        post.setParameter("name", name);
        post.setParameter("status", "ENABLED");
        post.setParameter("priority", "5");
        post.setParameter("stepRows", "3");
        post.setParameter("subjectRows", "2");
        post.setParameter("conditionRows", "2");
        post.setParameter("steps[0].stepNo", "1");
        post.setParameter("steps[0].delayMinutes", "60");
        post.setParameter("steps[0].template", firstTemplate);
        post.setParameter("steps[0].subjects[0].locale", "*");
        post.setParameter("steps[0].subjects[0].text", "Still thinking it over?");
        post.setParameter("steps[0].subjects[1].locale", "de");
        post.setParameter("steps[0].subjects[1].text", "Noch unentschlossen?");
        post.setParameter("steps[1].stepNo", "2");
        post.setParameter("steps[1].delayMinutes", "1440");
        post.setParameter("steps[1].template", secondTemplate);
        post.setParameter("steps[1].subjects[0].locale", "*");
        post.setParameter("steps[1].subjects[0].text", "Last call");
        post.setParameter("conditions[0].type", "MIN_CART_VALUE");
        post.setParameter("conditions[0].currencyCode", "USD");
        post.setParameter("conditions[0].numberValue", "50");
        return post;
    }

    private CampaignEditorController campaignEditor(PluginContext broadleaf) {
        CampaignEditorController controller = new CampaignEditorController(
                broadleaf.bean("crCampaignRepository", CampaignRepository.class), broadleaf.bean("crClock", java.time.Clock.class));
        wireBroadleaf(controller);
        return controller;
    }

    private void wireBroadleaf(Object controller) {
        ReflectionTestUtils.setField(controller, "adminRemoteSecurityService", securityVerifier);
        ReflectionTestUtils.setField(controller, "adminNavigationService", navigation);
        ReflectionTestUtils.setField(controller, "extensionManager", new AdminAbstractControllerExtensionManager());
    }

    /**
     * Renders a view of the plugin with Thymeleaf and the merged message source, as the admin's
     * defaultContainer includes it (Broadleaf's own dialect and layout are not part of this rendering).
     */
    private static String render(PluginContext broadleaf, String view, Model model) {
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
        resolver.setPrefix("open_admin_style/templates/views/");
        resolver.setSuffix(".html");
        resolver.setTemplateMode("HTML5");
        resolver.setCharacterEncoding("UTF-8");
        SpringTemplateEngine engine = new SpringTemplateEngine();
        engine.setTemplateResolver(resolver);
        SpringMessageResolver messages = new SpringMessageResolver();
        messages.setMessageSource(broadleaf.bean("messageSource", org.springframework.context.MessageSource.class));
        engine.setMessageResolver(messages);
        MockServletContext servletContext = new MockServletContext();
        MockHttpServletRequest request = new MockHttpServletRequest(servletContext);
        request.setContextPath("/admin");
        SpringWebContext context = new SpringWebContext(request, new MockHttpServletResponse(), servletContext,
                java.util.Locale.ENGLISH, model.asMap(), broadleaf.context());
        return engine.process(view, context);
    }

    private static int indexOf(ClassMetadata metadata, String name) {
        Property[] properties = metadata.getProperties();
        for (int i = 0; i < properties.length; i++) {
            if (name.equals(properties[i].getName())) {
                return i;
            }
        }
        throw new AssertionError("no property " + name + " in " + java.util.Arrays.stream(properties).map(Property::getName).collect(Collectors.toList()));
    }

    private static AdminModule cartRecoveryModule(AdminMenu menu) {
        for (AdminModule module : menu.getAdminModules()) {
            if ("CartRecovery".equals(module.getModuleKey())) {
                return module;
            }
        }
        return null;
    }

    private AdminRole roleAdmin() {
        AdminRole role = new AdminRoleImpl();
        role.setName("ROLE_ADMIN");
        role.setDescription("Admin Master Access");
        return security.saveAdminRole(role);
    }

    private AdminUser user(String login, AdminRole role) {
        AdminUser user = new AdminUserImpl();
        user.setLogin(login);
        user.setName(login);
        user.setEmail(login + "@example.com");
        user.setUnencodedPassword("secret-" + login);
        user.setActiveStatusFlag(true);
        user.setAllRoles(role == null ? new HashSet<>() : new HashSet<>(Collections.singleton(role)));
        return security.saveAdminUser(user);
    }

    /** What Broadleaf's admin filters set up for a logged-in request: the user, and the request's time zone. */
    private static void logIn(AdminUser user) {
        BroadleafRequestContext request = new BroadleafRequestContext();
        request.setTimeZone(TimeZone.getTimeZone("UTC"));
        BroadleafRequestContext.setBroadleafRequestContext(request);
        User principal = new User(user.getLogin(), "n/a", Collections.singletonList(new SimpleGrantedAuthority("PERMISSION_OTHER_DEFAULT")));
        SecurityContextHolder.getContext().setAuthentication(
                new UsernamePasswordAuthenticationToken(principal, "n/a", principal.getAuthorities()));
    }
}
