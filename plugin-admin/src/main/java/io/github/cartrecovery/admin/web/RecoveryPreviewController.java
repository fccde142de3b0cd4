package io.github.cartrecovery.admin.web;

import javax.mail.MessagingException;

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

import io.github.cartrecovery.capture.EmailAddressValidator;
import io.github.cartrecovery.capture.InvalidEmailAddressException;
import io.github.cartrecovery.delivery.RecoveryPreview;
import io.github.cartrecovery.rendering.RenderedEmail;
import io.github.cartrecovery.sms.SmsPreview;
import io.github.cartrecovery.sms.SmsText;

/**
 * "Preview and Test Send": any campaign step rendered for a captured cart (by order id) or for a sample cart
 * in a chosen locale and currency, and sent as a test to an address the operator types. Previewing needs
 * the read permission, sending the manage permission. The HTML is shown in a sandboxed iframe (srcdoc,
 * attribute-escaped), so the email's markup cannot run in the admin. A step on the SMS channel shows its text instead,
 * with its alphabet and segment count against {@code cartrecovery.sms.max-segments} ({@link SmsPreview}); test sends
 * are for email steps.
 */
@Controller
@RequestMapping("/" + RecoveryPreviewController.SECTION_KEY)
public class RecoveryPreviewController extends AdminAbstractController {

    static final String SECTION_KEY = "cart-recovery-preview";
    static final String SECURED_ENTITY = "io.github.cartrecovery.campaign.CampaignStep";

    private final RecoveryPreview preview;
    private SmsPreview smsPreview;
    private PreviewChoices choices;

    @Autowired
    public RecoveryPreviewController(@Qualifier("crRecoveryPreview") RecoveryPreview preview) {
        this.preview = preview;
    }

    /** The SMS preview, when the store has the SMS beans. */
    @Autowired(required = false)
    public void setSmsPreview(@Qualifier("crSmsPreview") SmsPreview smsPreview) {
        this.smsPreview = smsPreview;
    }

    /** The steps and recent carts offered in the pickers (without: the ids are typed). */
    @Autowired(required = false)
    public void setChoices(@Qualifier("crPreviewChoices") PreviewChoices choices) {
        this.choices = choices;
    }

    @RequestMapping(value = "", method = RequestMethod.GET)
    public String show(Model model,
                       @RequestParam(value = "stepId", required = false) String stepId,
                       @RequestParam(value = "orderId", required = false) String orderId,
                       @RequestParam(value = "locale", required = false) String locale,
                       @RequestParam(value = "currency", required = false) String currency) throws ServiceException {
        adminRemoteSecurityService.securityCheck(SECURED_ENTITY, EntityOperationType.FETCH);
        render(model, stepId, orderId, locale, currency);
        return page(model);
    }

    @RequestMapping(value = "/send", method = RequestMethod.POST)
    public String send(Model model,
                       @RequestParam(value = "stepId", required = false) String stepId,
                       @RequestParam(value = "orderId", required = false) String orderId,
                       @RequestParam(value = "locale", required = false) String locale,
                       @RequestParam(value = "currency", required = false) String currency,
                       @RequestParam(value = "to", required = false) String to) throws ServiceException {
        adminRemoteSecurityService.securityCheck(SECURED_ENTITY, EntityOperationType.UPDATE);
        RenderedEmail rendered = render(model, stepId, orderId, locale, currency);
        model.addAttribute("to", to);
        if (model.containsAttribute("sms")) {
            model.addAttribute("sendError", "test sends are for email steps; this step sends a text message");
            return page(model);
        }
        if (rendered == null) {
            return page(model);
        }
        String address;
        try {
            address = new EmailAddressValidator().normalise(to);
        } catch (InvalidEmailAddressException e) {
            model.addAttribute("sendError", "to: " + e.getMessage());
            return page(model);
        }
        try {
            preview.sendTest(rendered, address);
            model.addAttribute("sent", address);
        } catch (MessagingException e) {
            model.addAttribute("sendError", "could not send: " + e.getMessage());
        }
        return page(model);
    }

    private RenderedEmail render(Model model, String stepId, String orderId, String locale, String currency) {
        model.addAttribute("stepId", stepId);
        model.addAttribute("orderId", orderId);
        model.addAttribute("locale", locale == null || locale.trim().isEmpty() ? "en" : locale.trim());
        model.addAttribute("currency", currency == null || currency.trim().isEmpty() ? "USD" : currency.trim());
        if (stepId == null || stepId.trim().isEmpty()) {
            return null;
        }
        try {
            long step = Long.parseLong(stepId.trim());
            if (smsPreview != null && smsPreview.isSmsStep(step)) {
                SmsText text = orderId == null || orderId.trim().isEmpty()
                        ? smsPreview.forSampleCart(step, (String) model.asMap().get("locale"), (String) model.asMap().get("currency"))
                        : smsPreview.forCart(step, Long.parseLong(orderId.trim()));
                model.addAttribute("sms", text);
                model.addAttribute("smsMaxSegments", smsPreview.maxSegments());
                return null;
            }
            RenderedEmail rendered = orderId == null || orderId.trim().isEmpty()
                    ? preview.forSampleCart(step, (String) model.asMap().get("locale"), (String) model.asMap().get("currency"))
                    : preview.forCart(step, Long.parseLong(orderId.trim()));
            model.addAttribute("email", rendered);
            return rendered;
        } catch (NumberFormatException e) {
            model.addAttribute("error", "stepId/orderId: not a number");
        } catch (IllegalArgumentException e) {
            model.addAttribute("error", e.getMessage());
        }
        return null;
    }

    private String page(Model model) {
        if (choices != null) {
            model.addAttribute("stepChoices", choices.steps());
            model.addAttribute("cartChoices", choices.recentCarts());
        }
        setModelAttributes(model, SECTION_KEY);
        model.addAttribute("viewType", "cartRecovery/preview");
        return "modules/defaultContainer";
    }
}
