package io.github.cartrecovery.site.guestemail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;

import javax.annotation.Resource;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.FilterConfig;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.broadleafcommerce.common.web.BroadleafRequestContext;
import org.broadleafcommerce.core.order.domain.NullOrderImpl;
import org.broadleafcommerce.core.order.domain.Order;
import org.broadleafcommerce.core.order.domain.OrderImpl;
import org.broadleafcommerce.core.order.service.OrderService;
import org.broadleafcommerce.core.order.service.type.OrderStatus;
import org.broadleafcommerce.core.web.order.CartState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.mock.web.MockServletContext;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.support.XmlWebApplicationContext;

import io.github.cartrecovery.capture.CaptureBuffer;
import io.github.cartrecovery.capture.CapturedCart;
import io.github.cartrecovery.capture.CapturedCartStore;
import io.github.cartrecovery.capture.GuestEmailCapture;
import io.github.cartrecovery.capture.GuestEmailCaptureLimits;
import io.github.cartrecovery.capture.MarketingConsent;
import io.github.cartrecovery.capture.PhoneCapture;
import io.github.cartrecovery.capture.SmsConsent;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;
import io.github.cartrecovery.site.web.GuestEmailCaptureController;

/**
 * POST /cart-recovery/email inside Broadleaf with the plugin: the controller is wired from the real
 * context's beans; a test filter plays Broadleaf's cart-state filter (puts the shopper's cart on the
 * request). Every refusal is checked for its status, its error and for having written nothing.
 * (Tests live outside {@code io.github.cartrecovery.site.web}: the site's servlet file scans that package
 * and Spring 3.2 cannot read Java 17 class files.)
 */
@BroadleafWithPlugin
class GuestEmailCaptureIT {

    private static final String BEFORE = "before@example.com";
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    @Resource(name = "crGuestEmailCapture")
    GuestEmailCapture guestEmailCapture;

    @Resource(name = "crPhoneCapture")
    PhoneCapture phoneCapture;

    @Resource(name = "crGuestEmailCaptureLimits")
    GuestEmailCaptureLimits limits;

    @Resource(name = "crCaptureBuffer")
    CaptureBuffer captureBuffer;

    @Resource(name = "crCapturedCartStore")
    CapturedCartStore capturedCarts;

    @Resource(name = "blOrderService")
    OrderService orderService;

    private final ShopperCart shopperCart = new ShopperCart();
    private MockMvc mvc;
    private MockHttpSession session;
    private String clientIp;
    private Order cart;

    @BeforeEach
    void shopperWithACart(PluginContext broadleaf) {
        mvc = MockMvcBuilders.standaloneSetup(new GuestEmailCaptureController(guestEmailCapture, phoneCapture, limits))
                .addFilters(shopperCart)
                .build();
        session = returningSession();
        clientIp = "10.0.0." + CLIENTS.incrementAndGet();
        cart = broadleaf.store().cartWithEmail(BEFORE);
        shopperCart.current = cart;
        captureBuffer.flush();
    }

    // ---- success ----

    @Test
    void jsonPostAttachesTheAddressToTheBroadleafOrder() throws Exception {
        MockHttpServletResponse response = send(json("{\"email\": \" Jane.Doe@Example.COM \"}"));

        assertThat(response.getStatus()).isEqualTo(204);
        assertThat(response.getContentAsString()).isEmpty();
        assertThat(orderService.findOrderById(cart.getId()).getEmailAddress()).isEqualTo("Jane.Doe@example.com");
        captureBuffer.flush();
        assertThat(capturedCarts.find(cart.getId()).getEmail()).isEqualTo("Jane.Doe@example.com");
    }

