package io.github.cartrecovery.admin.screens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

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

import io.github.cartrecovery.admin.web.CaptureRejectionsController;
import io.github.cartrecovery.capture.CaptureRejections;
import io.github.cartrecovery.capture.MaskedEmail;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;

/** The operator sees what capture rejected, masked, on a page of the Abandoned Carts section. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@BroadleafWithPlugin(patches = {"bl-cartrecovery-applicationContext.xml", "bl-cartrecovery-admin-applicationContext.xml"})
class CaptureRejectionsScreenIT {

    @Resource(name = "crDataSource") DataSource dataSource;
    @Resource(name = "blAdminSecurityService") AdminSecurityService security;
    @Resource(name = "blAdminNavigationService") AdminNavigationService navigation;
    @Resource(name = "blAdminSecurityRemoteService") SecurityVerifier securityVerifier;
    @Resource(name = "crCaptureRejections") CaptureRejections rejections;

    JdbcTemplate jdbc;
    AdminUser admin;
    AdminUser clerk;

    @BeforeAll
    void adminAndClerk() {
        jdbc = new JdbcTemplate(dataSource);
        // granted directly, not through ROLE_ADMIN: AdminScreensIT checks how the role grant is seeded
        AdminPermission readCartRecovery = security.readAdminPermissionById(-8612L); // READ on CapturedCart (1.0/010)
        admin = user("cr-rejections-admin", readCartRecovery);
        clerk = user("cr-rejections-clerk", null);
    }

    @AfterEach
    void cleanUp() {
        AdminScreens.logOut();
        jdbc.update("DELETE FROM CR_CAPTURE_REJECTION WHERE ORDER_ID BETWEEN 92000000 AND 92000099");
    }

    @Test
    void listsRejectionsMostRecentFirstWithTheAddressMasked(PluginContext broadleaf) throws Exception {
        logIn(admin);
        String address = "jane.doe." + "x".repeat(240) + "@example.com";
        rejections.record(92_000_001L, CaptureRejections.Source.STOREFRONT, "email", "max_length", MaskedEmail.of(address));
        broadleaf.clock().advance(java.time.Duration.ofMinutes(1));
        rejections.record(92_000_002L, CaptureRejections.Source.RECONCILIATION, CaptureRejections.WHOLE_ROW,
                "SQLSTATE 22001: <b>value too long</b>", MaskedEmail.of("bob@example.org"));
        Model model = new ExtendedModelMap();

        String view = controller().list(model, null);

        assertThat(view).isEqualTo("modules/defaultContainer");
        assertThat(model.asMap()).containsEntry("viewType", "cartRecovery/captureRejections");
        @SuppressWarnings("unchecked")
        List<CaptureRejections.Rejection> rows = (List<CaptureRejections.Rejection>) model.asMap().get("rejections");
        assertThat(rows).extracting(CaptureRejections.Rejection::getOrderId).startsWith(92_000_002L, 92_000_001L);
        String html = render(broadleaf, model);
        assertThat(html).contains("j***@example.com (261 chars)").contains("b***@example.org (15 chars)")
                .contains("max_length").contains("&lt;b&gt;value too long&lt;/b&gt;").contains("/admin/cart-recovery-cart/92000001")
                .doesNotContain("jane.doe").doesNotContain("bob@");
        assertThat(html).as("rows Broadleaf's listGrid.js lets a click through to the cart link")
                .contains("<tr class=\"cr-rejection clickable\" data-hiddenfields=").doesNotContain("data-listgridtype");
    }

    @Test
    void aUserWithoutThePermissionsIsRefused() {
        logIn(clerk);

        assertThatThrownBy(() -> controller().list(new ExtendedModelMap(), null)).hasMessageContaining("Security Check Failed");
    }

    @Test
    void aBadPageIsAnErrorNamingTheField() throws Exception {
        logIn(admin);
        Model model = new ExtendedModelMap();

        controller().list(model, "x");

        assertThat((String) model.asMap().get("error")).startsWith("page:");
    }

    private CaptureRejectionsController controller() {
        return AdminScreens.wired(new CaptureRejectionsController(rejections, new io.github.cartrecovery.formatting.StoreTime("UTC")), securityVerifier, navigation);
    }

    private AdminUser user(String login, AdminPermission permission) {
        return AdminScreens.user(security, login, permission);
    }

    private static void logIn(AdminUser user) {
        AdminScreens.logIn(user);
    }

    private static String render(PluginContext broadleaf, Model model) {
        return AdminScreens.render(broadleaf, "cartRecovery/captureRejections", model);
    }
}
