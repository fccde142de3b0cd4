package io.github.cartrecovery.admin.screens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.HashSet;
import java.time.Clock;

import javax.annotation.Resource;
import javax.sql.DataSource;

import org.broadleafcommerce.common.web.BroadleafRequestContext;
import org.broadleafcommerce.openadmin.server.security.domain.AdminPermission;
import org.broadleafcommerce.openadmin.server.security.domain.AdminUser;
import org.broadleafcommerce.openadmin.server.security.domain.AdminUserImpl;
import org.broadleafcommerce.openadmin.server.security.remote.SecurityVerifier;
import org.broadleafcommerce.openadmin.server.security.service.AdminSecurityService;
import org.broadleafcommerce.openadmin.server.security.service.navigation.AdminNavigationService;
import org.broadleafcommerce.openadmin.web.controller.AdminAbstractControllerExtensionManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockServletContext;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.User;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.ui.ExtendedModelMap;
import org.springframework.ui.Model;
import org.thymeleaf.spring3.SpringTemplateEngine;
import org.thymeleaf.spring3.context.SpringWebContext;
import org.thymeleaf.spring3.messageresolver.SpringMessageResolver;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

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
        SecurityContextHolder.clearContext();
        BroadleafRequestContext.setBroadleafRequestContext(null);
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
        OperationsController controller = new OperationsController(health, quality, incidents, clock, storeTime);
        ReflectionTestUtils.setField(controller, "adminRemoteSecurityService", securityVerifier);
        ReflectionTestUtils.setField(controller, "adminNavigationService", navigation);
        ReflectionTestUtils.setField(controller, "extensionManager", new AdminAbstractControllerExtensionManager());
        return controller;
    }

    private AdminUser user(String login, AdminPermission permission) {
        AdminUser user = new AdminUserImpl();
        user.setLogin(login);
        user.setName(login);
        user.setEmail(login + "@example.com");
        user.setUnencodedPassword("secret-" + login);
        user.setActiveStatusFlag(true);
        user.setAllPermissions(permission == null ? new HashSet<>() : new HashSet<>(Collections.singleton(permission)));
        return security.saveAdminUser(user);
    }

    private static void logIn(AdminUser user) {
        BroadleafRequestContext request = new BroadleafRequestContext();
        request.setTimeZone(java.util.TimeZone.getTimeZone("UTC"));
        BroadleafRequestContext.setBroadleafRequestContext(request);
        User principal = new User(user.getLogin(), "n/a", Collections.singletonList(new SimpleGrantedAuthority("PERMISSION_OTHER_DEFAULT")));
        SecurityContextHolder.getContext().setAuthentication(
                new UsernamePasswordAuthenticationToken(principal, "n/a", principal.getAuthorities()));
    }

    private static String render(PluginContext broadleaf, Model model) {
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
        return engine.process("cartRecovery/operations", context);
    }
}
