package io.github.cartrecovery.demo.store;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.broadleafcommerce.core.web.controller.account.BroadleafLoginController;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;

/**
 * The sign-in page. Spring Security's form login (demo-site-applicationContext.xml) checks the posted email and
 * password against Broadleaf's customers through blAuthenticationManager; Broadleaf's cart state filter then merges
 * the anonymous cart of the session into the customer's.
 */
@Controller
public class DemoLoginController extends BroadleafLoginController {

    @RequestMapping(value = "/login", method = RequestMethod.GET)
    public String show(HttpServletRequest request, HttpServletResponse response, Model model) {
        if (request.getParameter("error") != null) {
            model.addAttribute("error", "The email address or password is not right.");
        }
        return getLoginView();
    }
}
