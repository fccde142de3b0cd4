package io.github.cartrecovery.admin.web;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.broadleafcommerce.common.exception.ServiceException;
import org.broadleafcommerce.openadmin.server.security.domain.AdminUser;
import org.broadleafcommerce.openadmin.server.security.remote.EntityOperationType;
import org.broadleafcommerce.openadmin.web.controller.AdminAbstractController;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;

import io.github.cartrecovery.rendering.EmailLayout;
import io.github.cartrecovery.rendering.EmailLayoutSettings;
import io.github.cartrecovery.rendering.EmailRenderer;
import io.github.cartrecovery.rendering.RenderedEmail;
import io.github.cartrecovery.rendering.SampleCart;

/**
 * "Email Layout" (docs/emails.md): the store name, logo, brand colour, postal address, "why you got this" line,
 * placeholder image and number of recommendations every recovery email shares. A field left empty keeps its
 * {@code cartrecovery.email.*} property (shown as the field's placeholder). "Preview" renders the gentle reminder for a
 * sample cart with the typed values, without saving; "Save" checks them the same way and writes nothing when one is
 * refused (the problem is shown next to its field). Reading needs the campaign permission's FETCH, saving its UPDATE
 * (like the campaign editor); a refused request is answered 403 before anything is read.
 */
@Controller
@RequestMapping("/" + EmailLayoutController.PATH)
public class EmailLayoutController extends AdminAbstractController {

    static final String PATH = "cart-recovery-email-layout";
    /** The menu's "Email Layout" section (1.2/042-admin-email-layout.xml). */
    static final String SECTION_KEY = PATH;
    static final String SECURED_ENTITY = CampaignEditorController.SECURED_ENTITY;
    /** The template the preview renders. */
    static final String PREVIEW_TEMPLATE = "gentle-reminder";

    private final EmailLayoutSettings settings;

    @Autowired
    public EmailLayoutController(@Qualifier("crEmailLayoutSettings") EmailLayoutSettings settings) {
        this.settings = settings;
    }

    @RequestMapping(value = "", method = RequestMethod.GET)
    public String show(Model model, HttpServletResponse response) throws IOException {
        if (!permitted(EntityOperationType.FETCH, response)) {
            return null;
        }
        return page(model, null, Collections.<String, String>emptyMap(), null, null);
    }

    @RequestMapping(value = "/preview", method = RequestMethod.POST)
    public String preview(Model model, HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!permitted(EntityOperationType.FETCH, response)) {
            return null;
        }
        Map<String, String> values = typed(request);
        try {
            EmailLayout layout = settings.proposed(values);
            RenderedEmail sample = new EmailRenderer(layout).render(PREVIEW_TEMPLATE,
                    "Hey, did you mean to leave these behind?", SampleCart.of("Alex", "en_US", "USD"), "#", "#");
            return page(model, values, Collections.<String, String>emptyMap(), sample, null);
        } catch (EmailLayoutSettings.InvalidLayoutException e) {
            return page(model, values, e.getProblems(), null, null);
        }
    }

    @RequestMapping(value = "/save", method = RequestMethod.POST)
    public String save(Model model, HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!permitted(EntityOperationType.UPDATE, response)) {
            return null;
        }
        Map<String, String> values = typed(request);
        try {
            AdminUser user = adminRemoteSecurityService.getPersistentAdminUser();
            settings.save(values, user == null ? null : user.getLogin());
            return page(model, null, Collections.<String, String>emptyMap(), null, "cartRecovery.emailLayout.saved");
        } catch (EmailLayoutSettings.InvalidLayoutException e) {
            return page(model, values, e.getProblems(), null, null);
        }
    }

    private static Map<String, String> typed(HttpServletRequest request) {
        Map<String, String> values = new LinkedHashMap<String, String>();
        for (String field : EmailLayoutSettings.fields()) {
            values.put(field, FormValues.one(request, field));
        }
        return values;
    }

    private boolean permitted(EntityOperationType operation, HttpServletResponse response) throws IOException {
        try {
            adminRemoteSecurityService.securityCheck(SECURED_ENTITY, operation);
            return true;
        } catch (ServiceException refused) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "The email layout needs the Cart Recovery campaign "
                    + "permission (" + (operation == EntityOperationType.FETCH ? "read" : "update") + ")");
            return false;
        }
    }

    /** The page; {@code values} null: the saved ones (read once, with who saved them). */
    private String page(Model model, Map<String, String> values, Map<String, String> problems, RenderedEmail preview,
                        String message) {
        EmailLayout defaults = settings.defaults();
        Map<String, String> placeholders = new LinkedHashMap<String, String>();
        placeholders.put(EmailLayoutSettings.STORE_NAME, defaults.getStoreName());
        placeholders.put(EmailLayoutSettings.LOGO_URL, defaults.getLogoUrl());
        placeholders.put(EmailLayoutSettings.BRAND_COLOUR, defaults.getBrandColour());
        placeholders.put(EmailLayoutSettings.POSTAL_ADDRESS, defaults.getPostalAddress());
        placeholders.put(EmailLayoutSettings.WHY_LINE, defaults.getWhyLine());
        placeholders.put(EmailLayoutSettings.PLACEHOLDER_IMAGE_URL, defaults.getPlaceholderImageUrl());
        placeholders.put(EmailLayoutSettings.RECOMMENDATIONS, String.valueOf(defaults.getRecommendations()));
        EmailLayoutSettings.Overrides saved = settings.saved();
        setModelAttributes(model, SECTION_KEY);
        model.addAttribute("fields", EmailLayoutSettings.fields());
        model.addAttribute("values", values == null ? saved.getValues() : values);
        model.addAttribute("placeholders", placeholders);
        model.addAttribute("problems", problems);
        model.addAttribute("preview", preview);
        model.addAttribute("message", message);
        model.addAttribute("updatedAt", saved.getUpdatedAt() == null ? null : saved.getUpdatedAt().toString());
        model.addAttribute("updatedBy", saved.getUpdatedBy());
        model.addAttribute("viewType", "cartRecovery/emailLayout");
        return "modules/defaultContainer";
    }
}
