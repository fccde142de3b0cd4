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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

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
            "io.github.cartrecovery.delivery.Suppression");

    @Resource(name = "crDataSource") DataSource dataSource;
    @Resource(name = "crAdminLiquibase") SpringLiquibase adminLiquibase;
    @Resource(name = "blAdminSecurityService") AdminSecurityService security;
    @Resource(name = "blAdminNavigationService") AdminNavigationService navigation;
    @Resource(name = "blAdminSecurityRemoteService") SecurityVerifier securityVerifier;
    @Resource(name = "blAdminEntityService") AdminEntityService entities;
    @Resource(name = "blTransactionManager") PlatformTransactionManager transactions;

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
                .containsExactly("/cart-recovery-report", "/cart-recovery-campaign", "/cart-recovery-cart",
                        "/cart-recovery-message", "/cart-recovery-suppression", "/cart-recovery-preview");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM BLC_ADMIN_ROLE_PERMISSION_XREF WHERE ADMIN_PERMISSION_ID IN (-8610, -8611)", Integer.class)).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM BLC_ADMIN_SEC_PERM_XREF WHERE ADMIN_SECTION_ID BETWEEN -8609 AND -8601", Integer.class)).isEqualTo(12);
    }

    @Test
    void theAdminRoleSeesTheCartRecoveryMenu() {
        List<String> sections = new TransactionTemplate(transactions).execute(tx -> {
            AdminModule module = cartRecoveryModule(navigation.buildMenu(admin));
            return module == null ? null : module.getSections().stream().map(AdminSection::getName).collect(Collectors.toList());
        });

        assertThat(sections).containsExactly("Recovery Report", "Recovery Campaigns", "Abandoned Carts", "Recovery Messages",
                "Email Suppression", "Preview and Test Send");
    }

    @Test
    void aUserWithoutThePermissionsSeesNoCartRecoveryMenu() {
        assertThat(new TransactionTemplate(transactions).execute(tx -> cartRecoveryModule(navigation.buildMenu(clerk)))).isNull();
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
