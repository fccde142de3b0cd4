package io.github.cartrecovery.site.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.http.HttpSession;

import org.broadleafcommerce.core.order.domain.Order;
import org.broadleafcommerce.core.web.order.CartState;
import org.codehaus.jackson.JsonFactory;
import org.codehaus.jackson.JsonGenerator;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;

import io.github.cartrecovery.capture.GuestEmailCapture;
import io.github.cartrecovery.capture.GuestEmailCaptureLimits;
import io.github.cartrecovery.capture.InvalidEmailAddressException;
import io.github.cartrecovery.capture.PhoneCapture;
import io.github.cartrecovery.phone.InvalidPhoneNumberException;
import io.github.cartrecovery.site.browse.ProductViewRecorder;

/**
 * Storefront edge of guest email and phone capture. {@code POST /cart-recovery/email} attaches an address and the
 * shopper's marketing consent, and/or a phone number and the shopper's SMS consent (a separate box), to the cart
 * Broadleaf resolved for this request ({@link CartState}).
 * <p>
 * Answers: 204 with no body whenever everything sent was taken, whether or not it was known before;
 * 400 (bad JSON, missing or invalid email, invalid phone, SMS consent without a phone, bad consent), 403 (no shopper
 * session), 404 (no cart), 409 (cart already checked out), 413 (body too large), 415 (other content type), 429 (rate
 * limited), each with {@code {"error": ..., "field": ..., "rule": ..., "message": ...}}. Every refusal of the request
 * happens before anything is written.
 * <p>
 * The email part (email, consent) and the phone part (phone, smsConsent) are validated first and taken each on its
 * own, so one bad part never costs the other: when one part is refused and the other is valid, the valid part is
 * written and the answer is the refused part's 400 with {@code "accepted": [...]} naming the fields that were taken
 * (a client resends only the refused part; resending the whole request changes nothing twice). When no part is
 * valid, nothing is written. {@code GET /cart-recovery/capture.js} serves the browser snippet, {@code GET
 * /cart-recovery/exit-intent.js} the exit-intent dialog (see {@code site.exitintent.ExitIntentOffers}).
 */
@Controller
public class GuestEmailCaptureController {

    public static final String ENDPOINT = "/cart-recovery/email";
    public static final String SNIPPET = "/cart-recovery/capture.js";
    private static final String SNIPPET_RESOURCE = "cartrecovery/capture.js";
    /** The exit-intent dialog's script; pages get its tag only when bean crExitIntent offers the dialog. */
    public static final String EXIT_INTENT = "/cart-recovery/exit-intent.js";
    private static final String EXIT_INTENT_RESOURCE = "cartrecovery/exit-intent.js";
    private static final int SC_TOO_MANY_REQUESTS = 429;
    private static final JsonFactory JSON = new JsonFactory();

    private final GuestEmailCapture capture;
    private final PhoneCapture phoneCapture;
    private final GuestEmailCaptureLimits limits;
    private final CaptureRequestReader reader;
    private final byte[] snippet;
    private final byte[] exitIntent;

    @Autowired
    public GuestEmailCaptureController(@Qualifier("crGuestEmailCapture") GuestEmailCapture capture,
                                       @Qualifier("crPhoneCapture") PhoneCapture phoneCapture,
                                       @Qualifier("crGuestEmailCaptureLimits") GuestEmailCaptureLimits limits) {
        this.capture = capture;
        this.phoneCapture = phoneCapture;
        this.limits = limits;
        this.reader = new CaptureRequestReader(limits.getMaxBodyBytes());
        this.snippet = load(SNIPPET_RESOURCE);
        this.exitIntent = load(EXIT_INTENT_RESOURCE);
    }

