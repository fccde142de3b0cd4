package io.github.cartrecovery.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import javax.annotation.Resource;

import org.broadleafcommerce.core.order.domain.Order;
import org.codehaus.jackson.JsonNode;
import org.codehaus.jackson.map.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.cartrecovery.campaign.RecoveryPlanner;
import io.github.cartrecovery.capture.CaptureBuffer;
import io.github.cartrecovery.delivery.ExitReason;
import io.github.cartrecovery.delivery.ExitRules;
import io.github.cartrecovery.delivery.PlannedMessageRow;
import io.github.cartrecovery.reporting.ReportRollup;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;

/** Export and erasure by email (crPersonalData), against the real schema on the selected database. */
@BroadleafWithPlugin
class PersonalDataIT {

    @Resource(name = "crPersonalData") PersonalData personalData;
    @Resource(name = "crReportRollup") ReportRollup rollup;
    @Resource(name = "crRecoveryPlanner") RecoveryPlanner planner;
    @Resource(name = "crExitRules") ExitRules exitRules;
    @Resource(name = "crSmsOptOuts") io.github.cartrecovery.sms.SmsOptOuts smsOptOuts;

    PluginContext broadleaf;
    ShopperData shopper;

    @BeforeEach
    void aShopperTheStoreKnowsALotAbout(PluginContext broadleaf) {
        this.broadleaf = broadleaf;
        shopper = new ShopperData(broadleaf).everywhere();
    }

    @Test
    void erasureLeavesTheAddressInNoPluginTableInAnyCasing() {
        assertThat(ShopperData.occurrences(shopper.jdbc, shopper.email)).as("arranged").hasSizeGreaterThan(5);

        ErasureSummary summary = personalData.erase("  " + shopper.email.toUpperCase() + " ");

        assertThat(ShopperData.occurrences(shopper.jdbc, shopper.email)).isEmpty();
        assertThat(ShopperData.occurrences(shopper.jdbc, shopper.lower().replace("@", "%40"))).as("URL-encoded").isEmpty();
        assertThat(summary.getRowsPerTable()).containsKeys("CR_CAPTURED_CART", "CR_CAPTURED_CART_ITEM", "CR_PLANNED_MESSAGE",
                "CR_MESSAGE_EVENT", "CR_COUPON", "CR_SUPPRESSION", "CR_JOB_RUN");
    }

    @Test
    void leavesAnotherShopperWhoseAddressContainsThisOneAlone() {
        String other = "x" + shopper.lower();
        long otherOrder = 9_000_000_000L + System.nanoTime() % 1_000_000_000L;
        shopper.jdbc.update("INSERT INTO CR_CAPTURED_CART (ORDER_ID, EMAIL, STATUS, FIRST_SEEN, LAST_ACTIVITY, STATUS_CHANGED_AT, CLIENT_IP) "
                + "VALUES (?, ?, 'ACTIVE', ?, ?, ?, '198.51.100.1')", otherOrder, other, shopper.now(), shopper.now(), shopper.now());
        shopper.jdbc.update("INSERT INTO CR_SUPPRESSION (EMAIL, REASON, SOURCE, CREATED_AT) VALUES (?, 'BOUNCED', 'smtp', ?)", other, shopper.now());

        personalData.erase(shopper.email);

        assertThat(shopper.jdbc.queryForMap("SELECT EMAIL, CLIENT_IP FROM CR_CAPTURED_CART WHERE ORDER_ID = ?", otherOrder))
                .containsEntry("EMAIL", other).containsEntry("CLIENT_IP", "198.51.100.1");
        assertThat(shopper.jdbc.queryForList("SELECT EMAIL FROM CR_SUPPRESSION WHERE EMAIL = ?", String.class, other)).containsExactly(other);
    }

