package io.github.cartrecovery.admin.screens;

import static org.assertj.core.api.Assertions.assertThat;

import javax.annotation.Resource;

import org.broadleafcommerce.openadmin.server.security.domain.AdminPermission;
import org.broadleafcommerce.openadmin.server.security.domain.AdminUser;
import org.broadleafcommerce.openadmin.server.security.remote.SecurityVerifier;
import org.broadleafcommerce.openadmin.server.security.service.AdminSecurityService;
import org.broadleafcommerce.openadmin.server.security.service.navigation.AdminNavigationService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.ui.ExtendedModelMap;
import org.springframework.ui.Model;

import io.github.cartrecovery.admin.web.EmailLayoutController;
import io.github.cartrecovery.rendering.EmailLayout;
import io.github.cartrecovery.rendering.EmailLayoutSettings;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;

/**
 * The operator sets the email layout in the admin: every field shows the property it replaces, a preview renders the
 * typed values without saving, a refused value is named next to its field and nothing is written, a save reaches the
 * renderer; without the campaign permission the page is refused, and reading does not allow saving.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@BroadleafWithPlugin(patches = {"bl-cartrecovery-applicationContext.xml", "bl-cartrecovery-admin-applicationContext.xml"})
class EmailLayoutScreenIT {

    @Resource(name = "blAdminSecurityService") AdminSecurityService security;
    @Resource(name = "blAdminNavigationService") AdminNavigationService navigation;
    @Resource(name = "blAdminSecurityRemoteService") SecurityVerifier securityVerifier;
    @Resource(name = "crEmailLayoutSettings") EmailLayoutSettings settings;

    AdminUser admin;
    AdminUser reader;
    AdminUser clerk;

    @BeforeAll
    void users() {
        admin = user("cr-layout-admin", security.readAdminPermissionById(-8613L)); // ALL on the plugin's entities (1.0/010)
        reader = user("cr-layout-reader", security.readAdminPermissionById(-8612L)); // READ
        clerk = user("cr-layout-clerk", null);
    }

    @AfterEach
    void cleanUp() {
        AdminScreens.logOut();
        settings.reset();
    }

    @Test
    void theOperatorPreviewsThenSavesAndARefusedValueIsShownNextToItsField(PluginContext broadleaf) throws Exception {
        logIn(admin);
        Model model = new ExtendedModelMap();
        MockHttpServletResponse response = new MockHttpServletResponse();
        assertThat(controller().show(model, response)).isEqualTo("modules/defaultContainer");
        String page = render(broadleaf, model);
        assertThat(page).contains("name=\"cartrecovery.email.postal-address\"")
                .contains("placeholder=\"" + EmailLayout.EXAMPLE_POSTAL_ADDRESS + "\"")
                .contains("Not changed here yet");

        MockHttpServletRequest bad = form("#12", "Tea & <Sons>", "1 Quay, Bristol");
        model = new ExtendedModelMap();
        controller().save(model, bad, new MockHttpServletResponse());
        page = render(broadleaf, model);
        assertThat(page).contains("must be a colour written #rrggbb").contains("aria-invalid=\"true\"")
                .contains("Tea &amp; &lt;Sons&gt;");
        assertThat(settings.saved().getUpdatedAt()).as("a refused value writes nothing").isNull();

        model = new ExtendedModelMap();
        controller().preview(model, form("#117733", "Tea & <Sons>", "1 Quay, Bristol"), new MockHttpServletResponse());
        page = render(broadleaf, model);
        assertThat(page).contains("class=\"cr-preview-html\"").contains("srcdoc=\"").contains("#117733")
                .contains("1 Quay, Bristol").doesNotContain("<Sons>")
                .contains("<pre class=\"cr-preview-text\" style=\"white-space: pre-wrap; overflow-wrap: anywhere;");
        assertThat(settings.saved().getUpdatedAt()).as("a preview saves nothing").isNull();

        model = new ExtendedModelMap();
        controller().save(model, form("#117733", "Tea & <Sons>", "1 Quay, Bristol"), new MockHttpServletResponse());
        page = render(broadleaf, model);
        assertThat(page).contains("Saved: the next emails use this layout").contains("by cr-layout-admin");
        assertThat(settings.current().getPostalAddress()).isEqualTo("1 Quay, Bristol");
        assertThat(settings.current().getBrandColour()).isEqualTo("#117733");
        assertThat(settings.current().getLogoUrl()).as("an empty field keeps the property").isNull();
    }

    /**
     * A Broadleaf admin made from Heat Clinic wraps every request in Broadleaf's JSCompatibilityRequestWrapper
     * (blJSCompatibilityRequestFilter), whose getParameter turns "__" into "." in values too.
     */
    @Test
    void aTypedValueIsSavedAsTypedBehindBroadleafsFieldNameFilter() throws Exception {
        logIn(admin);
        MockHttpServletRequest typed = form("#117733", "Tea__Time", "1 Quay__Bristol");
        controller().save(new ExtendedModelMap(),
                new org.broadleafcommerce.openadmin.web.compatibility.JSCompatibilityRequestWrapper(typed), new MockHttpServletResponse());
        assertThat(settings.current().getStoreName()).isEqualTo("Tea__Time");
        assertThat(settings.current().getPostalAddress()).isEqualTo("1 Quay__Bristol");
    }

    @Test
    void withoutThePermissionThePageIsRefusedAndReadingDoesNotAllowSaving() throws Exception {
        logIn(clerk);
        MockHttpServletResponse refused = new MockHttpServletResponse();
        assertThat(controller().show(new ExtendedModelMap(), refused)).isNull();
        assertThat(refused.getStatus()).isEqualTo(403);

        logIn(reader);
        MockHttpServletResponse shown = new MockHttpServletResponse();
        assertThat(controller().show(new ExtendedModelMap(), shown)).isEqualTo("modules/defaultContainer");
        MockHttpServletResponse notSaved = new MockHttpServletResponse();
        assertThat(controller().save(new ExtendedModelMap(), form("#117733", "Reader's Shop", "2 Quay"), notSaved))
                .isNull();
        assertThat(notSaved.getStatus()).isEqualTo(403);
        assertThat(settings.saved().getUpdatedAt()).isNull();
    }

    private static MockHttpServletRequest form(String colour, String storeName, String address) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/admin/cart-recovery-email-layout/save");
        request.addParameter(EmailLayoutSettings.BRAND_COLOUR, colour);
        request.addParameter(EmailLayoutSettings.STORE_NAME, storeName);
        request.addParameter(EmailLayoutSettings.POSTAL_ADDRESS, address);
        request.addParameter(EmailLayoutSettings.LOGO_URL, "  ");
        return request;
    }

    private EmailLayoutController controller() {
        return AdminScreens.wired(new EmailLayoutController(settings), securityVerifier, navigation);
    }

    private AdminUser user(String login, AdminPermission permission) {
        return AdminScreens.user(security, login, permission);
    }

    private static void logIn(AdminUser user) {
        AdminScreens.logIn(user);
    }

    private static String render(PluginContext broadleaf, Model model) {
        return AdminScreens.render(broadleaf, "cartRecovery/emailLayout", model);
    }
}
