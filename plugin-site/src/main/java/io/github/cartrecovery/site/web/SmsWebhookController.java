package io.github.cartrecovery.site.web;

import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.net.URLDecoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;

import io.github.cartrecovery.links.StoreUrls;
import io.github.cartrecovery.sms.SmsChannel;
import io.github.cartrecovery.sms.SmsWebhooks;
import io.github.cartrecovery.sms.TwilioSignature;

/**
 * The SMS provider's webhooks ({@link SmsWebhooks}):
 * <ul>
 * <li>{@code POST /cart-recovery/sms/status?m=<planned message id>}: delivery status callbacks; answers 204.</li>
 * <li>{@code POST /cart-recovery/sms/inbound}: texts the shoppers send (STOP, START, HELP); answers TwiML.</li>
 * </ul>
 * Both are signed by the provider ({@code X-Twilio-Signature}) over the URL it called. Behind a proxy this server does
 * not see that URL, so it is rebuilt from {@code cartrecovery.links.base-url} (scheme, host, port and any path prefix)
 * plus the path within the site and the query string as received. A request without a valid signature gets 403 and
 * changes nothing. The form parameters are the request's parameters less those of the query string (the container
 * merges both; the signature covers the body's only). With SMS off both answer 404. The provider cannot send
 * Broadleaf's CSRF token: the signature is what protects these POSTs (exclude the paths from blCsrfFilter).
 */
@Controller
public class SmsWebhookController {

    private static final Log LOG = LogFactory.getLog(SmsWebhookController.class);

    private final SmsWebhooks webhooks;
    private final StoreUrls store;

    @Autowired
    public SmsWebhookController(@Qualifier("crSmsWebhooks") SmsWebhooks webhooks, @Qualifier("crStoreUrls") StoreUrls store) {
        this.webhooks = webhooks;
        this.store = store;
    }

    @RequestMapping(value = SmsChannel.STATUS_PATH, method = RequestMethod.POST)
    public void status(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Map<String, List<String>> form = verifiedForm(request, response);
        if (form == null) {
            return;
        }
        Long plannedMessageId = messageId(request.getParameter("m"));
        if (plannedMessageId != null) {
            webhooks.status(plannedMessageId, single(form));
        }
        LandingResponses.noStore(response);
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }

    @RequestMapping(value = SmsChannel.INBOUND_PATH, method = RequestMethod.POST)
    public void inbound(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Map<String, List<String>> form = verifiedForm(request, response);
        if (form == null) {
            return;
        }
        byte[] twiml = webhooks.inbound(single(form)).getBytes("UTF-8");
        LandingResponses.noStore(response);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("text/xml;charset=UTF-8");
        response.setContentLength(twiml.length);
        response.getOutputStream().write(twiml);
    }

    /** The POST parameters when the request is the provider's; null after answering 404 or 403. */
    private Map<String, List<String>> verifiedForm(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!webhooks.isEnabled()) {
            plain(response, HttpServletResponse.SC_NOT_FOUND, "SMS is not enabled\n");
            return null;
        }
        Map<String, List<String>> form = postParameters(request);
        String url = calledUrl(request);
        if (!webhooks.verified(url, form, request.getHeader(TwilioSignature.HEADER))) {
            LOG.warn("Refused an unsigned or forged SMS webhook request to " + request.getRequestURI());
            plain(response, HttpServletResponse.SC_FORBIDDEN, "Invalid signature\n");
            return null;
        }
        return form;
    }

    /** The URL the provider called: the store's public base URL, the path within the site and the query as received. */
    String calledUrl(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String contextPath = request.getContextPath() == null ? "" : request.getContextPath();
        String path = uri.startsWith(contextPath) ? uri.substring(contextPath.length()) : uri;
        String query = request.getQueryString();
        return store.baseUrl() + path + (query == null ? "" : "?" + query);
    }

    /** The request's parameters less the query string's (the servlet container lists those first under each name). */
    static Map<String, List<String>> postParameters(HttpServletRequest request) throws UnsupportedEncodingException {
        Map<String, Integer> inQuery = new HashMap<String, Integer>();
        String query = request.getQueryString();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), "UTF-8");
                Integer count = inQuery.get(name);
                inQuery.put(name, count == null ? 1 : count + 1);
            }
        }
        Map<String, List<String>> form = new LinkedHashMap<String, List<String>>();
        for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
            List<String> values = new ArrayList<String>(Arrays.asList(parameter.getValue()));
            Integer skip = inQuery.get(parameter.getKey());
            if (skip != null) {
                values = new ArrayList<String>(values.subList(Math.min(skip, values.size()), values.size()));
            }
            if (!values.isEmpty()) {
                form.put(parameter.getKey(), values);
            }
        }
        return form;
    }

    private static Map<String, String> single(Map<String, List<String>> form) {
        Map<String, String> single = new HashMap<String, String>();
        for (Map.Entry<String, List<String>> parameter : form.entrySet()) {
            single.put(parameter.getKey(), parameter.getValue().get(0));
        }
        return single;
    }

    private static Long messageId(String value) {
        if (value == null || !value.matches("[0-9]{1,18}")) {
            return null;
        }
        return Long.valueOf(value);
    }

    private static void plain(HttpServletResponse response, int status, String text) throws IOException {
        byte[] body = text.getBytes("UTF-8");
        LandingResponses.noStore(response);
        response.setStatus(status);
        response.setContentType("text/plain;charset=UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