    @Test
    void aTakenAddressMakesTheSessionKnownForBrowseAbandonmentARefusedOneDoesNot() throws Exception {
        send(json("{\"email\": \"not an address\"}"));
        assertThat(session.getAttribute(io.github.cartrecovery.site.browse.ProductViewRecorder.KNOWN_EMAIL)).isNull();

        send(json("{\"email\": \" Jane.Doe@Example.COM \"}"));

        assertThat(session.getAttribute(io.github.cartrecovery.site.browse.ProductViewRecorder.KNOWN_EMAIL))
                .isEqualTo("Jane.Doe@Example.COM");
    }

    @Test
    void jsonConsentTrueIsRecordedAsGranted() throws Exception {
        assertThat(send(json("{\"email\": \"jane@example.com\", \"consent\": true}")).getStatus()).isEqualTo(204);

        captureBuffer.flush();
        assertThat(capturedCarts.find(cart.getId()).getMarketingConsent()).isEqualTo(MarketingConsent.GRANTED);
    }

    @Test
    void jsonConsentFalseIsRecordedAsDenied() throws Exception {
        assertThat(send(json("{\"email\": \"jane@example.com\", \"consent\": false}")).getStatus()).isEqualTo(204);

        captureBuffer.flush();
        assertThat(capturedCarts.find(cart.getId()).getMarketingConsent()).isEqualTo(MarketingConsent.DENIED);
    }

    @Test
    void formPostWithTickedBoxAttachesTheAddressAndRecordsGranted() throws Exception {
        MockHttpServletResponse response = send(form().param("email", "form@example.com").param("consent", "on"));

        assertThat(response.getStatus()).isEqualTo(204);
        assertThat(orderService.findOrderById(cart.getId()).getEmailAddress()).isEqualTo("form@example.com");
        captureBuffer.flush();
        CapturedCart captured = capturedCarts.find(cart.getId());
        assertThat(captured.getEmail()).isEqualTo("form@example.com");
        assertThat(captured.getMarketingConsent()).isEqualTo(MarketingConsent.GRANTED);
    }

    @Test
    void absentConsentIsNeverRecordedAsGranted() throws Exception {
        assertThat(send(form().param("email", "first@example.com").param("consent", "on")).getStatus()).isEqualTo(204);
        assertThat(send(form().param("email", "second@example.com")).getStatus()).isEqualTo(204);

        captureBuffer.flush();
        CapturedCart captured = capturedCarts.find(cart.getId());
        assertThat(captured.getEmail()).isEqualTo("second@example.com");
        assertThat(captured.getMarketingConsent()).isEqualTo(MarketingConsent.UNKNOWN);
    }

    @Test
    void grantedConsentSurvivesLaterCartChanges(PluginContext broadleaf) throws Exception {
        assertThat(send(json("{\"email\": \"jane@example.com\", \"consent\": true}")).getStatus()).isEqualTo(204);
        captureBuffer.flush();

        broadleaf.store().add(orderService.findOrderById(cart.getId()), broadleaf.store().product("Tea Towel", "8.00"), 1);
        captureBuffer.flush();

        CapturedCart captured = capturedCarts.find(cart.getId());
        assertThat(captured.getItemCount()).isEqualTo(1);
        assertThat(captured.getMarketingConsent()).isEqualTo(MarketingConsent.GRANTED);
    }

    @Test
    void aKnownAndAnUnknownAddressGetTheSameAnswer(PluginContext broadleaf) throws Exception {
        broadleaf.store().cartWithEmail("known@example.com");

        MockHttpServletResponse known = send(json("{\"email\": \"known@example.com\"}"));
        MockHttpServletResponse unknown = send(json("{\"email\": \"never-seen@example.com\"}"));

        assertThat(known.getStatus()).isEqualTo(unknown.getStatus()).isEqualTo(204);
        assertThat(known.getContentAsString()).isEqualTo(unknown.getContentAsString()).isEmpty();
        assertThat(known.getHeaderNames()).isEqualTo(unknown.getHeaderNames());
    }

    // ---- bad input: clear 4xx, nothing written ----

