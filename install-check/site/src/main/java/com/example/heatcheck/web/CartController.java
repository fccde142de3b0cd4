package com.example.heatcheck.web;

import javax.annotation.Resource;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.broadleafcommerce.core.catalog.service.CatalogService;
import org.broadleafcommerce.core.web.order.model.AddToCartItem;
import org.broadleafcommerce.core.web.controller.cart.BroadleafCartController;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;

/** Heat Clinic's cart controller, reduced to showing the cart and adding to it. */
@Controller
@RequestMapping("/cart")
public class CartController extends BroadleafCartController {

    @Resource(name = "blCatalogService")
    private CatalogService catalog;

    @RequestMapping(value = "", method = RequestMethod.GET)
    public String show(HttpServletRequest request, HttpServletResponse response, Model model) throws Exception {
        model.addAttribute("products", catalog.findAllProducts());
        return cart(request, response, model);
    }

    @RequestMapping(value = "/add", method = RequestMethod.POST)
    public String addItem(HttpServletRequest request, HttpServletResponse response, Model model,
                          @ModelAttribute("addToCartItem") AddToCartItem item) throws Exception {
        if (item.getQuantity() == null || item.getQuantity() < 1) {
            item.setQuantity(1);
        }
        add(request, response, model, item);
        return getCartPageRedirect();
    }
}
