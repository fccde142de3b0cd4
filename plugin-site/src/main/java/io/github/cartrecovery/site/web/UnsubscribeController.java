package io.github.cartrecovery.site.web;

import java.io.IOException;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.broadleafcommerce.common.exception.ServiceException;
import org.broadleafcommerce.common.security.service.ExploitProtectionService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;

import io.github.cartrecovery.personaldata.PersonalDataMask;
import io.github.cartrecovery.consent.Unsubscriptions;
import io.github.cartrecovery.links.LinkPurpose;
import io.github.cartrecovery.links.LinkTokens;
import io.github.cartrecovery.links.SignedRecoveryLinks;
import io.github.cartrecovery.links.StoreUrls;
import io.github.cartrecovery.site.restore.LandingPages;
import io.github.cartrecovery.phone.PhoneNumbers;
import io.github.cartrecovery.sms.SmsOptOuts;
import io.github.cartrecovery.tracking.TrackedMessages;

/**
 * Unsubscribe, with the link of the email's footer and its List-Unsubscribe header.
 * <ul>
 * <li>{@code GET /cart-recovery/unsubscribe/<token>}: a page saying what will happen, with a button. GET
 * never unsubscribes (mail scanners follow links).</li>
 * <li>{@code POST} to the same URL: unsubscribes. With the RFC 8058 body {@code List-Unsubscribe=One-Click}
 * (form-urlencoded or multipart) it answers 200 with a short text and no page; otherwise the confirmation
 * page, which offers to resubscribe.</li>
 * <li>{@code POST /cart-recovery/resubscribe/<token>}: takes the unsubscribe back.</li>
 * </ul>
 * The signed token is what makes these POSTs safe from cross-site forgery (only the recipient has it);
 * the page's form also carries Broadleaf's csrfToken when the store has one. Everything is idempotent
 * ({@link Unsubscriptions}); an invalid link gets the plain 404 page and changes nothing.
 * <p>Email and text messages are separate consents: unsubscribing from email leaves texts alone, unless the shopper
 * ticks "also stop text messages" (shown when the message's cart has a phone number that is not opted out yet), which
 * opts that number out of SMS too ({@link SmsOptOuts}, reason STOP). The one-click POST never touches texts.
 */
@Controller
public class UnsubscribeController {

    public static final String PATH = "/cart-recovery/unsubscribe/{token}";
    public static final String RESUBSCRIBE_PATH = "/cart-recovery/resubscribe/{token}";

    private final LinkTokens tokens;
    private final TrackedMessages messages;
    private final Unsubscriptions unsubscriptions;
    private final Clock clock;
    private final LandingResponses responses;
    private ExploitProtectionService exploitProtection;
    private SmsOptOuts smsOptOuts;

    @Autowired
    public UnsubscribeController(@Qualifier("crLinkTokens") LinkTokens tokens,
                                 @Qualifier("crTrackedMessages") TrackedMessages messages,
                                 @Qualifier("crUnsubscriptions") Unsubscriptions unsubscriptions,
                                 @Qualifier("crClock") Clock clock,
                                 @Qualifier("crLandingPages") LandingPages pages,
                                 @Qualifier("crStoreUrls") StoreUrls store) {
        this.tokens = tokens;
        this.messages = messages;
        this.unsubscriptions = unsubscriptions;
        this.clock = clock;
        this.responses = new LandingResponses(pages, store.homePath());
    }

    /** Broadleaf's CSRF token service, when the store has one: the page's forms carry its token. */
    @Autowired(required = false)
    public void setExploitProtection(@Qualifier("blExploitProtectionService") ExploitProtectionService exploitProtection) {
        this.exploitProtection = exploitProtection;
    }

    /** The SMS opt-out list, when the store has the SMS beans: the page then offers to stop texts too. */
    @Autowired(required = false)
    public void setSmsOptOuts(@Qualifier("crSmsOptOuts") SmsOptOuts smsOptOuts) {
        this.smsOptOuts = smsOptOuts;
    }

