package io.github.cartrecovery.site.exitintent;

import java.io.IOException;
import java.io.StringWriter;
import java.util.Locale;
import java.util.Map;

import javax.servlet.http.HttpServletRequest;

import org.broadleafcommerce.core.order.domain.NullOrderImpl;
import org.broadleafcommerce.core.order.domain.Order;
import org.broadleafcommerce.core.order.service.type.OrderStatus;
import org.broadleafcommerce.core.web.order.CartState;
import org.broadleafcommerce.profile.core.domain.Customer;
import org.codehaus.jackson.JsonFactory;
import org.codehaus.jackson.JsonGenerator;

import io.github.cartrecovery.capture.ExitIntentSettings;
import io.github.cartrecovery.detection.ExclusionRules;

/**
 * Bean {@code crExitIntent}: decides, while a storefront page renders, whether it offers the exit-intent email dialog,
 * so a page that must not show it carries no script and costs no request. A store's template asks with
 * <pre>
 * &lt;th:block th:with="exitIntent=${@crExitIntent.offer(#httpServletRequest, #locale)}"&gt;
 *   &lt;script th:if="${exitIntent != null}" src="/cart-recovery/exit-intent.js" th:src="@{/cart-recovery/exit-intent.js}"
 *           th:attr="data-exit-intent=${exitIntent}" defer="defer"&gt;&lt;/script&gt;
 * &lt;/th:block&gt;
 * </pre>
 * The offer is JSON (endpoint, idle time, texts) that Thymeleaf escapes into the attribute. It is null, and the page gets
 * nothing, when {@code cartrecovery.capture.exit-intent.enabled} is false, the cart is missing, not open or empty, an
 * email is known (the cart's or its registered customer's), or the User-Agent is a bot by
 * {@code cartrecovery.exclusion.bot-user-agents}. The decision reads nothing from the database: every address the plugin
 * takes (checkout snippet, this dialog) is written onto Broadleaf's order too ({@code GuestEmailCapture}), so the
 * request's cart already knows it. (Reading the plugin's captured-cart record as well cost every cart page a query,
 * 10 to 14 ms of server time in {@code benchmarks/run snippet}, for no case the order does not answer.)
 */
public class ExitIntentOffers {

    private static final JsonFactory JSON = new JsonFactory();

    private final ExitIntentSettings settings;
    private final ExclusionRules rules;
    private final ExitIntentTexts texts;

    public ExitIntentOffers(ExitIntentSettings settings, ExclusionRules rules, ExitIntentTexts texts) {
        this.settings = settings;
        this.rules = rules;
        this.texts = texts;
    }

    /** The offer for this request's cart (Broadleaf's {@link CartState}), or null when the page must not get the dialog. */
    public String offer(HttpServletRequest request, Locale locale) {
        return offer(CartState.getCart(), request.getHeader("User-Agent"), locale, request.getContextPath());
    }

    /**
     * @param cart        the shopper's cart (null or a NullOrderImpl when there is none)
     * @param userAgent   the request's User-Agent (null when absent)
     * @param locale      the page's locale (the texts' language)
     * @param contextPath the site's context path ("" at the root), put before the capture endpoint
     * @return the offer as JSON, or null
     */
    public String offer(Order cart, String userAgent, Locale locale, String contextPath) {
        if (!settings.isEnabled() || userAgent == null || rules.isBotUserAgent(userAgent)) {
            return null;
        }
        if (cart == null || cart instanceof NullOrderImpl || cart.getId() == null
                || !OrderStatus.IN_PROCESS.equals(cart.getStatus())
                || cart.getOrderItems() == null || cart.getOrderItems().isEmpty()) {
            return null;
        }
        if (known(cart.getEmailAddress()) || knownCustomerEmail(cart.getCustomer())) {
            return null;
        }
        return json(contextPath == null ? "" : contextPath, texts.forLocale(locale), locale);
    }

    private static boolean knownCustomerEmail(Customer customer) {
        return customer != null && known(customer.getEmailAddress());
    }

    private static boolean known(String email) {
        return email != null && !email.trim().isEmpty();
    }

    private String json(String contextPath, Map<String, String> text, Locale locale) {
        try {
            StringWriter out = new StringWriter();
            JsonGenerator json = JSON.createJsonGenerator(out);
            json.writeStartObject();
            json.writeStringField("endpoint", contextPath + "/cart-recovery/email");
            json.writeNumberField("idleSeconds", settings.getMobileIdleSeconds());
            json.writeStringField("lang", locale == null ? "en" : locale.getLanguage());
            json.writeObjectFieldStart("texts");
            for (Map.Entry<String, String> entry : text.entrySet()) {
                json.writeStringField(entry.getKey(), entry.getValue());
            }
            json.writeEndObject();
            json.writeEndObject();
            json.close();
            return out.toString();
        } catch (IOException e) {
            throw new IllegalStateException("could not write the exit-intent offer", e);
        }
    }
}
