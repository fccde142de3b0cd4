package io.github.cartrecovery.site.browse;

import java.time.Clock;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.http.HttpSession;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.broadleafcommerce.common.web.BroadleafRequestContext;
import org.broadleafcommerce.core.catalog.domain.Product;
import org.broadleafcommerce.core.order.domain.NullOrderImpl;
import org.broadleafcommerce.core.order.domain.Order;
import org.broadleafcommerce.core.web.catalog.ProductHandlerMapping;
import org.broadleafcommerce.core.web.order.CartState;
import org.broadleafcommerce.profile.core.domain.Customer;
import org.broadleafcommerce.profile.web.core.CustomerState;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.handler.HandlerInterceptorAdapter;

import io.github.cartrecovery.browse.BrowseBuffer;
import io.github.cartrecovery.browse.BrowseView;
import io.github.cartrecovery.detection.ExclusionRules;

/**
 * Host edge: records a product page view of a known shopper. Broadleaf's {@link ProductHandlerMapping} puts the
 * product of a product URL on the request ({@code currentProduct}) before its controller runs; after the controller
 * rendered the page without an error, this interceptor copies the product id, the shopper's address and customer id,
 * locale and currency into a {@link BrowseView} and offers it to the {@link BrowseBuffer}: a map update, no database
 * round trip on the shopper's request. Known means: a logged-in customer's address, else the address captured earlier
 * in this session (guest email capture leaves it under {@link #KNOWN_EMAIL}), else the cart's address. Nobody else is
 * recorded, nor a request without a User-Agent or with a bot's ({@code cartrecovery.exclusion.bot-user-agents}), nor
 * anything while {@code cartrecovery.browse.enabled} is false. Never fails the page: a failure is logged at debug.
 * Registered for every handler of the storefront's servlet (a {@code MappedInterceptor}); other pages cost one request
 * attribute lookup.
 */
public class ProductViewRecorder extends HandlerInterceptorAdapter {

    /** The session attribute holding the address guest email capture took in this session. */
    public static final String KNOWN_EMAIL = "cartrecovery.knownEmail";

    private static final Log LOG = LogFactory.getLog(ProductViewRecorder.class);

    private final BrowseBuffer buffer;
    private final ExclusionRules rules;
    private final Clock clock;

    public ProductViewRecorder(BrowseBuffer buffer, ExclusionRules rules, Clock clock) {
        this.buffer = buffer;
        this.rules = rules;
        this.clock = clock;
    }

    @Override
    public void postHandle(HttpServletRequest request, HttpServletResponse response, Object handler,
                           ModelAndView modelAndView) {
        if (!buffer.isEnabled()) {
            return;
        }
        Object current = request.getAttribute(ProductHandlerMapping.CURRENT_PRODUCT_ATTRIBUTE_NAME);
        if (!(current instanceof Product)) {
            return;
        }
        try {
            record(request, (Product) current);
        } catch (RuntimeException e) {
            LOG.debug("Cart Recovery could not record a product view", e);
        }
    }

    private void record(HttpServletRequest request, Product product) {
        String userAgent = request.getHeader("User-Agent");
        if (product.getId() == null || userAgent == null || userAgent.trim().isEmpty() || rules.isBotUserAgent(userAgent)) {
            return;
        }
        Customer customer = CustomerState.getCustomer(request);
        String email = null;
        if (customer != null && customer.isLoggedIn() && !customer.isAnonymous()) {
            email = customer.getEmailAddress();
        }
        if (blank(email)) {
            HttpSession session = request.getSession(false);
            Object known = session == null ? null : session.getAttribute(KNOWN_EMAIL);
            email = known instanceof String ? (String) known : null;
        }
        if (blank(email)) {
            Order cart = CartState.getCart();
            email = cart == null || cart instanceof NullOrderImpl ? null : cart.getEmailAddress();
        }
        if (blank(email) || email.indexOf('@') < 1 || email.trim().length() > 254) {
            return;
        }
        BroadleafRequestContext context = BroadleafRequestContext.getBroadleafRequestContext();
        String locale = context == null || context.getLocale() == null ? null : context.getLocale().getLocaleCode();
        String currency = context == null || context.getBroadleafCurrency() == null ? null
                : context.getBroadleafCurrency().getCurrencyCode();
        buffer.offer(new BrowseView(email, customer == null ? null : customer.getId(), product.getId(), locale, currency,
                clock.instant()));
    }

    private static boolean blank(String value) {
        return value == null || value.trim().isEmpty();
    }
}
