package com.example.heatcheck.web;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.broadleafcommerce.core.order.domain.Order;
import org.broadleafcommerce.core.web.checkout.model.OrderInfoForm;
import org.broadleafcommerce.core.web.controller.checkout.BroadleafCheckoutController;
import org.broadleafcommerce.core.web.order.CartState;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;

/** Heat Clinic's checkout, reduced to its first section: the guest's email address (orderInfoForm). */
@Controller
public class CheckoutController extends BroadleafCheckoutController {

    @RequestMapping(value = "/checkout", method = RequestMethod.GET)
    public String show(HttpServletRequest request, HttpServletResponse response, Model model) {
        Order cart = CartState.getCart();
        OrderInfoForm form = new OrderInfoForm();
        form.setEmailAddress(cart == null ? null : cart.getEmailAddress());
        model.addAttribute("orderInfoForm", form);
        model.addAttribute("cart", cart);
        return "checkout/checkout";
    }
}
