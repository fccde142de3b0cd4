package io.github.cartrecovery.admin.screens;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import javax.annotation.Resource;
import javax.sql.DataSource;

import org.broadleafcommerce.openadmin.server.security.domain.AdminPermission;
import org.broadleafcommerce.openadmin.server.security.domain.AdminUser;
import org.broadleafcommerce.openadmin.server.security.remote.SecurityVerifier;
import org.broadleafcommerce.openadmin.server.security.service.AdminSecurityService;
import org.broadleafcommerce.openadmin.server.security.service.navigation.AdminNavigationService;
import org.broadleafcommerce.openadmin.web.controller.AdminAbstractController;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mockito.Mockito;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.ui.ExtendedModelMap;
import org.springframework.ui.Model;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.github.cartrecovery.admin.web.EmailTemplatesController;
import io.github.cartrecovery.admin.web.PreviewChoices;
import io.github.cartrecovery.campaign.CampaignRepository;
import io.github.cartrecovery.delivery.RecoveryLinks;
import io.github.cartrecovery.delivery.RecoveryMessageBuilder;
import io.github.cartrecovery.delivery.RecoveryPreview;
import io.github.cartrecovery.delivery.SmtpMailer;
import io.github.cartrecovery.rendering.EmailRenderer;
import io.github.cartrecovery.rendering.RecoveryCartReader;
import io.github.cartrecovery.templates.EmailTemplateStore;
import io.github.cartrecovery.templates.TemplateVersion;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;

