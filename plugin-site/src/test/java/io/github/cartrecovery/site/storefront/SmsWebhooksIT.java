package io.github.cartrecovery.site.storefront;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.broadleafcommerce.core.order.domain.Order;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import io.github.cartrecovery.channel.DeliveryReceipts;
import io.github.cartrecovery.links.LinkPurpose;
import io.github.cartrecovery.links.ShortRestoreLinks;
import io.github.cartrecovery.sms.SmsOptOuts;
import io.github.cartrecovery.sms.SmsWebhooks;
import io.github.cartrecovery.sms.TwilioAccount;
import io.github.cartrecovery.sms.TwilioSignature;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;
import io.github.cartrecovery.testing.Store;

/**
 * The SMS provider's webhooks in a Broadleaf storefront: a correctly signed status callback is recorded, an inbound
 * STOP or START changes the SMS opt-out list (and nothing of email), and every unsigned or forged request gets 403 and
 * records nothing. Also the short restore link of a text and the unsubscribe page's "also stop text messages".
 * The test context runs with SMS off; this storefront gets an enabled crSmsWebhooks built from the context's own
 * receipts and opt-out beans.
 */
@BroadleafWithPlugin
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SmsWebhooksIT {

    private static final String AUTH_TOKEN = "test-auth-token-0123456789";
    private static final String PUBLIC_BASE = "https://shop.example.com"; // cartrecovery.links.base-url of the test context
    private static final AtomicLong PHONES = new AtomicLong(4917000000000L);

    PluginContext broadleaf;
    Storefront site;
    Storefront smsOff;
    SmsOptOuts optOuts;
    final TwilioSignature provider = new TwilioSignature(AUTH_TOKEN);

    @BeforeAll
    void openTheStore(PluginContext broadleaf) {
        this.broadleaf = broadleaf;
        optOuts = broadleaf.bean("crSmsOptOuts", SmsOptOuts.class);
        SmsWebhooks enabled = new SmsWebhooks(new TwilioAccount(true, "https://api.twilio.com", "ACtest", AUTH_TOKEN,
                "+15005550006"), broadleaf.bean("crDeliveryReceipts", DeliveryReceipts.class), optOuts, broadleaf.clock(),
                "{storeName}: no more texts. Reply START to undo.", "{storeName}: texts are on again.", "", "Test Shop");
        site = new Storefront(broadleaf, Map.of("crSmsWebhooks", enabled));
        smsOff = new Storefront(broadleaf);
    }

    @AfterAll
    void closeTheStore() {
        site.close();
        smsOff.close();
    }

    // ---- status callbacks ----

    @Test
    void aSignedDeliveredCallbackIsRecorded() throws Exception {
        long message = sentText("SM0001");

        MockHttpServletResponse response = site.performAsIs(signed(statusPath(message),
                form("MessageSid", "SM0001", "MessageStatus", "delivered", "AccountSid", "ACtest")));

        assertThat(response.getStatus()).isEqualTo(204);
        assertThat(site.events(message, "DELIVERED")).isEqualTo(1);
        assertThat(outcome(message)).isEqualTo("DELIVERED");
    }

    @Test
    void aSignedUndeliveredCallbackIsRecordedWithItsErrorCode() throws Exception {
        long message = sentText("SM0002");

        site.performAsIs(signed(statusPath(message),
                form("MessageSid", "SM0002", "MessageStatus", "undelivered", "ErrorCode", "30003", "AccountSid", "ACtest")));

        assertThat(site.jdbc.queryForObject("SELECT DETAIL FROM CR_MESSAGE_EVENT WHERE PLANNED_MESSAGE_ID = ? "
                + "AND EVENT_TYPE = 'UNDELIVERED'", String.class, message)).isEqualTo("undelivered (error 30003)");
    }

    @Test
    void aRepeatedCallbackRecordsNothingNew() throws Exception {
        long message = sentText("SM0003");
        Map<String, List<String>> form = form("MessageSid", "SM0003", "MessageStatus", "delivered");

        site.performAsIs(signed(statusPath(message), form));
        site.performAsIs(signed(statusPath(message), form));

        assertThat(site.events(message, "DELIVERED")).isEqualTo(1);
    }

    @Test
    void anUnsignedOrForgedCallbackIs403AndRecordsNothing() throws Exception {
        long message = sentText("SM0004");
        Map<String, List<String>> form = form("MessageSid", "SM0004", "MessageStatus", "delivered");

        assertThat(site.performAsIs(unsigned(statusPath(message), form)).getStatus()).isEqualTo(403);
        assertThat(site.performAsIs(withSignature(statusPath(message), form, "AAAAAAAAAAAAAAAAAAAAAAAAAAA=")).getStatus())
                .isEqualTo(403);
        assertThat(site.performAsIs(withSignature(statusPath(message), form,
                new TwilioSignature("another-token").sign(PUBLIC_BASE + statusPath(message), form))).getStatus()).isEqualTo(403);
        // signed for another message: the message id is part of the signed URL
        assertThat(site.performAsIs(withSignature(statusPath(message), form,
                provider.sign(PUBLIC_BASE + statusPath(message + 1), form))).getStatus()).isEqualTo(403);
        // signed with a changed parameter
        assertThat(site.performAsIs(withSignature(statusPath(message), form("MessageSid", "SM0004", "MessageStatus", "failed"),
                provider.sign(PUBLIC_BASE + statusPath(message), form))).getStatus()).isEqualTo(403);

        assertThat(site.events(message, "DELIVERED") + site.events(message, "UNDELIVERED")).isZero();
    }

    @Test
    void theSignedUrlIsThePublicOneNotWhatThisServerSees() throws Exception {
        long message = sentText("SM0005");
        Map<String, List<String>> form = form("MessageSid", "SM0005", "MessageStatus", "delivered");

        MockHttpServletResponse response = site.performAsIs(withSignature(statusPath(message), form,
                provider.sign("http://localhost" + statusPath(message), form)));

        assertThat(response.getStatus()).isEqualTo(403);
        assertThat(site.events(message, "DELIVERED")).isZero();
    }

    // ---- inbound texts ----

    @Test
    void stopOptsTheNumberOutOfTextsOnlyAndAnswersWithTwiml() throws Exception {
        String phone = newPhone();
        long orderId = capturedCart("stopper@example.com", phone);

        MockHttpServletResponse response = site.performAsIs(signed("/cart-recovery/sms/inbound",
                form("From", phone, "To", "+15005550006", "Body", "STOP", "AccountSid", "ACtest", "MessageSid", "SMin1")));

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentType()).startsWith("text/xml");
        assertThat(response.getContentAsString()).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>"
                + "Test Shop: no more texts. Reply START to undo.</Message></Response>");
        assertThat(optOuts.isOptedOut(phone)).isTrue();
        assertThat(site.jdbc.queryForObject("SELECT REASON FROM CR_SMS_OPT_OUT WHERE PHONE = ?", String.class, phone))
                .isEqualTo("STOP");
        assertThat(site.suppression("stopper@example.com")).as("email is a separate consent").isEmpty();
        assertThat(orderId).isPositive();
    }

    @Test
    void startOptsTheNumberBackIn() throws Exception {
        String phone = newPhone();
        optOuts.optOut(phone, SmsOptOuts.STOP, "inbound keyword");

        MockHttpServletResponse response = site.performAsIs(signed("/cart-recovery/sms/inbound",
                form("From", phone, "Body", "start", "AccountSid", "ACtest")));

        assertThat(response.getContentAsString()).contains("<Message>Test Shop: texts are on again.</Message>");
        assertThat(optOuts.isOptedOut(phone)).isFalse();
    }

    @Test
    void aForgedStopIs403AndOptsNothingOut() throws Exception {
        String phone = newPhone();
        Map<String, List<String>> form = form("From", phone, "Body", "STOP");

        assertThat(site.performAsIs(unsigned("/cart-recovery/sms/inbound", form)).getStatus()).isEqualTo(403);
        assertThat(site.performAsIs(withSignature("/cart-recovery/sms/inbound", form,
                new TwilioSignature("guessed").sign(PUBLIC_BASE + "/cart-recovery/sms/inbound", form))).getStatus()).isEqualTo(403);

        assertThat(optOuts.isOptedOut(phone)).isFalse();
    }

    @Test
    void withSmsOffTheWebhooksAreNotThere() throws Exception {
        assertThat(smsOff.performAsIs(signed("/cart-recovery/sms/inbound", form("From", newPhone(), "Body", "STOP")))
                .getStatus()).isEqualTo(404);
        assertThat(smsOff.performAsIs(signed(statusPath(1), form("MessageStatus", "delivered"))).getStatus()).isEqualTo(404);
    }

    // ---- the short restore link of a text ----

    @Test
    void theShortLinkOfATextRestoresLikeTheEmailsRestoreLink() throws Exception {
        Store store = broadleaf.store();
        Order abandoned = store.add(store.cartWithEmail("short-link@example.com"), store.product("Stoneware Mug", "9.50"), 1);
        site.flushCaptures();
        long message = site.plannedMessage(abandoned.getId(), "short-link@example.com", 1);
        String url = broadleaf.bean("crShortRestoreLinks", ShortRestoreLinks.class).url(message);

        MockHttpServletResponse response = site.perform(get(Storefront.path(url)).session(Storefront.newDevice()));

        assertThat(url).matches(PUBLIC_BASE + "/cart-recovery/s/[A-Za-z0-9_-]{24}");
        assertThat(response.getStatus()).isEqualTo(302);
        assertThat(response.getHeader("Location")).startsWith("/cart?");
        assertThat(site.events(message, "CLICKED")).isEqualTo(1);
    }

    @Test
    void aTamperedOrForeignShortLinkGetsTheInvalidLinkPage() throws Exception {
        String emailToken = site.tokens().issue(LinkPurpose.RESTORE, 5, site.now().plusSeconds(3600), null);

        assertThat(site.perform(get("/cart-recovery/s/AAAAAAAAAAAAAAAAAAAAAAAA")).getStatus()).isEqualTo(404);
        assertThat(site.perform(get("/cart-recovery/s/" + emailToken)).getStatus()).isEqualTo(404);
    }

    // ---- the unsubscribe page: email and texts are separate, unless the shopper asks for both ----

    @Test
    void theUnsubscribePageOffersToStopTextsTooWhenTheCartHasANumber() throws Exception {
        String phone = newPhone();
        long orderId = capturedCart("both@example.com", phone);
        long message = site.plannedMessage(orderId, "both@example.com", 1);
        String path = "/cart-recovery/unsubscribe/" + site.tokens().issue(LinkPurpose.UNSUBSCRIBE, message,
                site.now().plusSeconds(86400), null);

        assertThat(site.perform(get(path)).getContentAsString()).contains("name=\"alsoSms\"")
                .contains(phone.substring(0, 3) + "*").doesNotContain(phone);
        MockHttpServletResponse done = site.perform(post(path).param("alsoSms", "on"));

        assertThat(done.getContentAsString()).contains("No more cart reminder texts");
        assertThat(site.suppression("both@example.com")).hasSize(1);
        assertThat(optOuts.isOptedOut(phone)).isTrue();
    }

    @Test
    void unsubscribingFromEmailAloneLeavesTextsOn() throws Exception {
        String phone = newPhone();
        long orderId = capturedCart("email-only@example.com", phone);
        long message = site.plannedMessage(orderId, "email-only@example.com", 1);
        String path = "/cart-recovery/unsubscribe/" + site.tokens().issue(LinkPurpose.UNSUBSCRIBE, message,
                site.now().plusSeconds(86400), null);

        long pendingText = site.pendingMessage(orderId, "email-only@example.com", 2);
        long pendingEmail = site.pendingMessage(orderId, "email-only@example.com", 3);
        site.jdbc.update("UPDATE CR_PLANNED_MESSAGE SET CHANNEL = 'SMS' WHERE ID = ?", pendingText);

        site.perform(post(path));

        assertThat(site.suppression("email-only@example.com")).hasSize(1);
        assertThat(optOuts.isOptedOut(phone)).isFalse();
        assertThat(status(pendingText)).as("the pending text goes on").isEqualTo("PLANNED");
        assertThat(status(pendingEmail)).isEqualTo("SKIPPED");
    }

    // ---- helpers ----

    private static String statusPath(long message) {
        return "/cart-recovery/sms/status?m=" + message;
    }

    private static Map<String, List<String>> form(String... pairs) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            form.put(pairs[i], List.of(pairs[i + 1]));
        }
        return form;
    }

    /** A POST as the provider sends it: the form, signed over the store's public URL. */
    private MockHttpServletRequestBuilder signed(String pathAndQuery, Map<String, List<String>> form) {
        return withSignature(pathAndQuery, form, provider.sign(PUBLIC_BASE + pathAndQuery, form));
    }

    private static MockHttpServletRequestBuilder withSignature(String pathAndQuery, Map<String, List<String>> form,
                                                               String signature) {
        return unsigned(pathAndQuery, form).header(TwilioSignature.HEADER, signature);
    }

    private static MockHttpServletRequestBuilder unsigned(String pathAndQuery, Map<String, List<String>> form) {
        MockHttpServletRequestBuilder request = post(pathAndQuery).contentType(
                org.springframework.http.MediaType.APPLICATION_FORM_URLENCODED).header("User-Agent", "TwilioProxy/1.1");
        form.forEach((name, values) -> request.param(name, values.toArray(new String[0])));
        return request;
    }

    private static String newPhone() {
        return "+" + PHONES.incrementAndGet();
    }

    /** A captured cart with a phone number and SMS consent (no Broadleaf order needed for these endpoints). */
    private long capturedCart(String email, String phone) {
        long orderId = 72_000_000L + PHONES.get() % 1_000_000L;
        java.sql.Timestamp now = new java.sql.Timestamp(broadleaf.clock().millis());
        site.jdbc.update("INSERT INTO CR_CAPTURED_CART (ORDER_ID, EMAIL, LOCALE_CODE, CURRENCY_CODE, ITEM_COUNT, TOTAL, "
                + "STATUS, FIRST_SEEN, LAST_ACTIVITY, STATUS_CHANGED_AT, PHONE, SMS_CONSENT, SMS_CONSENT_AT) "
                + "VALUES (?, ?, 'en', 'USD', 1, 10, 'ABANDONED', ?, ?, ?, ?, 'GRANTED', ?)", orderId, email, now, now, now,
                phone, now);
        return orderId;
    }

    /** A text handed to the provider, as delivery leaves it: SENT on channel SMS with the provider's SID. */
    private long sentText(String sid) {
        long orderId = capturedCart(sid.toLowerCase() + "@example.com", newPhone());
        long message = site.plannedMessage(orderId, sid.toLowerCase() + "@example.com", 1);
        site.jdbc.update("UPDATE CR_PLANNED_MESSAGE SET CHANNEL = 'SMS', PROVIDER_REF = ? WHERE ID = ?", sid, message);
        return message;
    }

    private String status(long message) {
        return site.jdbc.queryForObject("SELECT STATUS FROM CR_PLANNED_MESSAGE WHERE ID = ?", String.class, message);
    }

    private String outcome(long message) {
        return site.jdbc.queryForObject("SELECT OUTCOME FROM CR_PLANNED_MESSAGE WHERE ID = ?", String.class, message);
    }
}