    @Test
    void malformedJsonIsRefused() throws Exception {
        assertRefused(send(json("{\"email\": \"jane@example.com\"")), 400, "body", "json",
                "request body must be a JSON object like {\"email\": \"name@example.com\", \"consent\": true}");
    }

    @Test
    void jsonThatIsNotAnObjectIsRefused() throws Exception {
        assertRefused(send(json("[\"jane@example.com\"]")), 400, "body", "json",
                "request body must be a JSON object like {\"email\": \"name@example.com\", \"consent\": true}");
    }

    @Test
    void emptyBodyIsRefused() throws Exception {
        assertRefused(send(json("")), 400, "body", "json",
                "request body must be a JSON object like {\"email\": \"name@example.com\", \"consent\": true}");
    }

    @Test
    void missingEmailIsRefused() throws Exception {
        assertRefused(send(json("{\"consent\": true}")), 400, "email", "required", "email is required");
    }

    @Test
    void missingEmailInAFormIsRefused() throws Exception {
        assertRefused(send(form().param("consent", "on")), 400, "email", "required", "email is required");
    }

    @Test
    void emailThatIsNotAStringIsRefused() throws Exception {
        assertRefused(send(json("{\"email\": 42}")), 400, "email", "string", "email must be a string");
    }

    @Test
    void consentThatIsNotABooleanIsRefused() throws Exception {
        assertRefused(send(json("{\"email\": \"jane@example.com\", \"consent\": \"yes please\"}")), 400,
                "consent", "boolean", "consent must be true or false");
    }

    @Test
    void aTenKilobyteEmailIsRefusedBeforeTheBodyIsRead() throws Exception {
        String huge = "x".repeat(10 * 1024) + "@example.com";
        assertRefused(send(json("{\"email\": \"" + huge + "\"}")), 413, "body", "max_bytes",
                "request body must be at most " + limits.getMaxBodyBytes() + " bytes");
    }

    @Test
    void anEmailLongerThan254CharactersIsRefused() throws Exception {
        String tooLong = "x".repeat(243) + "@example.com";
        assertThat(tooLong).hasSize(255);
        assertRefused(send(json("{\"email\": \"" + tooLong + "\"}")), 400, "email", "max_length",
                "email must be at most 254 characters");
    }

    @Test
    void crLfInJsonIsRefused() throws Exception {
        assertRefused(send(json("{\"email\": \"jane@example.com\\r\\nBcc: victim@example.com\"}")), 400,
                "email", "no_control_characters", "email must not contain control characters (CR, LF, NUL, tab...)");
    }

    @Test
    void crLfInAFormIsRefused() throws Exception {
        assertRefused(send(form().param("email", "jane@example.com\r\n")), 400,
                "email", "no_control_characters", "email must not contain control characters (CR, LF, NUL, tab...)");
    }

    @Test
    void aSecondAddressIsRefused() throws Exception {
        assertRefused(send(json("{\"email\": \"jane@example.com, victim@example.com\"}")), 400,
                "email", "no_header_specials", "email must not contain spaces or any of \" ( ) , : ; < > [ \\ ]");
    }

    @Test
    void invalidSyntaxIsRefused() throws Exception {
        assertRefused(send(json("{\"email\": \"jane@example\"}")), 400, "email", "syntax",
                "email must be an address like name@example.com");
    }

    @Test
    void otherContentTypesAreRefused() throws Exception {
        assertRefused(send(post(GuestEmailCaptureController.ENDPOINT).contentType(MediaType.TEXT_PLAIN)
                        .content("jane@example.com")), 415, "Content-Type", "supported",
                "Content-Type must be application/json or application/x-www-form-urlencoded");
    }

    @Test
    void noCartIsRefused() throws Exception {
        shopperCart.current = new NullOrderImpl();
        assertRefused(send(json("{\"email\": \"jane@example.com\"}")), 404, "cart", "exists", "this session has no cart");
    }