/**
 * The "Email Templates" screens in the real admin context: the list, the editor with its preview at desktop and phone
 * width and the text part, a save (a version by the logged-in user), a refused save that shows its error next to the
 * field and keeps the operator's text, compare and revert, "send a test to me" to the admin user's own address, markup
 * escaped everywhere, and 403 without the permission. Uses its own template (test resource copy/cr-test-screen.properties).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@BroadleafWithPlugin(patches = {"bl-cartrecovery-applicationContext.xml", "bl-cartrecovery-admin-applicationContext.xml"})
class EmailTemplateScreensIT {

    private static final String TEMPLATE = "cr-test-screen";

    @Resource(name = "crDataSource") DataSource dataSource;
    @Resource(name = "blAdminSecurityService") AdminSecurityService security;
    @Resource(name = "blAdminNavigationService") AdminNavigationService navigation;
    @Resource(name = "blAdminSecurityRemoteService") SecurityVerifier securityVerifier;
    @Resource(name = "crEmailTemplateStore") EmailTemplateStore templates;
    @Resource(name = "crRecoveryPreview") RecoveryPreview preview;
    @Resource(name = "crPreviewChoices") PreviewChoices choices;

    JdbcTemplate jdbc;
    AdminUser admin;
    AdminUser clerk;

    @BeforeAll
    void adminAndClerk() {
        jdbc = new JdbcTemplate(dataSource);
        AdminPermission allCartRecovery = security.readAdminPermissionById(-8613L); // ALL on the plugin's entities (1.0/010)
        admin = user("cr-templates-admin-" + System.nanoTime(), allCartRecovery);
        clerk = user("cr-templates-clerk-" + System.nanoTime(), null);
    }

    @AfterEach
    void logOut() {
        AdminScreens.logOut();
    }

    @Test
    void theMenuHasTheSectionForThePluginsPermissions() {
        assertThat(jdbc.queryForObject("SELECT URL FROM BLC_ADMIN_SECTION WHERE ADMIN_SECTION_ID = -8980", String.class))
                .isEqualTo("/cart-recovery-templates");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM BLC_ADMIN_SEC_PERM_XREF WHERE ADMIN_SECTION_ID = -8980", Integer.class))
                .isEqualTo(2);
    }

    @Test
    void anOperatorEditsPreviewsSavesComparesAndReverts(PluginContext broadleaf) throws Exception {
        logIn(admin);
        jdbc.update("DELETE FROM CR_EMAIL_TEMPLATE_VERSION WHERE TEMPLATE_NAME = ? AND LOCALE_CODE = 'en'", TEMPLATE);

        Model list = new ExtendedModelMap();
        controller().list(list);
        assertThat(render(broadleaf, list, "cartRecovery/templates"))
                .contains("data-template=\"" + TEMPLATE + "\"").contains("data-template=\"gentle-reminder\"")
                .contains("/admin/cart-recovery-templates/edit?template=" + TEMPLATE + "&amp;locale=de")
                // Broadleaf's listGrid.js swallows clicks in list-grid-table rows that are neither "main" nor "clickable"
                // (a row's "clickable" also needs data-hiddenfields): the Edit links did nothing
                .containsPattern("<tr class=\"cr-template-row clickable\" data-hiddenfields=\"\\{&quot;hiddenFields&quot;:\\[\\]\\}\"");

        Model edit = new ExtendedModelMap();
        controller().edit(edit, TEMPLATE, "en", null, null);
        String editor = render(broadleaf, edit, "cartRecovery/templateEditor");
        assertThat(editor).contains("value=\"Screen test heading\"")
                .contains("class=\"cr-preview-html cr-preview-desktop\"").contains("class=\"cr-preview-html cr-preview-phone\"")
                .contains("width: 375px").contains("sandbox=\"\"").contains("srcdoc=\"")
                .contains("<pre class=\"cr-preview-text\" style=\"white-space: pre-wrap; overflow-wrap: anywhere;").contains("None saved yet")
                .contains("{{first_name}}").contains("<blc:form method=\"post\" id=\"cr-template-form\"")
                .contains("data-preview-url=\"/admin/cart-recovery-templates/preview\"").contains("id=\"cr-template-live\"");

        // a save with a broken field: the error next to it, the operator's text kept, nothing written
        MockHttpServletRequest broken = post("Hi {{firstname}}", "Your cart at {{store_name}}");
        Model refused = new ExtendedModelMap();
        controller().save(refused, broken);
        String refusedHtml = render(broadleaf, refused, "cartRecovery/templateEditor");
        assertThat(refusedHtml).contains("data-field=\"heading\"").contains("unknown merge field {{firstname}}")
                .contains("value=\"Hi {{firstname}}\"").contains("Your cart at {{store_name}}")
                .doesNotContain("cr-preview-desktop");
        assertThat(templates.versions(TEMPLATE, "en")).isEmpty();

        // the live preview of unsaved words, for the sample cart
        Model previewed = new ExtendedModelMap();
        controller().preview(previewed, post("Still deciding, {{#first_name}}{{first_name}}{{/first_name}}?", "Your {{item_count}} items."));
        String previewHtml = render(broadleaf, previewed, "cartRecovery/templateEditor");
        assertThat(previewHtml).contains("Still deciding, Alex?").contains("Your 3 items.");
        assertThat(templates.versions(TEMPLATE, "en")).isEmpty();

        Model saved = new ExtendedModelMap();
        controller().save(saved, post("First words", "One."));
        assertThat(saved.asMap()).containsEntry("message", "saved").containsEntry("savedVersion", 1);
        Model savedAgain = new ExtendedModelMap();
        controller().save(savedAgain, post("Second words", "One."));
        List<TemplateVersion> versions = templates.versions(TEMPLATE, "en");
        assertThat(versions).extracting(TemplateVersion::getVersionNo).containsExactly(2, 1);
        assertThat(versions.get(0).getCreatedBy()).isEqualTo(admin.getLogin());
        assertThat(render(broadleaf, savedAgain, "cartRecovery/templateEditor")).contains("Saved as version 2.")
                .contains("data-version=\"1\"").contains("<tr class=\"cr-template-version clickable\" data-hiddenfields=").contains("Revert to this version")
                .contains("/admin/cart-recovery-templates/compare?from=" + versions.get(1).getId() + "&amp;to=" + versions.get(0).getId());

        Model compared = new ExtendedModelMap();
        controller().compare(compared, versions.get(1).getId(), versions.get(0).getId());
        assertThat(render(broadleaf, compared, "cartRecovery/templateEditor")).contains("From version 1 to version 2")
                .contains("<del style=\"background: #fdd;\">First</del>").contains("<ins style=\"background: #dfd;\">Second</ins>")
                .contains("data-field=\"heading\"").doesNotContain("class=\"cr-diff-field\" data-field=\"intro\"");

        Model reverted = new ExtendedModelMap();
        controller().revert(reverted, versions.get(1).getId());
        assertThat(reverted.asMap()).containsEntry("message", "reverted").containsEntry("savedVersion", 3);
        TemplateVersion latest = templates.latest(TEMPLATE, "en");
        assertThat(latest.text("heading")).isEqualTo("First words");
        assertThat(latest.getRevertedTo()).isEqualTo(1);
        assertThat(render(broadleaf, reverted, "cartRecovery/templateEditor")).contains("(a revert to 1)");
    }

    @Test
    void aTestIsSentToTheLoggedInAdminUser(PluginContext broadleaf) throws Exception {
        logIn(admin);
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        GreenMail smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try {
            RecoveryPreview toGreenMail = new RecoveryPreview(dataSource,
                    broadleaf.bean("crTransactionManager", PlatformTransactionManager.class),
                    broadleaf.bean("crCampaignRepository", CampaignRepository.class),
                    broadleaf.bean("crRecoveryCartReader", RecoveryCartReader.class),
                    broadleaf.bean("crEmailRenderer", EmailRenderer.class), broadleaf.bean("crRecoveryLinks", RecoveryLinks.class),
                    broadleaf.bean("crRecoveryMessageBuilder", RecoveryMessageBuilder.class),
                    new SmtpMailer("127.0.0.1", port, "NONE", "", "", 2000, 5000));
            EmailTemplatesController controller = new EmailTemplatesController(templates, toGreenMail);
            wire(controller);
            MockHttpServletRequest post = post("Test words for {{store_name}}", "Intro.");
            post.setParameter("subject", "Try {{first_name}}");
            Model sent = new ExtendedModelMap();

            controller.send(sent, post);

            assertThat(sent.asMap()).containsEntry("sent", admin.getEmail());
            jakarta.mail.internet.MimeMessage[] received = smtp.getReceivedMessagesForDomain(admin.getEmail());
            assertThat(received).hasSize(1);
            assertThat(received[0].getSubject()).isEqualTo("[TEST] Try Alex");
            assertThat(templates.versions(TEMPLATE, "fr")).isEmpty(); // a test send saves nothing
        } finally {
            smtp.stop();
        }
    }

    @Test
    void operatorMarkupAndTemplateSyntaxAreEscapedInTheEditorAndThePreview(PluginContext broadleaf) throws Exception {
        logIn(admin);
        Model model = new ExtendedModelMap();
        controller().preview(model, post("<script>alert('x')</script> ${T(java.lang.Runtime).getRuntime()}",
                "[[${#ctx}]] __${1+1}__ & <b>bold</b>"));

        String html = render(broadleaf, model, "cartRecovery/templateEditor");
        assertThat(html).doesNotContain("<script>alert").doesNotContain("<b>bold")
                .contains("&lt;script&gt;alert(").contains("&lt;/script&gt; ${T(java.lang.Runtime).getRuntime()}")
                .contains("[[${#ctx}]] __${1+1}__ &amp; &lt;b&gt;bold&lt;/b&gt;");
        // inside the preview's srcdoc the email's own escaping is escaped again: still text, never markup
        assertThat(html).contains("&amp;lt;script&amp;gt;");
    }

    @Test
    void aUserWithoutThePermissionGets403AndNothingIsRead() throws Exception {
        logIn(clerk);
        EmailTemplateStore store = Mockito.mock(EmailTemplateStore.class);
        RecoveryPreview previews = Mockito.mock(RecoveryPreview.class);
        EmailTemplatesController controller = new EmailTemplatesController(store, previews);
        wire(controller);
        MockMvc mvc = MockMvcBuilders.standaloneSetup(controller).build();

        for (MvcResult result : new MvcResult[] {
                mvc.perform(MockMvcRequestBuilders.get("/cart-recovery-templates")).andReturn(),
                mvc.perform(MockMvcRequestBuilders.get("/cart-recovery-templates/edit").param("template", TEMPLATE).param("locale", "en")).andReturn(),
                mvc.perform(MockMvcRequestBuilders.get("/cart-recovery-templates/compare").param("from", "1").param("to", "2")).andReturn(),
                mvc.perform(MockMvcRequestBuilders.post("/cart-recovery-templates/preview").param("template", TEMPLATE)).andReturn(),
                mvc.perform(MockMvcRequestBuilders.post("/cart-recovery-templates/save").param("template", TEMPLATE)).andReturn(),
                mvc.perform(MockMvcRequestBuilders.post("/cart-recovery-templates/send").param("template", TEMPLATE)).andReturn(),
                mvc.perform(MockMvcRequestBuilders.post("/cart-recovery-templates/revert").param("id", "1")).andReturn()}) {
            assertThat(result.getResponse().getStatus()).as(result.getRequest().getRequestURI()).isEqualTo(403);
            assertThat(result.getResponse().getContentAsString()).isEmpty();
        }
        Mockito.verifyNoInteractions(store, previews);
    }

    private static MockHttpServletRequest post(String heading, String intro) {
        MockHttpServletRequest post = new MockHttpServletRequest("POST", "/cart-recovery-templates/save");
        post.setParameter("template", TEMPLATE);
        post.setParameter("locale", heading.startsWith("Test words") ? "fr" : "en");
        post.setParameter("heading", heading);
        post.setParameter("intro", intro);
        post.setParameter("button", "Back to the cart");
        post.setParameter("orderId", "");
        post.setParameter("currency", "USD");
        return post;
    }

    private EmailTemplatesController controller() {
        EmailTemplatesController controller = new EmailTemplatesController(templates, preview);
        controller.setChoices(choices);
        wire(controller);
        return controller;
    }

    private void wire(AdminAbstractController controller) {
        AdminScreens.wired(controller, securityVerifier, navigation);
    }

    private AdminUser user(String login, AdminPermission permission) {
        return AdminScreens.user(security, login, permission);
    }

    private static void logIn(AdminUser user) {
        AdminScreens.logIn(user);
    }

    private static String render(PluginContext broadleaf, Model model, String view) {
        return AdminScreens.render(broadleaf, view, model);
    }
}
