package io.github.cartrecovery.demo.store;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.broadleafcommerce.core.order.domain.NullOrderImpl;
import org.broadleafcommerce.core.order.domain.Order;
import org.broadleafcommerce.core.web.controller.cart.BroadleafCartController;
import org.broadleafcommerce.core.web.order.CartState;
import org.broadleafcommerce.core.web.order.model.AddToCartItem;
import org.springframework.stereotype.Controller;
import org.springframework.ui.ExtendedModelMap;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The cart: Broadleaf's cart operations (add, update quantity, remove, coupon codes) behind plain form posts.
 * A failed operation comes back to the cart page with a message instead of an error page.
 */
@Controller
@RequestMapping("/cart")
public class DemoCartController extends BroadleafCartController {

    private static final Log LOG = LogFactory.getLog(DemoCartController.class);

    @RequestMapping(value = "", method = RequestMethod.GET)
    public String show(HttpServletRequest request, HttpServletResponse response, Model model) throws Exception {
        return cart(request, response, model);
    }

    @RequestMapping(value = "/add", method = RequestMethod.POST)
    public String addItem(HttpServletRequest request, HttpServletResponse response, Model model,
                          @ModelAttribute("addToCartItem") AddToCartItem item, RedirectAttributes redirect) {
        if (item.getQuantity() == null || item.getQuantity() < 1) { // a blank quantity binds as null
            item.setQuantity(1);
        }
        try {
            add(request, response, model, item);
        } catch (Exception e) {
            fail(redirect, "Could not add that to the cart", e);
        }
        return getCartPageRedirect();
    }

    @RequestMapping(value = "/update", method = RequestMethod.POST)
    public String updateItem(HttpServletRequest request, HttpServletResponse response, Model model,
                             @ModelAttribute("addToCartItem") AddToCartItem item, RedirectAttributes redirect) {
        if (hasNoCart()) {
            return getCartPageRedirect();
        }
        try {
            if (item.getQuantity() == null || item.getQuantity() < 0) {
                redirect.addFlashAttribute("error", "The quantity must be a number, 0 or more");
            } else {
                updateQuantity(request, response, model, item);
            }
        } catch (Exception e) {
            fail(redirect, "Could not change the quantity", e);
        }
        return getCartPageRedirect();
    }

    @RequestMapping(value = "/remove", method = RequestMethod.POST)
    public String removeItem(HttpServletRequest request, HttpServletResponse response, Model model,
                             @ModelAttribute("addToCartItem") AddToCartItem item, RedirectAttributes redirect) {
        if (hasNoCart()) {
            return getCartPageRedirect();
        }
        try {
            remove(request, response, model, item);
        } catch (Exception e) {
            fail(redirect, "Could not remove that item", e);
        }
        return getCartPageRedirect();
    }

    @RequestMapping(value = "/promo", method = RequestMethod.POST)
    public String applyCoupon(HttpServletRequest request, HttpServletResponse response,
                              @RequestParam("promoCode") String promoCode, RedirectAttributes redirect) {
        Model result = new ExtendedModelMap();
        try {
            addPromo(request, response, result, promoCode.trim());
        } catch (Exception e) {
            fail(redirect, "Could not apply the coupon", e);
            return getCartPageRedirect();
        }
        Object problem = result.asMap().get("exception");
        if (problem != null && !String.valueOf(problem).isEmpty()) {
            redirect.addFlashAttribute("error", "Coupon " + promoCode.trim() + ": " + problem);
        } else {
            redirect.addFlashAttribute("message", "Coupon " + promoCode.trim() + " applied");
        }
        return getCartPageRedirect();
    }

    @RequestMapping(value = "/promo/remove", method = RequestMethod.POST)
    public String removeCoupon(HttpServletRequest request, HttpServletResponse response, Model model,
                               @RequestParam("offerCodeId") Long offerCodeId, RedirectAttributes redirect) {
        if (hasNoCart()) {
            return getCartPageRedirect();
        }
        try {
            removePromo(request, response, model, offerCodeId);
        } catch (Exception e) {
            fail(redirect, "Could not remove the coupon", e);
        }
        return getCartPageRedirect();
    }

    private static boolean hasNoCart() {
        Order cart = CartState.getCart();
        return cart == null || cart instanceof NullOrderImpl;
    }

    private static void fail(RedirectAttributes redirect, String message, Exception e) {
        LOG.warn(message, e);
        redirect.addFlashAttribute("error", message + ".");
    }
}