    @Test
    void anUnknownCartIsRefused() throws Exception {
        OrderImpl unknown = new OrderImpl();
        unknown.setId(cart.getId() + 1_000_000L);
        unknown.setStatus(OrderStatus.IN_PROCESS);
        shopperCart.current = unknown;
        assertRefused(send(json("{\"email\": \"jane@example.com\"}")), 404, "cart", "exists", "this session has no cart");
        assertThat(orderService.findOrderById(unknown.getId())).as("the unknown cart was not created").isNull();
    }

    @Test
    void aCheckedOutCartIsRefused() throws Exception {
        Order submitted = orderService.findOrderById(cart.getId());
        submitted.setStatus(OrderStatus.SUBMITTED);
        submitted.setSubmitDate(new Date());
        cart = orderService.save(submitted, false);
        shopperCart.current = cart;
        captureBuffer.flush();

        assertRefused(send(json("{\"email\": \"jane@example.com\"}")), 409, "cart", "open",
                "this session's cart is already checked out");
    }

    @Test
    void aRequestWithoutASessionIsRefused() throws Exception {
        MockHttpServletResponse response = perform(json("{\"email\": \"jane@example.com\"}"));
        assertRefused(response, 403, "session", "required", "a shopper session is required: send the session cookie");
    }

    @Test
    void aSessionTheBrowserNeverSentBackIsRefused() throws Exception {
        MockHttpSession fresh = new MockHttpSession() {
            @Override
            public boolean isNew() {
                return true;    // a container's session created during this request (MockHttpSession clears it on access)
            }
        };
        MockHttpServletResponse response = perform(json("{\"email\": \"jane@example.com\"}").session(fresh));
        assertRefused(response, 403, "session", "required", "a shopper session is required: send the session cookie");
    }

    // ---- phone and SMS consent (issue 16) ----

    @Test
    void aGoodPhoneIsStoredInE164WithItsOwnConsent() throws Exception {
        MockHttpServletResponse response = send(json(
                "{\"email\": \"jane@example.com\", \"phone\": \"+1 (201) 555-0123\", \"smsConsent\": true}"));

        assertThat(response.getStatus()).isEqualTo(204);
        captureBuffer.flush();
        CapturedCart captured = capturedCarts.find(cart.getId());
        assertThat(captured.getPhone()).isEqualTo("+12015550123");
        assertThat(captured.getSmsConsent()).isEqualTo(SmsConsent.GRANTED);
        assertThat(captured.getSmsConsentAt()).isNotNull();
        assertThat(captured.getEmail()).isEqualTo("jane@example.com");
        assertThat(captured.getMarketingConsent()).as("the SMS box says nothing about email").isEqualTo(MarketingConsent.UNKNOWN);
    }

    @Test
    void aFormPostWithTheSmsBoxTickedGrantsSmsConsent() throws Exception {
        MockHttpServletResponse response = send(form().param("phone", "0044 7400 123456").param("smsConsent", "on"));

        assertThat(response.getStatus()).isEqualTo(204);
        captureBuffer.flush();
        CapturedCart captured = capturedCarts.find(cart.getId());
        assertThat(captured.getPhone()).isEqualTo("+447400123456");
        assertThat(captured.getSmsConsent()).isEqualTo(SmsConsent.GRANTED);
    }

    @Test
    void aPhoneAloneLeavesTheEmailAndItsConsentAsTheyWere() throws Exception {
        assertThat(send(json("{\"email\": \"jane@example.com\", \"consent\": true}")).getStatus()).isEqualTo(204);

        assertThat(send(json("{\"phone\": \"+44 7400 123456\", \"smsConsent\": false}")).getStatus()).isEqualTo(204);

        captureBuffer.flush();
        CapturedCart captured = capturedCarts.find(cart.getId());
        assertThat(orderService.findOrderById(cart.getId()).getEmailAddress()).isEqualTo("jane@example.com");
        assertThat(captured.getMarketingConsent()).isEqualTo(MarketingConsent.GRANTED);
        assertThat(captured.getSmsConsent()).isEqualTo(SmsConsent.DENIED);
    }