    @Test
    void erasureRemovesTheShoppersIpUserAgentAndItemSnapshots() {
        personalData.erase(shopper.email);

        Map<String, Object> cart = shopper.jdbc.queryForMap("SELECT EMAIL, CLIENT_IP, USER_AGENT, CUSTOMER_ID, STATUS, TOTAL "
                + "FROM CR_CAPTURED_CART WHERE ORDER_ID = ?", shopper.orderId);
        assertThat(cart.get("EMAIL")).isNull();
        assertThat(cart.get("CLIENT_IP")).isNull();
        assertThat(cart.get("USER_AGENT")).isNull();
        assertThat(cart.get("CUSTOMER_ID")).isNull();
        assertThat(cart.get("STATUS")).as("statuses stay for the reports").isEqualTo("IN_RECOVERY");
        assertThat(shopper.jdbc.queryForObject("SELECT COUNT(*) FROM CR_CAPTURED_CART_ITEM WHERE ORDER_ID = ?", Integer.class,
                shopper.orderId)).isZero();
        assertThat(shopper.jdbc.queryForObject("SELECT DETAIL FROM CR_MESSAGE_EVENT WHERE PLANNED_MESSAGE_ID = ? AND EVENT_TYPE = 'CLICKED'",
                String.class, shopper.sentMessageId)).isNull();
    }

    @Test
    void erasureStopsMessagesNotYetSentAndLeavesOneOnTheWireToDelivery() {
        long sending = shopper.message(3, "SENDING", shopper.now());

        ErasureSummary summary = personalData.erase(shopper.email);

        assertThat(status(shopper.plannedMessageId)).containsEntry("STATUS", "SKIPPED").containsEntry("OUTCOME", "ERASED");
        assertThat(shopper.jdbc.queryForObject("SELECT COUNT(*) FROM CR_MESSAGE_EVENT WHERE PLANNED_MESSAGE_ID = ? AND EVENT_TYPE = 'SKIPPED' "
                + "AND DETAIL = 'ERASED'", Integer.class, shopper.plannedMessageId)).isEqualTo(1);
        assertThat(status(sending)).as("exactly-once bookkeeping of the message on the wire").containsEntry("STATUS", "SENDING");
        assertThat(status(shopper.sentMessageId)).containsEntry("STATUS", "SENT");
        assertThat(summary.getMessagesStopped()).isEqualTo(1);
        assertThat(summary.getMessagesInFlight()).isEqualTo(1);
    }

    @Test
    void reportTotalsAndAttributedAmountsDoNotChange() {
        rollUpEverything();
        String report = "SELECT * FROM CR_REPORT_DAILY ORDER BY REPORT_DAY, CAMPAIGN_ID, STEP_NO, CHANNEL, CURRENCY_CODE";
        List<Map<String, Object>> before = shopper.jdbc.queryForList(report);
        long skippedBefore = shopper.jdbc.queryForObject("SELECT SUM(SKIPPED) FROM CR_REPORT_DAILY", Long.class);
        List<Map<String, Object>> attributionBefore = shopper.jdbc.queryForList(
                "SELECT ORDER_ID, OUTCOME, CAMPAIGN_ID, STEP_NO, CURRENCY_CODE, AMOUNT FROM CR_ORDER_ATTRIBUTION WHERE ORDER_ID = ?", shopper.orderId);

        ErasureSummary summary = personalData.erase(shopper.email);
        rollUpEverything();

        // every number stays; the messages the erasure stopped are counted as skipped (1.2: SKIPPED is reported)
        assertThat(withoutSkipped(shopper.jdbc.queryForList(report))).isEqualTo(withoutSkipped(before));
        assertThat(shopper.jdbc.queryForObject("SELECT SUM(SKIPPED) FROM CR_REPORT_DAILY", Long.class))
                .isEqualTo(skippedBefore + summary.getMessagesStopped());
        assertThat(shopper.jdbc.queryForList("SELECT ORDER_ID, OUTCOME, CAMPAIGN_ID, STEP_NO, CURRENCY_CODE, AMOUNT FROM CR_ORDER_ATTRIBUTION "
                + "WHERE ORDER_ID = ?", shopper.orderId)).isEqualTo(attributionBefore).hasSize(1);
    }

