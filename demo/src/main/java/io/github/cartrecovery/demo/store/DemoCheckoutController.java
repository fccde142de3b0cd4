package io.github.cartrecovery.demo.store;

import java.util.ArrayList;
import java.util.List;

import javax.annotation.Resource;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.broadleafcommerce.common.payment.PaymentType;
import org.broadleafcommerce.core.order.domain.FulfillmentGroup;
import org.broadleafcommerce.core.order.domain.NullOrderImpl;
import org.broadleafcommerce.core.order.domain.Order;
import org.broadleafcommerce.core.web.checkout.model.OrderInfoForm;
import org.broadleafcommerce.core.web.controller.checkout.BroadleafCheckoutController;
import org.broadleafcommerce.core.web.order.CartState;
import org.broadleafcommerce.profile.core.domain.Address;
import org.broadleafcommerce.profile.core.domain.Country;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import io.github.cartrecovery.capture.PhoneCapture;
import io.github.cartrecovery.phone.InvalidPhoneNumberException;

/**
 * Checkout on Broadleaf's checkout controller: the email step is Broadleaf's own (saveGlobalOrderDetails), the
 * shipping address goes on the order's fulfillment group, and the payment is Broadleaf's passthrough payment
 * (a test payment that always succeeds) followed by Broadleaf's checkout workflow. The email step also takes the
 * optional phone and its own "Text me about my cart" box through Cart Recovery's {@link PhoneCapture} (the capture
 * snippet has sent them already while the shopper typed; the form post is what a browser without JavaScript sends,
 * and what tells the shopper when the number was refused). The number and the address are each taken or refused on
 * their own; on a refusal the page shows what was typed again, with the reason.
 */
@Controller
public class DemoCheckoutController extends BroadleafCheckoutController {

    private static final Log LOG = LogFactory.getLog(DemoCheckoutController.class);

    @Resource(name = "crPhoneCapture")
    private PhoneCapture phoneCapture;

    @RequestMapping(value = "/checkout", method = RequestMethod.GET)
    public String show(HttpServletRequest request, HttpServletResponse response, Model model, RedirectAttributes redirect) {
        if (isEmpty(CartState.getCart())) {
            return getCartPageRedirect();
        }
        if (!model.containsAttribute("orderInfoForm")) {
            OrderInfoForm form = new OrderInfoForm();
            form.setEmailAddress(CartState.getCart().getEmailAddress());
            model.addAttribute("orderInfoForm", form);
        }
        if (!model.containsAttribute("address")) {
            model.addAttribute("address", new ShippingAddressForm());
        }
        return checkout(request, response, model, redirect);
    }

    @RequestMapping(value = "/checkout/email", method = RequestMethod.POST)
    public String saveEmail(HttpServletRequest request, HttpServletResponse response, Model model,
                            @ModelAttribute("orderInfoForm") OrderInfoForm form, BindingResult result,
                            @RequestParam(value = "phone", required = false) String phone,
                            @RequestParam(value = "smsOptIn", required = false) String smsOptIn,
                            @RequestParam(value = "marketingOptIn", required = false) String marketingOptIn,
                            RedirectAttributes redirect) throws Exception {
        if (isEmpty(CartState.getCart())) {
            return getCartPageRedirect();
        }
        // The phone part is taken or refused on its own, before the email, so a bad address never costs the number
        // (and the other way round), as the plugin's capture endpoint does.
        String phoneProblem = null;
        if ((phone != null && !phone.trim().isEmpty()) || smsOptIn != null) {
            try {
                // an unticked box sends nothing: no statement about texts, never consent
                phoneCapture.capture(CartState.getCart(), phone, smsOptIn == null ? null : Boolean.TRUE);
            } catch (InvalidPhoneNumberException e) {
                phoneProblem = e.getRule().message();
            }
        }
        String view;
        String emailProblem = null;
        try {
            view = saveGlobalOrderDetails(request, model, form, result);
            if (result.hasErrors()) {
                emailProblem = "Please enter a valid email address";
            }
        } catch (Exception e) {
            // e.g. an address Broadleaf's validator accepts but its 255-character column refuses
            LOG.warn("saving the checkout email failed", e);
            view = null;
            emailProblem = "That email address could not be saved";
        }
        // what was typed and ticked is shown again on the next page (escaped by th:value): after Continue the boxes
        // stay ticked as the shopper left them, and after a refusal the shopper sees what to correct; a value far over
        // the field's length is not kept whole in the session
        redirect.addFlashAttribute("phone", phone == null || phone.length() <= 64 ? phone : phone.substring(0, 64));
        redirect.addFlashAttribute("smsOptIn", smsOptIn != null);
        redirect.addFlashAttribute("marketingOptIn", marketingOptIn != null);
        if (emailProblem == null && phoneProblem == null) {
            return view;
        }
        String error = emailProblem == null ? "Your email is saved, but " + phoneProblem + "."
                : emailProblem + (phoneProblem == null ? "." : "; and " + phoneProblem + ".");
        redirect.addFlashAttribute("error", error);
        return getCheckoutPageRedirect();
    }

    @RequestMapping(value = "/checkout/complete", method = RequestMethod.POST)
    public String placeOrder(@ModelAttribute("address") ShippingAddressForm form, RedirectAttributes redirect) {
        Order cart = CartState.getCart();
        if (isEmpty(cart)) {
            return getCartPageRedirect();
        }
        List<String> problems = new ArrayList<String>();
        if (cart.getEmailAddress() == null || cart.getEmailAddress().isEmpty()) {
            problems.add("email address (first step)");
        }
        Country country = form.getCountry() == null ? null : countryService.findCountryByAbbreviation(form.getCountry());
        if (country == null) {
            problems.add("country");
        }
        for (String[] field : new String[][] {{"first name", form.getFirstName()}, {"last name", form.getLastName()},
                {"street address", form.getAddressLine1()}, {"city", form.getCity()}, {"postal code", form.getPostalCode()}}) {
            if (field[1] == null || field[1].trim().isEmpty()) {
                problems.add(field[0]);
            }
        }
        if (!problems.isEmpty()) {
            redirect.addFlashAttribute("error", "Please fill in: " + String.join(", ", problems) + ".");
            redirect.addFlashAttribute("address", form);
            return getCheckoutPageRedirect();
        }
        try {
            Address address = addressService.create();
            address.setFirstName(form.getFirstName().trim());
            address.setLastName(form.getLastName().trim());
            address.setAddressLine1(form.getAddressLine1().trim());
            address.setCity(form.getCity().trim());
            address.setPostalCode(form.getPostalCode().trim());
            address.setCountry(country);
            FulfillmentGroup shipping = fulfillmentGroupService.getFirstShippableFulfillmentGroup(cart);
            if (shipping != null) {
                shipping.setAddress(address);
            }
            orderService.save(cart, true);
            return processPassthroughCheckout(redirect, PaymentType.THIRD_PARTY_ACCOUNT);
        } catch (Exception e) {
            LOG.warn("checkout failed", e);
            // the reason stays in the log: a database message names tables and columns
            redirect.addFlashAttribute("error", "The order could not be placed. Please check the address (fields up to 255 characters).");
            return getCheckoutPageRedirect();
        }
    }

    private static boolean isEmpty(Order cart) {
        return cart == null || cart instanceof NullOrderImpl || cart.getOrderItems().isEmpty();
    }
}