    @Test
    void theEmailBoxLeavesSmsConsentAlone() throws Exception {
        assertThat(send(json("{\"phone\": \"+44 7400 123456\", \"smsConsent\": true}")).getStatus()).isEqualTo(204);
        captureBuffer.flush();

        assertThat(send(json("{\"email\": \"jane@example.com\", \"consent\": false}")).getStatus()).isEqualTo(204);

        captureBuffer.flush();
        CapturedCart captured = capturedCarts.find(cart.getId());
        assertThat(captured.getMarketingConsent()).isEqualTo(MarketingConsent.DENIED);
        assertThat(captured.getSmsConsent()).isEqualTo(SmsConsent.GRANTED);
    }

    @Test
    void untickingTheSmsBoxLaterWithdrawsConsentAndKeepsTheNumber() throws Exception {
        assertThat(send(form().param("phone", "+44 7400 123456").param("smsConsent", "on")).getStatus()).isEqualTo(204);
        captureBuffer.flush();

        assertThat(send(form().param("smsConsent", "false")).getStatus()).isEqualTo(204);

        captureBuffer.flush();
        CapturedCart captured = capturedCarts.find(cart.getId());
        assertThat(captured.getSmsConsent()).isEqualTo(SmsConsent.DENIED);
        assertThat(captured.getSmsConsentAt()).isNotNull();
        assertThat(captured.getPhone()).isEqualTo("+447400123456");
    }

    @Test
    void aBadPhoneIsRefusedAndTheEmailPartOfTheSameRequestIsKept() throws Exception {
        MockHttpServletResponse response = send(json("{\"email\": \"jane@example.com\", \"consent\": true, "
                + "\"phone\": \"call me maybe\", \"smsConsent\": true}"));

        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(response.getContentAsString()).isEqualTo("{\"error\":\"bad_request\",\"field\":\"phone\",\"rule\":\"characters\","
                + "\"message\":\"phone may contain only digits, spaces and + - . ( ) /, with + only at the start\","
                + "\"accepted\":[\"email\",\"consent\"]}");
        assertThat(orderService.findOrderById(cart.getId()).getEmailAddress()).isEqualTo("jane@example.com");
        captureBuffer.flush();
        CapturedCart captured = capturedCarts.find(cart.getId());
        assertThat(captured.getMarketingConsent()).isEqualTo(MarketingConsent.GRANTED);
        assertThat(captured.getPhone()).isNull();
        assertThat(captured.getSmsConsent()).isEqualTo(SmsConsent.UNKNOWN);
    }

    @Test
    void aBadEmailIsRefusedAndThePhonePartOfTheSameRequestIsKept() throws Exception {
        MockHttpServletResponse response = send(form().param("email", "jane@example").param("phone", "+44 7400 123456")
                .param("smsConsent", "on"));

        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(response.getContentAsString()).contains("\"field\":\"email\",\"rule\":\"syntax\"")
                .endsWith("\"accepted\":[\"phone\",\"smsConsent\"]}");
        assertThat(orderService.findOrderById(cart.getId()).getEmailAddress()).isEqualTo(BEFORE);
        captureBuffer.flush();
        assertThat(capturedCarts.find(cart.getId()).getSmsConsent()).isEqualTo(SmsConsent.GRANTED);
    }

    @Test
    void aBadPhoneAloneWritesNothing() throws Exception {
        assertRefused(send(json("{\"phone\": \"+44 12\", \"smsConsent\": true}")), 400, "phone", "too_short",
                "phone has too few digits for a number of its country");
    }

    @Test
    void aLandlineIsRefused() throws Exception {
        assertRefused(send(json("{\"phone\": \"+44 121 234 5678\", \"smsConsent\": true}")), 400, "phone", "mobile",
                "phone must be a mobile number that can receive text messages");
    }