    @Test
    void aSuppressedAddressStaysSuppressedAfterErasureInAnyCasing() {
        personalData.erase(shopper.email);
        assertThat(shopper.jdbc.queryForObject("SELECT COUNT(*) FROM CR_ERASED_SUPPRESSION", Integer.class)).isPositive();

        // the shopper comes back with a new cart, typing the address in another casing
        Instant abandoned = broadleaf.clock().instant();
        Order cart = broadleaf.store().cartWithEmail(shopper.lower());
        cart = broadleaf.store().add(cart, broadleaf.store().product("Teapot", "30.00"), 1);
        broadleaf.bean("crCaptureBuffer", CaptureBuffer.class).flush();
        shopper.jdbc.update("UPDATE CR_CAPTURED_CART SET STATUS = 'ABANDONED', ABANDONED_AT = ?, LOCALE_CODE = 'en_US', "
                + "CURRENCY_CODE = 'USD' WHERE ORDER_ID = ?", new Timestamp(abandoned.toEpochMilli()), cart.getId());
        planner.planDue();
        Map<String, Object> planned = shopper.jdbc.queryForList("SELECT ID, CAMPAIGN_ID, STEP_ID, EMAIL FROM CR_PLANNED_MESSAGE "
                + "WHERE ORDER_ID = ? ORDER BY STEP_NO", cart.getId()).get(0);

        PlannedMessageRow message = new PlannedMessageRow(((Number) planned.get("ID")).longValue(), cart.getId(),
                ((Number) planned.get("CAMPAIGN_ID")).longValue(), ((Number) planned.get("STEP_ID")).longValue(),
                (String) planned.get("EMAIL"), "en_US", 0, abandoned, null, null);
        assertThat(exitRules.check(shopper.jdbc, message, abandoned.plus(Duration.ofHours(1)))).isEqualTo(ExitReason.SUPPRESSED);
    }

    @Test
    void exportHoldsTheCartMessagesEventsCouponsAndSuppression() throws Exception {
        JsonNode export = new ObjectMapper().readTree(personalData.export(shopper.email.toLowerCase()));

        JsonNode tables = export.get("tables");
        assertThat(export.get("email").getTextValue()).isEqualTo(shopper.lower());
        assertThat(tables.get("CR_CAPTURED_CART").get(0).get("ORDER_ID").getLongValue()).isEqualTo(shopper.orderId);
        assertThat(tables.get("CR_CAPTURED_CART").get(0).get("CLIENT_IP").getTextValue()).isEqualTo("203.0.113.7");
        assertThat(tables.get("CR_CAPTURED_CART_ITEM").get(0).get("NAME").getTextValue()).isEqualTo("Engraved Mug");
        assertThat(tables.get("CR_PLANNED_MESSAGE")).hasSize(2);
        assertThat(tables.get("CR_MESSAGE_EVENT")).hasSize(4);
        assertThat(tables.get("CR_MESSAGE_EVENT").toString()).contains("550 5.1.1 <" + shopper.email + ">");
        assertThat(tables.get("CR_COUPON")).hasSize(1);
        assertThat(tables.get("CR_SUPPRESSION").get(0).get("REASON").getTextValue()).isEqualTo("UNSUBSCRIBED");
        assertThat(tables.get("CR_ORDER_ATTRIBUTION").get(0).get("AMOUNT").getDecimalValue()).isEqualByComparingTo("19.00");
    }

    @Test
    void exportHoldsTheCartsPhoneAndItsSmsConsent() throws Exception {
        String phone = shopper.phone();

        JsonNode cart = new ObjectMapper().readTree(personalData.export(shopper.email)).get("tables").get("CR_CAPTURED_CART").get(0);

        assertThat(cart.get("PHONE").getTextValue()).isEqualTo(phone);
        assertThat(cart.get("SMS_CONSENT").getTextValue()).isEqualTo("GRANTED");
        assertThat(cart.get("SMS_CONSENT_AT").getTextValue()).endsWith("Z");
        assertThat(cart.get("MARKETING_CONSENT").getTextValue()).isEqualTo("UNKNOWN");
    }

