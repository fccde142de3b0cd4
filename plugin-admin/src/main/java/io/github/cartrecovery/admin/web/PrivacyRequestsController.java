package io.github.cartrecovery.admin.web;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

import javax.servlet.http.HttpServletResponse;

import org.broadleafcommerce.common.exception.ServiceException;
import org.broadleafcommerce.openadmin.server.security.remote.EntityOperationType;
import org.broadleafcommerce.openadmin.web.controller.AdminAbstractController;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;

import io.github.cartrecovery.privacy.ErasureSummary;
import io.github.cartrecovery.privacy.PersonalData;
import io.github.cartrecovery.privacy.ShopperEmail;

/**
 * "Privacy Requests": export (a JSON download) or erase everything the plugin holds about one address, through
 * {@link PersonalData}. Its own permission (PERMISSION_CARTRECOVERY_PRIVACY, on the secured name {@value #SECURED_ENTITY}),
 * checked before anything is read; without it every action answers 403. Both actions are POSTs from Broadleaf forms
 * (CSRF token); erasing also needs the address typed a second time. Nothing here logs or echoes the address beyond
 * the page that asked.
 */
@Controller
@RequestMapping("/" + PrivacyRequestsController.SECTION_KEY)
public class PrivacyRequestsController extends AdminAbstractController {

    static final String SECTION_KEY = "cart-recovery-privacy";
    static final String SECURED_ENTITY = "io.github.cartrecovery.privacy.PersonalData";

    private final PersonalData personalData;

    @Autowired
    public PrivacyRequestsController(@Qualifier("crPersonalData") PersonalData personalData) {
        this.personalData = personalData;
    }

    @RequestMapping(value = "", method = RequestMethod.GET)
    public String show(Model model, HttpServletResponse response) throws IOException {
        if (!permitted(response)) {
            return null;
        }
        return page(model);
    }

    @RequestMapping(value = "/export", method = RequestMethod.POST)
    public String export(Model model, HttpServletResponse response,
                         @RequestParam(value = "email", required = false) String email) throws IOException {
        if (!permitted(response)) {
            return null;
        }
        String address;
        try {
            address = ShopperEmail.normalise(email);
        } catch (IllegalArgumentException e) {
            model.addAttribute("error", e.getMessage());
            return page(model);
        }
        response.setContentType("application/json;charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"cart-recovery-personal-data.json\"");
        response.setHeader("Cache-Control", "no-store");
        Writer out = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
        personalData.export(address, out);
        out.flush();
        return null;
    }

    @RequestMapping(value = "/erase", method = RequestMethod.POST)
    public String erase(Model model, HttpServletResponse response,
                        @RequestParam(value = "email", required = false) String email,
                        @RequestParam(value = "confirmation", required = false) String confirmation) throws IOException {
        if (!permitted(response)) {
            return null;
        }
        model.addAttribute("email", email);
        try {
            String address = ShopperEmail.normalise(email);
            if (confirmation == null || !address.equals(confirmation.trim().toLowerCase(java.util.Locale.ROOT))) {
                model.addAttribute("error", "confirmation: type the same address again to erase it");
                return page(model);
            }
            ErasureSummary summary = personalData.erase(address);
            model.addAttribute("summary", summary);
            model.addAttribute("email", null);
        } catch (IllegalArgumentException e) {
            model.addAttribute("error", e.getMessage());
        }
        return page(model);
    }

    /** The privacy permission, before anything is read; a 403 when it is missing. */
    private boolean permitted(HttpServletResponse response) throws IOException {
        try {
            adminRemoteSecurityService.securityCheck(SECURED_ENTITY, EntityOperationType.UPDATE);
            return true;
        } catch (ServiceException refused) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN, "Privacy requests need PERMISSION_CARTRECOVERY_PRIVACY");
            return false;
        }
    }

    private String page(Model model) {
        setModelAttributes(model, SECTION_KEY);
        model.addAttribute("viewType", "cartRecovery/privacy");
        return "modules/defaultContainer";
    }
}