    @Test
    void aPhoneLongerThanTheLimitIsRefused() throws Exception {
        assertRefused(send(json("{\"phone\": \"+44 7400 123456" + " ".repeat(20) + "7\"}")), 400, "phone", "max_length",
                "phone must be at most 32 characters");
    }

    @Test
    void smsConsentWithoutAPhoneIsRefused() throws Exception {
        assertRefused(send(form().param("smsConsent", "on")), 400, "phone", "required",
                "phone is required when smsConsent is true");
    }

    @Test
    void smsConsentWithoutAPhoneNextToAnEmailIsRefusedAndTheEmailKept() throws Exception {
        MockHttpServletResponse response = send(json("{\"email\": \"jane@example.com\", \"smsConsent\": true}"));

        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(response.getContentAsString()).contains("\"field\":\"phone\",\"rule\":\"required\"")
                .endsWith("\"accepted\":[\"email\"]}");
        captureBuffer.flush();
        assertThat(capturedCarts.find(cart.getId()).getSmsConsent()).isEqualTo(SmsConsent.UNKNOWN);
    }

    @Test
    void aPhoneThatIsNotAStringIsRefused() throws Exception {
        assertRefused(send(json("{\"email\": \"jane@example.com\", \"phone\": 2015550123}")), 400, "phone", "string",
                "phone must be a string");
    }

    @Test
    void smsConsentThatIsNotABooleanIsRefused() throws Exception {
        assertRefused(send(json("{\"phone\": \"+447400123456\", \"smsConsent\": \"yes\"}")), 400, "smsConsent", "boolean",
                "smsConsent must be true or false");
    }

    // ---- rate limits ----

    @Test
    void theRequestAfterTheSessionLimitGets429() throws Exception {
        int limit = limits.getPerSession().getPermits();
        for (int i = 0; i < limit; i++) {
            assertThat(send(json("{\"email\": \"jane@example.com\"}")).getStatus()).as("request %d", i + 1).isEqualTo(204);
        }
        captureBuffer.flush();

        MockHttpServletResponse refused = send(json("{\"email\": \"other@example.com\", \"consent\": true}"));

        assertThat(refused.getHeader("Retry-After")).isEqualTo(String.valueOf(limits.getPerSession().getWindowSeconds()));
        assertRefusedWithoutWriting(refused, 429, "session", "rate_limit",
                "too many requests from this session; try again later", "jane@example.com");
    }

    @Test
    void theRequestAfterTheClientIpLimitGets429() throws Exception {
        int limit = limits.getPerClientIp().getPermits();
        for (int i = 0; i < limit; i++) {
            session = returningSession();   // many shoppers behind one address: only the IP limit applies
            assertThat(send(json("{\"email\": \"not-an-address\"}")).getStatus()).as("request %d", i + 1).isEqualTo(400);
        }
        session = returningSession();

        assertRefused(send(json("{\"email\": \"jane@example.com\"}")), 429, "client_ip", "rate_limit",
                "too many requests from this address; try again later");
    }

    // ---- the site's servlet file ----

    @Test
    void theSitesServletFileWiresTheEndpointUnderBroadleafsRootContext(PluginContext broadleaf) throws Exception {
        XmlWebApplicationContext servlet = new XmlWebApplicationContext();
        servlet.setParent(broadleaf.context());
        servlet.setServletContext(new MockServletContext());
        servlet.setConfigLocation("classpath:/bl-cartrecovery-site-applicationContext-servlet.xml");
        servlet.refresh();
        try {
            MockMvc site = MockMvcBuilders.webAppContextSetup(servlet).addFilters(shopperCart).build();

            MockHttpServletResponse script = site.perform(get(GuestEmailCaptureController.SNIPPET)).andReturn().getResponse();
            assertThat(script.getStatus()).isEqualTo(200);
            assertThat(script.getContentType()).startsWith("application/javascript");
            assertThat(script.getContentAsString()).contains("CartRecovery.captureEmail");

            MockHttpServletResponse captured = site.perform(form().param("email", "wired@example.com").param("consent", "on")
                    .session(session).with(r -> { r.setRemoteAddr(clientIp); return r; })).andReturn().getResponse();
            assertThat(captured.getStatus()).isEqualTo(204);
            assertThat(orderService.findOrderById(cart.getId()).getEmailAddress()).isEqualTo("wired@example.com");
        } finally {
            servlet.close();
        }
    }