    @RequestMapping(value = ENDPOINT, method = RequestMethod.POST)
    public void captureEmail(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            reader.checkHeaders(request);
            if (!limits.getPerClientIp().tryAcquire(request.getRemoteAddr())) {
                throw new RejectedRequest(SC_TOO_MANY_REQUESTS, "client_ip", "rate_limit",
                        "too many requests from this address; try again later");
            }
            HttpSession session = request.getSession(false);
            if (session == null || session.isNew()) {
                // Broadleaf's filters create a session for every visitor; a new one means the browser sent no cookie.
                throw new RejectedRequest(HttpServletResponse.SC_FORBIDDEN, "session", "required",
                        "a shopper session is required: send the session cookie");
            }
            if (!limits.getPerSession().tryAcquire(session.getId())) {
                throw new RejectedRequest(SC_TOO_MANY_REQUESTS, "session", "rate_limit",
                        "too many requests from this session; try again later");
            }
            CaptureRequest sent = reader.read(request);
            try {
                capture(CartState.getCart(), sent);
            } catch (PartlyAccepted e) {
                if (e.accepted.contains("email")) {
                    rememberEmail(session, sent);
                }
                throw e;
            }
            if (sent.hasEmailPart()) {
                rememberEmail(session, sent);
            }
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
        } catch (RejectedRequest e) {
            writeError(response, e, Collections.<String>emptyList());
        } catch (PartlyAccepted e) {
            writeError(response, e.refused, e.accepted);
        }
    }

    /**
     * Validates both parts, then writes the valid ones; returns when everything sent was taken.
     *
     * @throws RejectedRequest when nothing was written
     * @throws PartlyAccepted  when one part was written and the other refused
     */
    private void capture(Order cart, CaptureRequest sent) {
        boolean emailPart = sent.hasEmailPart() || !sent.hasPhonePart(); // an empty request lacks an email
        boolean phonePart = sent.hasPhonePart();
        RejectedRequest emailRefused = null;
        RejectedRequest phoneRefused = null;
        if (emailPart) {
            try {
                capture.check(sent.email());
            } catch (InvalidEmailAddressException e) {
                emailRefused = new RejectedRequest(HttpServletResponse.SC_BAD_REQUEST, "email", e.getRule().code(), e.getRule().message());
            }
        }
        if (phonePart) {
            try {
                phoneCapture.check(cart, sent.phone(), sent.smsConsent());
            } catch (InvalidPhoneNumberException e) {
                phoneRefused = new RejectedRequest(HttpServletResponse.SC_BAD_REQUEST, "phone", e.getRule().code(), e.getRule().message());
            }
        }
        boolean emailTaken = emailPart && emailRefused == null;
        boolean phoneTaken = phonePart && phoneRefused == null;
        if (!emailTaken && !phoneTaken) {
            throw emailRefused != null ? emailRefused : phoneRefused;
        }
        List<String> accepted = new ArrayList<String>(4);
        if (emailTaken) {
            answer(capture.capture(cart, sent.email(), sent.consent()));
            accepted.add("email");
            if (sent.consent() != null) {
                accepted.add("consent");
            }
        }
        if (phoneTaken) {
            answer(phoneCapture.capture(cart, sent.phone(), sent.smsConsent()));
            if (sent.phone() != null && !sent.phone().trim().isEmpty()) {
                accepted.add("phone");
            }
            if (sent.smsConsent() != null) {
                accepted.add("smsConsent");
            }
        }
        RejectedRequest refused = emailRefused != null ? emailRefused : phoneRefused;
        if (refused != null) {
            throw new PartlyAccepted(refused, accepted);
        }
    }

    /** The shopper is known from now on in this session: browse abandonment may record their product views. */
    private static void rememberEmail(HttpSession session, CaptureRequest sent) {
        if (sent.email() != null && !sent.email().trim().isEmpty()) {
            session.setAttribute(ProductViewRecorder.KNOWN_EMAIL, sent.email().trim());
        }
    }

    private static void answer(GuestEmailCapture.Result result) {
        switch (result) {
            case NO_CART:
                throw new RejectedRequest(HttpServletResponse.SC_NOT_FOUND, "cart", "exists", "this session has no cart");
            case CART_NOT_OPEN:
                throw new RejectedRequest(HttpServletResponse.SC_CONFLICT, "cart", "open",
                        "this session's cart is already checked out");
            default:
                // taken
        }
    }

    /** One part of the request was written, the other refused. */
    private static final class PartlyAccepted extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final RejectedRequest refused;
        private final List<String> accepted;

        PartlyAccepted(RejectedRequest refused, List<String> accepted) {
            super(refused.getMessage(), null, false, false);
            this.refused = refused;
            this.accepted = accepted;
        }
    }

    @RequestMapping(value = SNIPPET, method = RequestMethod.GET)
    public void snippet(HttpServletResponse response) throws IOException {
        serveScript(response, snippet);
    }

    @RequestMapping(value = EXIT_INTENT, method = RequestMethod.GET)
    public void exitIntent(HttpServletResponse response) throws IOException {
        serveScript(response, exitIntent);
    }

    private static void serveScript(HttpServletResponse response, byte[] snippet) throws IOException {
        response.setContentType("application/javascript;charset=UTF-8");
        response.setHeader("Cache-Control", "public, max-age=3600");
        response.setContentLength(snippet.length);
        OutputStream out = response.getOutputStream();
        out.write(snippet);
        out.flush();
    }

    private void writeError(HttpServletResponse response, RejectedRequest rejected, List<String> accepted) throws IOException {
        if (rejected.status() == SC_TOO_MANY_REQUESTS) {
            response.setHeader("Retry-After", String.valueOf(limits.getPerSession().getWindowSeconds()));
        }
        StringWriter json = new StringWriter();
        JsonGenerator generator = JSON.createJsonGenerator(json);
        generator.writeStartObject();
        generator.writeStringField("error", errorName(rejected.status()));
        generator.writeStringField("field", rejected.field());
        generator.writeStringField("rule", rejected.rule());
        generator.writeStringField("message", rejected.getMessage());
        if (!accepted.isEmpty()) {
            generator.writeArrayFieldStart("accepted");
            for (String field : accepted) {
                generator.writeString(field);
            }
            generator.writeEndArray();
        }
        generator.writeEndObject();
        generator.close();
        byte[] body = json.toString().getBytes("UTF-8");
        response.setStatus(rejected.status());
        response.setContentType("application/json;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static String errorName(int status) {
        switch (status) {
            case 400: return "bad_request";
            case 403: return "forbidden";
            case 404: return "not_found";
            case 409: return "conflict";
            case 413: return "payload_too_large";
            case 415: return "unsupported_media_type";
            case 429: return "too_many_requests";
            default: return "error";
        }
    }

    private static byte[] load(String resource) {
        InputStream in = GuestEmailCaptureController.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("classpath resource " + resource + " is missing from cart-recovery-site");
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] chunk = new byte[4096];
            int read;
            while ((read = in.read(chunk)) > 0) {
                out.write(chunk, 0, read);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("could not read " + resource, e);
        } finally {
            try {
                in.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }
}