    @Test
    void erasureRemovesThePhoneItsSmsConsentAndEveryMentionOfTheNumberButKeepsItsOptOutAsAHash() {
        String phone = shopper.phone();
        long otherOrder = 9_100_000_000L + System.nanoTime() % 1_000_000_000L;
        shopper.jdbc.update("INSERT INTO CR_CAPTURED_CART (ORDER_ID, EMAIL, PHONE, SMS_CONSENT, STATUS, FIRST_SEEN, LAST_ACTIVITY, "
                + "STATUS_CHANGED_AT) VALUES (?, 'someone.else@example.com', ?, 'DENIED', 'ACTIVE', ?, ?, ?)",
                otherOrder, phone, shopper.now(), shopper.now(), shopper.now());

        ErasureSummary summary = personalData.erase(shopper.email);

        assertThat(shopper.jdbc.queryForMap("SELECT PHONE, SMS_CONSENT, SMS_CONSENT_AT FROM CR_CAPTURED_CART WHERE ORDER_ID = ?",
                shopper.orderId)).containsEntry("PHONE", null).containsEntry("SMS_CONSENT", "UNKNOWN").containsEntry("SMS_CONSENT_AT", null);
        assertThat(ShopperData.occurrences(shopper.jdbc, phone)).as("the number is left only where it must stay")
                .extracting(found -> found.toUpperCase(java.util.Locale.ROOT)) // PostgreSQL names tables in lower case
                .containsExactlyInAnyOrder("CR_CAPTURED_CART.PHONE = " + phone);
        assertThat(smsOptOuts.isOptedOut(phone)).as("its STOP is kept, as a keyed hash, for the other cart's sake").isTrue();
        assertThat(shopper.jdbc.queryForObject("SELECT PHONE FROM CR_CAPTURED_CART WHERE ORDER_ID = ?", String.class, otherOrder))
                .as("another address's cart is that address's to erase").isEqualTo(phone);
        assertThat(ShopperData.occurrences(shopper.jdbc, phone.replace("+", "%2B"))).as("URL-encoded").isEmpty();
        assertThat(summary.getRowsPerTable()).containsKey("CR_CAPTURED_CART");
        assertThat(personalData.erase(shopper.email).getTotalRows()).as("a second erasure changes nothing").isZero();
    }

    @Test
    void exportAfterErasureHoldsNothingAboutTheAddress() throws Exception {
        personalData.erase(shopper.email);

        JsonNode export = new ObjectMapper().readTree(personalData.export(shopper.email));

        assertThat(export.get("tables").has("CR_CAPTURED_CART")).isFalse();
        assertThat(export.get("suppressedAfterErasure").getBooleanValue()).isTrue();
    }

    @Test
    void aSecondErasureChangesNothing() {
        personalData.erase(shopper.email);

        assertThat(personalData.erase(shopper.email).getTotalRows()).isZero();
    }

    @Test
    void refusesAnEmptyOrMalformedAddressNamingTheField() {
        assertThatThrownBy(() -> personalData.erase("  ")).hasMessage("email: required (the address whose data to export or erase)");
        assertThatThrownBy(() -> personalData.export("jane.example.com")).hasMessageStartingWith("email: must be an address");
    }

    private Map<String, Object> status(long messageId) {
        return shopper.jdbc.queryForMap("SELECT STATUS, OUTCOME FROM CR_PLANNED_MESSAGE WHERE ID = ?", messageId);
    }

    private void rollUpEverything() {
        for (int i = 0; i < 100 && rollup.run() > 0; i++) {
            // until nothing is left to roll up
        }
    }

    private static List<Map<String, Object>> withoutSkipped(List<Map<String, Object>> rows) {
        List<Map<String, Object>> copies = new java.util.ArrayList<>();
        for (Map<String, Object> row : rows) {
            Map<String, Object> copy = new org.springframework.util.LinkedCaseInsensitiveMap<>();
            copy.putAll(row);
            copy.remove("SKIPPED"); // whatever case the database gives column names
            copies.add(copy);
        }
        return copies;
    }
}
