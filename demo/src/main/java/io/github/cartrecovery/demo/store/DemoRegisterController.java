package io.github.cartrecovery.demo.store;

import java.util.ArrayList;
import java.util.List;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.broadleafcommerce.core.web.controller.account.BroadleafRegisterController;
import org.broadleafcommerce.profile.web.core.form.RegisterCustomerForm;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Registration as a Broadleaf 3.1 site does it: Broadleaf's RegisterCustomerForm (bound onto the shopper's anonymous
 * customer, so the cart stays theirs), RegisterCustomerValidator, CustomerService.registerCustomer and LoginService
 * (signed in at once). The email is the user name. What the demo adds: problems are shown as plain sentences
 * (Broadleaf's error codes have no messages here), a failure of the database (a name longer than its column) comes
 * back as the form with a message instead of an error page, and only a local path is followed after success.
 */
@Controller
@RequestMapping("/register")
public class DemoRegisterController extends BroadleafRegisterController {

    private static final Log LOG = LogFactory.getLog(DemoRegisterController.class);

    @ModelAttribute("registrationForm")
    public RegisterCustomerForm registrationForm() {
        return initCustomerRegistrationForm();
    }

    @RequestMapping(method = RequestMethod.GET)
    public String show(@ModelAttribute("registrationForm") RegisterCustomerForm form, HttpServletRequest request,
                       HttpServletResponse response, Model model) {
        form.setRedirectUrl(null);
        return register(form, request, response, model);
    }

    @RequestMapping(method = RequestMethod.POST)
    public String submit(@ModelAttribute("registrationForm") RegisterCustomerForm form, BindingResult errors,
                         HttpServletRequest request, HttpServletResponse response, Model model, RedirectAttributes redirect) {
        form.setRedirectUrl(localPathOrNull(form.getRedirectUrl()));
        String view;
        try {
            view = processRegister(form, errors, request, response, model);
        } catch (Exception e) {
            // The rolled-back transaction detached the request's cart, so the page is rendered on a new request.
            LOG.warn("registration failed", e);
            redirect.addFlashAttribute("error", "The registration could not be saved. Please check the fields (names up to 100 characters).");
            return "redirect:/register";
        }
        if (errors.hasErrors()) {
            model.addAttribute("problems", sentences(errors));
        }
        return view;
    }

    @Override
    public String getRegisterSuccessView() {
        return "redirect:/cart";
    }

    private static List<String> sentences(BindingResult errors) {
        List<String> sentences = new ArrayList<String>();
        for (ObjectError error : errors.getAllErrors()) {
            String field = error instanceof FieldError ? ((FieldError) error).getField() : "";
            String code = error.getCode() == null ? "" : error.getCode();
            sentences.add(label(field) + " " + rule(code));
        }
        return sentences;
    }

    private static String label(String field) {
        if (field.endsWith("emailAddress")) {
            return "Email address";
        } else if (field.endsWith("firstName")) {
            return "First name";
        } else if (field.endsWith("lastName")) {
            return "Last name";
        } else if (field.equals("passwordConfirm")) {
            return "Password confirmation";
        } else if (field.equals("password")) {
            return "Password";
        }
        return "A field";
    }

    private static String rule(String code) {
        if (code.endsWith(".required")) {
            return "is required.";
        } else if (code.equals("emailAddress.used")) {
            return "is already registered.";
        } else if (code.equals("passwordConfirm.invalid")) {
            return "does not match the confirmation.";
        } else if (code.equals("password.invalid")) {
            return "must be 4 to 15 letters or digits.";
        } else if (code.equals("typeMismatch")) {
            return "has the wrong format.";
        }
        return "is not valid.";
    }

    /** Broadleaf refuses a redirect with a scheme; a protocol-relative or back-slashed one would still leave the site. */
    private static String localPathOrNull(String url) {
        if (url == null || !url.startsWith("/") || url.startsWith("//") || url.startsWith("/\\")) {
            return null;
        }
        for (char c : url.toCharArray()) {
            if (c < 0x21 || c == '\\' || c > 0x7e) {
                return null;
            }
        }
        return url;
    }
}
