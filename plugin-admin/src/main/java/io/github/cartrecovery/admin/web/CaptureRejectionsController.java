package io.github.cartrecovery.admin.web;

import java.util.List;

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

import io.github.cartrecovery.capture.CaptureRejections;
import io.github.cartrecovery.formatting.StoreTime;

/**
 * "Capture Rejections", a page of the Abandoned Carts section ({@code /cart-recovery-cart/rejections}, linked from
 * the cart list): what capture could not store (CR_CAPTURE_REJECTION), most recent first, with the cart, the
 * source, the field, the reason and the value masked. Read-only, behind the same permission check as the cart list
 * (its literal path wins over the cart page's {@code /{orderId}}).
 */
@Controller
@RequestMapping("/" + AbandonedCartsController.SECTION_KEY + "/rejections")
public class CaptureRejectionsController extends AdminAbstractController {

    static final int PAGE_SIZE = 50;

    private final CaptureRejections rejections;
    private final StoreTime storeTime;

    @Autowired
    public CaptureRejectionsController(@Qualifier("crCaptureRejections") CaptureRejections rejections,
                                       @Qualifier("crStoreTime") StoreTime storeTime) {
        this.rejections = rejections;
        this.storeTime = storeTime;
    }

    @RequestMapping(value = "", method = RequestMethod.GET)
    public String list(Model model, @RequestParam(value = "page", required = false) String page) throws ServiceException {
        adminRemoteSecurityService.securityCheck(AbandonedCartsController.SECURED_ENTITY, EntityOperationType.FETCH);
        int pageNo = 1;
        if (page != null && !page.trim().isEmpty()) {
            try {
                pageNo = Integer.parseInt(page.trim());
            } catch (NumberFormatException e) {
                pageNo = 0;
            }
            if (pageNo < 1 || pageNo > 100000) {
                model.addAttribute("error", "page: must be a whole number between 1 and 100000");
                pageNo = 1;
            }
        }
        List<CaptureRejections.Rejection> rows = rejections.latest((pageNo - 1) * PAGE_SIZE, PAGE_SIZE + 1);
        model.addAttribute("page", pageNo);
        model.addAttribute("storeTime", storeTime);
        model.addAttribute("hasNextPage", rows.size() > PAGE_SIZE);
        model.addAttribute("rejections", rows.size() > PAGE_SIZE ? rows.subList(0, PAGE_SIZE) : rows);
        setModelAttributes(model, AbandonedCartsController.SECTION_KEY);
        model.addAttribute("viewType", "cartRecovery/captureRejections");
        return "modules/defaultContainer";
    }
}