    @RequestMapping(value = PATH, method = RequestMethod.GET)
    public void page(@PathVariable("token") String token, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        TrackedMessages.TrackedMessage message = verified(token);
        if (message == null) {
            responses.invalidLink(request, response);
            return;
        }
        Map<String, Object> variables = variables(request, token, message);
        String phone = phoneStillTexted(message.getId());
        variables.put("smsPhone", phone == null ? null : PersonalDataMask.phone(phone));
        if (unsubscriptions.isUnsubscribed(message.getId())) {
            variables.put("canResubscribe", unsubscriptions.canResubscribe(message.getId()));
            responses.page(response, HttpServletResponse.SC_OK, "unsubscribed", variables);
        } else {
            responses.page(response, HttpServletResponse.SC_OK, "unsubscribe", variables);
        }
    }

    @RequestMapping(value = PATH, method = RequestMethod.POST)
    public void unsubscribe(@PathVariable("token") String token, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        TrackedMessages.TrackedMessage message = verified(token);
        boolean oneClick = OneClickBody.isOneClick(request);
        if (message == null || unsubscriptions.unsubscribe(message.getId(), oneClick ? "one-click" : "page") < 0) {
            responses.invalidLink(request, response);
            return;
        }
        if (oneClick) {
            byte[] body = "You are unsubscribed from cart reminder emails.\n".getBytes("UTF-8");
            LandingResponses.noStore(response);
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType("text/plain;charset=UTF-8");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
            return;
        }
        Map<String, Object> variables = variables(request, token, message);
        variables.put("canResubscribe", unsubscriptions.canResubscribe(message.getId()));
        if (request.getParameter("alsoSms") != null) {
            String phone = phoneStillTexted(message.getId());
            if (phone != null) {
                smsOptOuts.optOut(phone, SmsOptOuts.STOP, "unsubscribe page (message " + message.getId() + ")");
                variables.put("smsStopped", PersonalDataMask.phone(phone));
            }
        }
        responses.page(response, HttpServletResponse.SC_OK, "unsubscribed", variables);
    }

    /** The number of the message's cart when it may still get texts; null when there is none (or no SMS beans). */
    private String phoneStillTexted(long plannedMessageId) {
        if (smsOptOuts == null) {
            return null;
        }
        String phone = smsOptOuts.phoneOfMessage(plannedMessageId);
        return phone == null || smsOptOuts.isOptedOut(phone) ? null : phone;
    }

    @RequestMapping(value = RESUBSCRIBE_PATH, method = RequestMethod.POST)
    public void resubscribe(@PathVariable("token") String token, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        TrackedMessages.TrackedMessage message = verified(token);
        if (message == null) {
            responses.invalidLink(request, response);
            return;
        }
        unsubscriptions.resubscribe(message.getId());
        responses.page(response, HttpServletResponse.SC_OK, "resubscribed", variables(request, token, message));
    }

    private TrackedMessages.TrackedMessage verified(String token) {
        Long plannedMessageId = tokens.verify(token, LinkPurpose.UNSUBSCRIBE, null, clock.instant());
        return plannedMessageId == null ? null : messages.find(plannedMessageId);
    }

    private Map<String, Object> variables(HttpServletRequest request, String token, TrackedMessages.TrackedMessage message) {
        Map<String, Object> variables = responses.variables(request);
        variables.put("maskedEmail", mask(message.getEmail()));
        variables.put("unsubscribeAction", request.getContextPath() + SignedRecoveryLinks.UNSUBSCRIBE_PATH + token);
        variables.put("resubscribeAction", request.getContextPath() + "/cart-recovery/resubscribe/" + token);
        variables.put("csrfToken", csrfToken());
        return variables;
    }

    private String csrfToken() {
        if (exploitProtection == null) {
            return null;
        }
        try {
            return exploitProtection.getCSRFToken();
        } catch (ServiceException | RuntimeException e) {
            return null;
        }
    }

    /** "jane@example.com" -> "j***@example.com": enough to recognise, not enough to harvest from a forwarded email. */
    static String mask(String email) {
        if (email == null) {
            return "";
        }
        int at = email.indexOf('@');
        if (at < 1) {
            return "***";
        }
        return email.charAt(0) + "***" + email.substring(at).toLowerCase(Locale.ROOT);
    }
}
