package io.github.cartrecovery.admin.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.HashSet;
import java.util.TimeZone;
import java.util.UUID;

import javax.annotation.Resource;
import javax.sql.DataSource;

import org.broadleafcommerce.common.web.BroadleafRequestContext;
import org.broadleafcommerce.openadmin.server.security.domain.AdminRole;
import org.broadleafcommerce.openadmin.server.security.domain.AdminRoleImpl;
import org.broadleafcommerce.openadmin.server.security.domain.AdminUser;
import org.broadleafcommerce.openadmin.server.security.domain.AdminUserImpl;
import org.broadleafcommerce.openadmin.server.security.service.AdminSecurityService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.broadleafcommerce.openadmin.server.security.remote.SecurityVerifier;
import org.broadleafcommerce.openadmin.server.security.service.navigation.AdminNavigationService;
import org.broadleafcommerce.openadmin.web.controller.AdminAbstractControllerExtensionManager;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.User;
import org.springframework.ui.ExtendedModelMap;
import org.springframework.ui.Model;

import io.github.cartrecovery.privacy.PersonalData;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;
import liquibase.integration.spring.SpringLiquibase;

/**
 * The privacy screen's actions need their own permission: an admin user who may manage everything else of Cart
 * Recovery (PERMISSION_ALL_CARTRECOVERY), but lacks PERMISSION_CARTRECOVERY_PRIVACY, gets 403 from export and erase, and nothing is erased.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@BroadleafWithPlugin(patches = {"bl-cartrecovery-applicationContext.xml", "bl-cartrecovery-admin-applicationContext.xml"})
class PrivacyRequestsIT {

    @Resource(name = "crDataSource") DataSource dataSource;
    @Resource(name = "crAdminLiquibase") SpringLiquibase adminLiquibase;
    @Resource(name = "blAdminSecurityService") AdminSecurityService security;
    @Resource(name = "crPersonalData") PersonalData personalData;
    @Resource(name = "blAdminSecurityRemoteService") SecurityVerifier securityVerifier;
    @Resource(name = "blAdminNavigationService") AdminNavigationService navigation;

    JdbcTemplate jdbc;
    AdminUser manager;
    AdminUser privacyOfficer;
    PrivacyRequestsController controller;
    String email;

    @BeforeAll
    void usersAndController() throws Exception {
        jdbc = new JdbcTemplate(dataSource);
        adminLiquibase.afterPropertiesSet();
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        manager = user("cr-manager-" + suffix, role("ROLE_CR_MANAGER_" + suffix, -8613));
        privacyOfficer = user("cr-privacy-" + suffix, role("ROLE_CR_PRIVACY_" + suffix, -8810));
        controller = new PrivacyRequestsController(personalData);
        // what the admin servlet context would inject (its extension manager lives there, with no handler here)
        ReflectionTestUtils.setField(controller, "adminRemoteSecurityService", securityVerifier);
        ReflectionTestUtils.setField(controller, "adminNavigationService", navigation);
        ReflectionTestUtils.setField(controller, "extensionManager", new AdminAbstractControllerExtensionManager());
        email = "privacy-" + suffix + "@example.com";
        jdbc.update("INSERT INTO CR_SUPPRESSION (EMAIL, REASON, SOURCE, CREATED_AT) VALUES (?, 'MANUAL', 'test', CURRENT_TIMESTAMP)", email);
    }

    @AfterEach
    void logOut() {
        SecurityContextHolder.clearContext();
        BroadleafRequestContext.setBroadleafRequestContext(null);
    }

    @Test
    void exportWithoutThePrivacyPermissionIs403() throws Exception {
        logIn(manager);
        MockHttpServletResponse response = new MockHttpServletResponse();

        controller.export(model(), response, email);

        assertThat(response.getStatus()).isEqualTo(403);
        assertThat(response.getContentAsString()).doesNotContain(email);
    }

    @Test
    void eraseWithoutThePrivacyPermissionIs403AndErasesNothing() throws Exception {
        logIn(manager);
        MockHttpServletResponse response = new MockHttpServletResponse();

        controller.erase(model(), response, email, email);

        assertThat(response.getStatus()).isEqualTo(403);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM CR_SUPPRESSION WHERE EMAIL = ?", Integer.class, email)).isEqualTo(1);
    }

    @Test
    void thePrivacyPermissionDownloadsTheExport() throws Exception {
        logIn(privacyOfficer);
        MockHttpServletResponse response = new MockHttpServletResponse();

        controller.export(model(), response, email.toUpperCase());

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getHeader("Content-Disposition")).startsWith("attachment;");
        assertThat(response.getContentAsString()).contains("\"CR_SUPPRESSION\"").contains(email);
    }

    @Test
    void erasingNeedsTheAddressTypedTwice() throws Exception {
        logIn(privacyOfficer);
        Model model = model();

        controller.erase(model, new MockHttpServletResponse(), email, "someone-else@example.com");

        assertThat(model.asMap().get("error")).isEqualTo("confirmation: type the same address again to erase it");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM CR_SUPPRESSION WHERE EMAIL = ?", Integer.class, email)).isEqualTo(1);
    }

    private static Model model() {
        return new ExtendedModelMap();
    }

    private AdminRole role(String name, long permissionId) {
        AdminRole role = new AdminRoleImpl();
        role.setName(name);
        role.setDescription(name);
        role = security.saveAdminRole(role);
        jdbc.update("INSERT INTO BLC_ADMIN_ROLE_PERMISSION_XREF (ADMIN_ROLE_ID, ADMIN_PERMISSION_ID) VALUES (?, ?)", role.getId(), permissionId);
        return role;
    }

    private AdminUser user(String login, AdminRole role) {
        AdminUser user = new AdminUserImpl();
        user.setLogin(login);
        user.setName(login);
        user.setEmail(login + "@example.com");
        user.setUnencodedPassword("secret-" + login);
        user.setActiveStatusFlag(true);
        user.setAllRoles(new HashSet<>(Collections.singleton(role)));
        return security.saveAdminUser(user);
    }

    private static void logIn(AdminUser user) {
        BroadleafRequestContext request = new BroadleafRequestContext();
        request.setTimeZone(TimeZone.getTimeZone("UTC"));
        BroadleafRequestContext.setBroadleafRequestContext(request);
        User principal = new User(user.getLogin(), "n/a", Collections.singletonList(new SimpleGrantedAuthority("PERMISSION_OTHER_DEFAULT")));
        SecurityContextHolder.getContext().setAuthentication(
                new UsernamePasswordAuthenticationToken(principal, "n/a", principal.getAuthorities()));
    }
}
