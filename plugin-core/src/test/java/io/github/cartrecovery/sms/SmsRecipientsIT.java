package io.github.cartrecovery.sms;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import javax.annotation.Resource;
import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.cartrecovery.campaign.ShopperTimeZones;
import io.github.cartrecovery.channel.Addressee;
import io.github.cartrecovery.channel.Recipient;
import io.github.cartrecovery.links.ShortRestoreLinks;
import io.github.cartrecovery.links.StoreUrls;
import io.github.cartrecovery.privacy.PersonalData;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;

/**
 * SmsChannel.recipients() and the SMS opt-out list against the real schema in Broadleaf's test context: consent, the
 * opt-out list (also after an erasure), quiet hours in the shopper's time zone, one query for a whole chunk.
 */
@BroadleafWithPlugin
class SmsRecipientsIT {

    private static final AtomicLong ORDER_IDS = new AtomicLong(71_000_000L);
    private static final AtomicLong PHONES = new AtomicLong(4915100000000L);
    private static final Instant NOON = Instant.parse("2026-01-05T12:00:00Z");

    @Resource(name = "crSmsChannel") SmsChannel channel;
    @Resource(name = "crSmsOptOuts") SmsOptOuts optOuts;
    @Resource(name = "crPersonalData") PersonalData personalData;
    @Resource(name = "crDataSource") DataSource dataSource;

    JdbcTemplate jdbc;
    PluginContext broadleaf;

    @BeforeEach
    void setUp(PluginContext broadleaf) {
        this.broadleaf = broadleaf;
        jdbc = new JdbcTemplate(dataSource);
    }

    /** A captured cart with this phone and SMS consent; returns its order id. */
    private long cart(String email, String phone, String consent, String locale) {
        long orderId = ORDER_IDS.incrementAndGet();
        Timestamp at = Timestamp.from(NOON);
        jdbc.update("INSERT INTO CR_CAPTURED_CART (ORDER_ID, EMAIL, LOCALE_CODE, CURRENCY_CODE, ITEM_COUNT, TOTAL, STATUS, "
                + "FIRST_SEEN, LAST_ACTIVITY, STATUS_CHANGED_AT, PHONE, SMS_CONSENT, SMS_CONSENT_AT) "
                + "VALUES (?, ?, ?, 'USD', 1, 10, 'ABANDONED', ?, ?, ?, ?, ?, ?)",
                orderId, email, locale, at, at, at, phone, consent, "GRANTED".equals(consent) ? at : null);
        return orderId;
    }

    private static String newPhone() {
        return "+" + PHONES.incrementAndGet();
    }

    private static Addressee addressee(long orderId, String locale) {
        return new Addressee(orderId * 10, orderId, "shopper@example.com", locale);
    }

    private Recipient recipientOf(long orderId, Instant now) {
        return channel.recipients(jdbc, List.of(addressee(orderId, "en")), now).get(orderId * 10);
    }

    @Test
    void aCartWithGrantedConsentIsTextedAtItsNumber() {
        String phone = newPhone();
        Recipient recipient = recipientOf(cart("a@example.com", phone, "GRANTED", "en_US"), NOON);

        assertThat(recipient.isSkipped()).isFalse();
        assertThat(recipient.isDeferred()).isFalse();
        assertThat(recipient.getAddress()).isEqualTo(phone);
    }

    @Test
    void withoutConsentNothingIsTexted() {
        assertThat(recipientOf(cart("a@example.com", newPhone(), "UNKNOWN", "en"), NOON).getSkipReason())
                .isEqualTo(Recipient.NO_CONSENT);
        assertThat(recipientOf(cart("a@example.com", newPhone(), "DENIED", "en"), NOON).getSkipReason())
                .isEqualTo(Recipient.NO_CONSENT);
    }

