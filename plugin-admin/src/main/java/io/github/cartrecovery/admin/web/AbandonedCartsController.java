package io.github.cartrecovery.admin.web;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.servlet.http.HttpServletResponse;

import org.broadleafcommerce.common.exception.ServiceException;
import org.broadleafcommerce.openadmin.server.security.remote.EntityOperationType;
import org.broadleafcommerce.openadmin.web.controller.AdminAbstractController;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;

import org.springframework.context.i18n.LocaleContextHolder;

import io.github.cartrecovery.admin.carts.AbandonedCartLog;
import io.github.cartrecovery.admin.personaldata.PersonalDataPermission;
import io.github.cartrecovery.capture.CartStatus;
import io.github.cartrecovery.formatting.StoreTime;
import io.github.cartrecovery.reporting.ReportingDatabase;

/**
 * The "Abandoned Carts" admin screen (section /cart-recovery-cart): a read-only list with status, value,
 * email (masked unless the viewer holds {@link PersonalDataPermission}), last activity and the due time of the next planned message, filtered by status and by a
 * range of last-activity days (UTC); and a cart's page with its messages and their events. Replaces
 * Broadleaf's generic list and form for this section (its paths are more specific than Broadleaf's
 * {@code /{sectionKey}}), because neither a masked address nor the next message is a column of the cart.
 * Every request passes Broadleaf's security check on the cart's permission entity first. Both pages say when they
 * read a configured read replica, or the primary instead of it and why (model attribute {@code readSource}).
 */
@Controller
@RequestMapping("/" + AbandonedCartsController.SECTION_KEY)
public class AbandonedCartsController extends AdminAbstractController {

    static final String SECTION_KEY = "cart-recovery-cart";
    static final String SECURED_ENTITY = "io.github.cartrecovery.capture.CapturedCart";
    static final int PAGE_SIZE = 50;

    private final AbandonedCartLog carts;
    private final PersonalDataPermission personalData;
    private final StoreTime storeTime;

    @Autowired
    public AbandonedCartsController(@Qualifier("crAbandonedCartLog") AbandonedCartLog carts,
                                    @Qualifier("crPersonalDataPermission") PersonalDataPermission personalData,
                                    @Qualifier("crStoreTime") StoreTime storeTime) {
        this.carts = carts;
        this.personalData = personalData;
        this.storeTime = storeTime;
    }

    @RequestMapping(value = "", method = RequestMethod.GET)
    public String list(Model model,
                       @RequestParam(value = "status", required = false) String status,
                       @RequestParam(value = "from", required = false) String from,
                       @RequestParam(value = "to", required = false) String to,
                       @RequestParam(value = "page", required = false) String page) throws ServiceException {
        adminRemoteSecurityService.securityCheck(SECURED_ENTITY, EntityOperationType.FETCH);
        CartFilter filter = CartFilter.parse(status, from, to, page);
        model.addAttribute("filter", filter);
        model.addAttribute("statuses", Arrays.asList(CartStatus.values()));
        model.addAttribute("storeTime", storeTime);
        model.addAttribute("money", new MoneyText(LocaleContextHolder.getLocale()));
        if (filter.getError() == null) {
            // the filter's days are the store's days
            ReportingDatabase.Read<List<AbandonedCartLog.CartRow>> read = carts.find(filter.getStatus(),
                    filter.getFrom() == null ? null : filter.getFrom().atStartOfDay(storeTime.zone()).toInstant(),
                    filter.getTo() == null ? null : filter.getTo().plusDays(1).atStartOfDay(storeTime.zone()).toInstant(),
                    (filter.getPage() - 1) * PAGE_SIZE, PAGE_SIZE, personalData.heldByCurrentUser());
            List<AbandonedCartLog.CartRow> rows = read.getValue();
            model.addAttribute("readSource", read.getSource());
            model.addAttribute("hasNextPage", rows.size() > PAGE_SIZE);
            model.addAttribute("carts", rows.size() > PAGE_SIZE ? rows.subList(0, PAGE_SIZE) : rows);
        }
        setModelAttributes(model, SECTION_KEY);
        model.addAttribute("viewType", "cartRecovery/carts");
        return "modules/defaultContainer";
    }

    @RequestMapping(value = "/{orderId}", method = RequestMethod.GET)
    public String detail(Model model, HttpServletResponse response, @PathVariable("orderId") String orderId) throws ServiceException {
        adminRemoteSecurityService.securityCheck(SECURED_ENTITY, EntityOperationType.FETCH);
        AbandonedCartLog.CartDetail cart = null;
        try {
            ReportingDatabase.Read<AbandonedCartLog.CartDetail> read = carts.detail(Long.parseLong(orderId),
                    personalData.heldByCurrentUser());
            cart = read.getValue();
            model.addAttribute("readSource", read.getSource());
        } catch (NumberFormatException e) {
            // an unknown cart, below
        }
        if (cart == null) {
            response.setStatus(HttpServletResponse.SC_NOT_FOUND);
            model.addAttribute("notFound", orderId);
        }
        model.addAttribute("detail", cart);
        model.addAttribute("storeTime", storeTime);
        model.addAttribute("money", new MoneyText(LocaleContextHolder.getLocale()));
        setModelAttributes(model, SECTION_KEY);
        model.addAttribute("viewType", "cartRecovery/cart");
        return "modules/defaultContainer";
    }

    /** The list's filter as typed; an unparsable value becomes an error naming the field, and no list. */
    public static final class CartFilter {
        private final CartStatus status;
        private final LocalDate from;
        private final LocalDate to;
        private final int page;
        private final String error;

        private CartFilter(CartStatus status, LocalDate from, LocalDate to, int page, String error) {
            this.status = status;
            this.from = from;
            this.to = to;
            this.page = page;
            this.error = error;
        }

        static CartFilter parse(String status, String from, String to, String page) {
            List<String> errors = new ArrayList<String>();
            CartStatus cartStatus = null;
            if (status != null && !status.trim().isEmpty()) {
                try {
                    cartStatus = CartStatus.valueOf(status.trim());
                } catch (IllegalArgumentException e) {
                    errors.add("status: not a cart status (one of " + Arrays.toString(CartStatus.values()) + ")");
                }
            }
            LocalDate fromDate = FilterDates.parse("from", from, null, errors);
            LocalDate toDate = FilterDates.parse("to", to, null, errors);
            if (fromDate != null && toDate != null && toDate.isBefore(fromDate)) {
                errors.add("to: before from");
            }
            int pageNo = 1;
            if (page != null && !page.trim().isEmpty()) {
                try {
                    pageNo = Integer.parseInt(page.trim());
                    if (pageNo < 1 || pageNo > 100000) {
                        errors.add("page: must be between 1 and 100000");
                        pageNo = 1;
                    }
                } catch (NumberFormatException e) {
                    errors.add("page: not a whole number");
                }
            }
            return new CartFilter(cartStatus, fromDate, toDate, pageNo, errors.isEmpty() ? null : String.join("; ", errors));
        }

        public CartStatus getStatus() { return status; }
        public LocalDate getFrom() { return from; }
        public LocalDate getTo() { return to; }
        public int getPage() { return page; }
        public String getError() { return error; }
    }
}