    // ---- helpers ----

    private MockHttpServletResponse send(MockHttpServletRequestBuilder request) throws Exception {
        return perform(request.session(session));
    }

    private MockHttpServletResponse perform(MockHttpServletRequestBuilder request) throws Exception {
        String ip = clientIp;
        return mvc.perform(request.with(r -> {
            r.setRemoteAddr(ip);
            return r;
        })).andReturn().getResponse();
    }

    private static MockHttpServletRequestBuilder json(String body) {
        return post(GuestEmailCaptureController.ENDPOINT).contentType(MediaType.APPLICATION_JSON)
                .content(body.getBytes(StandardCharsets.UTF_8));
    }

    private static MockHttpServletRequestBuilder form() {
        return post(GuestEmailCaptureController.ENDPOINT).contentType(MediaType.APPLICATION_FORM_URLENCODED);
    }

    private static MockHttpSession returningSession() {
        MockHttpSession session = new MockHttpSession();
        session.setNew(false);
        return session;
    }

    private void assertRefused(MockHttpServletResponse response, int status, String field, String rule, String message)
            throws Exception {
        assertRefusedWithoutWriting(response, status, field, rule, message, BEFORE);
    }

    private void assertRefusedWithoutWriting(MockHttpServletResponse response, int status, String field, String rule,
                                             String message, String emailBefore) throws Exception {
        assertThat(response.getStatus()).isEqualTo(status);
        assertThat(response.getContentType()).startsWith("application/json");
        assertThat(response.getContentAsString()).isEqualTo("{\"error\":\"" + errorName(status) + "\",\"field\":\""
                + field + "\",\"rule\":\"" + rule + "\",\"message\":" + jsonString(message) + "}");

        assertThat(captureBuffer.pendingCount()).as("nothing offered to the capture buffer").isZero();
        Order order = orderService.findOrderById(cart.getId());
        assertThat(order.getEmailAddress()).as("Broadleaf order email").isEqualTo(emailBefore);
        captureBuffer.flush();
        CapturedCart captured = capturedCarts.find(cart.getId());
        assertThat(captured.getEmail()).isEqualTo(emailBefore);
        assertThat(captured.getMarketingConsent()).isEqualTo(MarketingConsent.UNKNOWN);
        assertThat(captured.getPhone()).isNull();
        assertThat(captured.getSmsConsent()).isEqualTo(SmsConsent.UNKNOWN);
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
            default: throw new IllegalArgumentException(String.valueOf(status));
        }
    }

    private static String jsonString(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Plays Broadleaf's blCartStateFilter: the shopper's cart is on the request before the controller runs. */
    private static final class ShopperCart implements Filter {
        Order current;

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            BroadleafRequestContext previous = BroadleafRequestContext.getBroadleafRequestContext();
            BroadleafRequestContext context = new BroadleafRequestContext();
            context.setRequest((HttpServletRequest) request);
            context.setResponse((HttpServletResponse) response);
            context.setWebRequest(new ServletWebRequest((HttpServletRequest) request, (HttpServletResponse) response));
            BroadleafRequestContext.setBroadleafRequestContext(context);
            try {
                CartState.setCart(current);
                chain.doFilter(request, response);
            } finally {
                BroadleafRequestContext.setBroadleafRequestContext(previous);
            }
        }

        @Override
        public void init(FilterConfig config) {
        }

        @Override
        public void destroy() {
        }
    }
}