    @Test
    void withoutANumberOrACartThereIsNoAddress() {
        assertThat(recipientOf(cart("a@example.com", null, "GRANTED", "en"), NOON).getSkipReason()).isEqualTo(Recipient.NO_ADDRESS);
        assertThat(recipientOf(ORDER_IDS.incrementAndGet(), NOON).getSkipReason()).isEqualTo(Recipient.NO_ADDRESS);
    }

    @Test
    void anOptedOutNumberIsNotTextedUntilItOptsBackIn() {
        String phone = newPhone();
        long orderId = cart("a@example.com", phone, "GRANTED", "en");

        assertThat(optOuts.optOut(phone, SmsOptOuts.STOP, "inbound keyword")).isZero();
        assertThat(optOuts.optOut(phone, SmsOptOuts.STOP, "inbound keyword")).isEqualTo(-1);
        assertThat(recipientOf(orderId, NOON).getSkipReason()).isEqualTo(Recipient.OPTED_OUT);

        assertThat(optOuts.optIn(phone)).isTrue();
        assertThat(recipientOf(orderId, NOON).getAddress()).isEqualTo(phone);
    }

    @Test
    void anOperatorsOptOutOutlivesTheShoppersStart() {
        String phone = newPhone();
        long orderId = cart("a@example.com", phone, "GRANTED", "en");
        optOuts.optOut(phone, SmsOptOuts.OPERATOR, "admin");

        assertThat(optOuts.optIn(phone)).isFalse();
        assertThat(recipientOf(orderId, NOON).getSkipReason()).isEqualTo(Recipient.OPTED_OUT);
    }

    @Test
    void quietHoursDeferTheTextUntilTheyEndInTheShoppersZone() {
        ShopperTimeZones zones = new ShopperTimeZones("UTC", "de=Europe/Berlin", "");
        SmsChannel berlinAware = new SmsChannel(new TwilioAccount(false, null, null, null, null),
                broadleaf.bean("crTwilioClient", TwilioClient.class), optOuts, new SmsTemplates(2),
                broadleaf.bean("crShortRestoreLinks", ShortRestoreLinks.class), broadleaf.bean("crStoreUrls", StoreUrls.class),
                zones, "21:00-08:00", "Shop");
        String german = newPhone();
        String english = newPhone();
        long germanCart = cart("de@example.com", german, "GRANTED", "de_DE");
        long englishCart = cart("en@example.com", english, "GRANTED", "en_US");
        Instant evening = Instant.parse("2026-01-05T20:30:00Z"); // 21:30 in Berlin, 20:30 in UTC

        Map<Long, Recipient> recipients = berlinAware.recipients(jdbc,
                List.of(addressee(germanCart, "de_DE"), addressee(englishCart, "en_US")), evening);

        Recipient waiting = recipients.get(germanCart * 10);
        assertThat(waiting.isDeferred()).isTrue();
        assertThat(waiting.getAddress()).isEqualTo(german);
        assertThat(waiting.getNotBefore()).isEqualTo(Instant.parse("2026-01-06T07:00:00Z")); // 08:00 in Berlin
        assertThat(recipients.get(englishCart * 10).isDeferred()).isFalse();
    }

    @Test
    void theDefaultQuietHoursKeepTextsToDaytime() {
        long orderId = cart("a@example.com", newPhone(), "GRANTED", "en");

        assertThat(recipientOf(orderId, Instant.parse("2026-01-05T21:00:00Z")).getNotBefore())
                .isEqualTo(Instant.parse("2026-01-06T08:00:00Z"));
        assertThat(recipientOf(orderId, Instant.parse("2026-01-05T07:59:00Z")).getNotBefore())
                .isEqualTo(Instant.parse("2026-01-05T08:00:00Z"));
        assertThat(recipientOf(orderId, Instant.parse("2026-01-05T08:00:00Z")).isDeferred()).isFalse();
    }

    @Test
    void aWholeChunkIsAnsweredInOneCall() {
        List<Addressee> addressees = new ArrayList<>();
        String optedOut = newPhone();
        optOuts.optOut(optedOut, SmsOptOuts.REJECTED, "provider error 21211");
        for (int i = 0; i < 600; i++) {
            String consent = i % 3 == 0 ? "DENIED" : "GRANTED";
            addressees.add(addressee(cart("c" + i + "@example.com", i == 7 ? optedOut : newPhone(), consent, "en"), "en"));
        }

        Map<Long, Recipient> recipients = channel.recipients(jdbc, addressees, NOON);

        assertThat(recipients).hasSize(600);
        assertThat(recipients.values().stream().filter(r -> Recipient.NO_CONSENT.equals(r.getSkipReason()))).hasSize(200);
        assertThat(recipients.get(addressees.get(7).getPlannedMessageId()).getSkipReason()).isEqualTo(Recipient.OPTED_OUT);
        assertThat(recipients.values().stream().filter(r -> r.getAddress() != null)).hasSize(399);
    }

    @Test
    void optingOutStopsTheNumbersPendingTextsButNotItsEmails() {
        String phone = newPhone();
        long orderId = cart("pending@example.com", phone, "GRANTED", "en");
        long sms = plannedMessage(orderId, 1, "SMS");
        long email = plannedMessage(orderId, 2, "EMAIL");

        assertThat(optOuts.optOut(phone, SmsOptOuts.STOP, "inbound keyword")).isEqualTo(1);

        assertThat(jdbc.queryForMap("SELECT STATUS, OUTCOME FROM CR_PLANNED_MESSAGE WHERE ID = ?", sms))
                .containsEntry("STATUS", "SKIPPED").containsEntry("OUTCOME", Recipient.OPTED_OUT);
        assertThat(jdbc.queryForObject("SELECT STATUS FROM CR_PLANNED_MESSAGE WHERE ID = ?", String.class, email))
                .isEqualTo("PLANNED");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM CR_SUPPRESSION WHERE EMAIL = 'pending@example.com'",
                Integer.class)).isZero();
    }

    @Test
    void aStopOutlivesTheErasureOfTheShopperWhoSentIt() {
        String phone = newPhone();
        cart("erase-me@example.com", phone, "GRANTED", "en");
        optOuts.optOut(phone, SmsOptOuts.STOP, "inbound keyword");
        assertThat(personalData.export("erase-me@example.com")).contains("CR_SMS_OPT_OUT").contains(phone);

        personalData.erase("erase-me@example.com");

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM CR_SMS_OPT_OUT WHERE PHONE = ?", Integer.class, phone)).isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM CR_CAPTURED_CART WHERE PHONE = ?", Integer.class, phone)).isZero();
        long sameNumberLater = cart("someone-else@example.com", phone, "GRANTED", "en");
        assertThat(recipientOf(sameNumberLater, NOON).getSkipReason()).isEqualTo(Recipient.OPTED_OUT);
        assertThat(optOuts.isOptedOut(phone)).isTrue();

        // the number's owner texts START: the kept hash goes too
        assertThat(optOuts.optIn(phone)).isTrue();
        assertThat(recipientOf(sameNumberLater, NOON).getAddress()).isEqualTo(phone);
    }

    private long plannedMessage(long orderId, int stepNo, String channelName) {
        Timestamp now = Timestamp.from(NOON);
        jdbc.update("INSERT INTO CR_PLANNED_MESSAGE (ORDER_ID, CAMPAIGN_ID, STEP_ID, STEP_NO, EMAIL, LOCALE_CODE, STATUS, "
                + "DUE_AT, ATTEMPTS, CREATED_AT, UPDATED_AT, CHANNEL) VALUES (?, 1, ?, ?, 'pending@example.com', 'en', "
                + "'PLANNED', ?, 0, ?, ?, ?)", orderId, 1000 + stepNo, stepNo, Timestamp.valueOf("2100-01-01 00:00:00"),
                now, now, channelName);
        return jdbc.queryForObject("SELECT ID FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? AND STEP_NO = ?", Long.class,
                orderId, stepNo);
    }
}
