package io.github.cartrecovery.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import javax.annotation.Resource;
import javax.sql.DataSource;

import org.broadleafcommerce.core.order.domain.Order;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import io.github.cartrecovery.suppression.SuppressedAddress;
import io.github.cartrecovery.campaign.Campaign;
import io.github.cartrecovery.campaign.CampaignCondition;
import io.github.cartrecovery.campaign.CampaignRepository;
import io.github.cartrecovery.campaign.CampaignStatus;
import io.github.cartrecovery.campaign.CampaignStep;
import io.github.cartrecovery.campaign.ConditionType;
import io.github.cartrecovery.campaign.RecoveryPlanner;
import io.github.cartrecovery.campaign.StepCondition;
import io.github.cartrecovery.campaign.StepConditionType;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;

/**
 * Step conditions, per-channel frequency caps and the email suppression list across channels, checked by
 * {@link ExitRules} at send time on the real schema. Each test plans one cart on its own campaign (a locale no other
 * cart has): step 1 EMAIL, 2 SMS, 3 WEBHOOK, 4 EMAIL, and asks the exit rules about its planned messages the way
 * delivery does in a chunk's prepare transaction.
 */
@BroadleafWithPlugin
class StepConditionsIT {

    private static final AtomicInteger LOCALES = new AtomicInteger(100);

    @Resource(name = "crCampaignRepository")
    CampaignRepository campaigns;

    @Resource(name = "crRecoveryPlanner")
    RecoveryPlanner planner;

    RecoveryFixture fixture;
    ExitRules rules;
    Campaign campaign;
    String email;
    Order cart;

    @BeforeEach
    void planACartOnItsOwnCampaign(PluginContext broadleaf) {
        fixture = new RecoveryFixture(broadleaf);
        rules = new ExitRules(0, 168);
        String locale = "zz_" + LOCALES.incrementAndGet();
        campaign = campaigns.save(new Campaign(null, "Channels " + locale, CampaignStatus.ENABLED, 95, fixture.clock.instant())
                .addCondition(new CampaignCondition(ConditionType.LOCALE, null, null, locale))
                .addStep(email(1, "gentle-reminder"))
                .addStep(new CampaignStep(null, 2, 60, "sms-reminder", Collections.<String, String>emptyMap()).withChannel("SMS"))
                .addStep(new CampaignStep(null, 3, 60, "cart-v1", Collections.<String, String>emptyMap()).withChannel("WEBHOOK"))
                .addStep(email(4, "last-call")));
        fixture.nextMorning();
        email = RecoveryFixture.uniqueEmail("steps");
        cart = fixture.abandonedCart(email, "Enamel Mug", "12.50", 2, locale, "USD");
        fixture.jdbc.update("UPDATE CR_CAPTURED_CART SET TOTAL = 25.00 WHERE ORDER_ID = ?", cart.getId());
        planner.planDue();
        assertThat(fixture.jdbc.queryForList("SELECT CHANNEL FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? ORDER BY STEP_NO",
                String.class, cart.getId())).containsExactly("EMAIL", "SMS", "WEBHOOK", "EMAIL");
    }

    @AfterEach
    void disableTheCampaign() {
        fixture.jdbc.update("UPDATE CR_CAMPAIGN SET STATUS = 'DISABLED' WHERE ID = ?", campaign.getId());
    }

    private static CampaignStep email(int stepNo, String template) {
        return new CampaignStep(null, stepNo, 60, template, Collections.singletonMap("*", "Your cart"));
    }

    // ----- conditions, one type at a time

    @Test
    void smsConsentNeedsTheShoppersGrantAndAPhoneNumber() {
        conditions(2, new StepCondition(StepConditionType.CHANNEL_CONSENT, null, null, "SMS"));

        assertThat(exit(2)).isEqualTo("CONDITION_NOT_MET: CHANNEL_CONSENT SMS: no SMS consent or no phone number");
        cartColumns("SMS_CONSENT = 'GRANTED'");
        assertThat(exit(2)).as("granted, but no phone number").startsWith("CONDITION_NOT_MET");
        cartColumns("PHONE = '+4915112345678'");
        assertThat(exit(2)).isNull();
        cartColumns("SMS_CONSENT = 'DENIED'");
        assertThat(exit(2)).startsWith("CONDITION_NOT_MET");
    }

    @Test
    void emailConsentIsAGrantWhereTheStoreRequiresOneAndNotADenialElsewhere() {
        conditions(4, new StepCondition(StepConditionType.CHANNEL_CONSENT, null, null, "EMAIL"));

        assertThat(exit(4)).as("consent UNKNOWN, not required").isNull();
        rules.setMarketingConsentRequired(true);
        assertThat(exit(4)).isEqualTo("CONDITION_NOT_MET: CHANNEL_CONSENT EMAIL: no email consent");
        cartColumns("MARKETING_CONSENT = 'GRANTED'");
        assertThat(exit(4)).isNull();
    }

    @Test
    void cartTotalBoundsHoldInTheirOwnCurrencyOnly() {
        conditions(2, total(StepConditionType.MIN_CART_TOTAL, "50", "USD"));
        assertThat(exit(2)).isEqualTo("CONDITION_NOT_MET: MIN_CART_TOTAL 50 USD: cart total 25 USD");

        conditions(2, total(StepConditionType.MIN_CART_TOTAL, "20", "USD"), total(StepConditionType.MAX_CART_TOTAL, "25", "USD"));
        assertThat(exit(2)).isNull();

        conditions(2, total(StepConditionType.MIN_CART_TOTAL, "20", "EUR"));
        assertThat(exit(2)).as("a USD cart never meets an EUR bound").isEqualTo("CONDITION_NOT_MET: MIN_CART_TOTAL 20 EUR: cart total 25 USD");

        conditions(2, total(StepConditionType.MAX_CART_TOTAL, "24.99", "USD"));
        assertThat(exit(2)).startsWith("CONDITION_NOT_MET: MAX_CART_TOTAL 24.99 USD");
    }

    @Test
    void theCartTotalIsReadAtSendTimeNotAtPlanning() {
        conditions(2, total(StepConditionType.MIN_CART_TOTAL, "50", "USD"));
        assertThat(exit(2)).startsWith("CONDITION_NOT_MET");

        fixture.jdbc.update("UPDATE CR_CAPTURED_CART SET TOTAL = 75.00 WHERE ORDER_ID = ?", cart.getId()); // the shopper added more

        assertThat(exit(2)).isNull();
    }

    @Test
    void previousStepOpensAndClicksComeFromTheEventsOfTheCartsMessageOfTheStepBefore() {
        long first = messageId(1);
        conditions(2, previous("OPENED"));
        assertThat(exit(2)).isEqualTo("CONDITION_NOT_MET: PREVIOUS_STEP OPENED: previous step neither opened nor clicked");
        conditions(2, previous("NOT_OPENED"), previous("NOT_CLICKED"));
        assertThat(exit(2)).isNull();

        event(first, "OPENED");
        conditions(2, previous("OPENED"), previous("NOT_CLICKED"));
        assertThat(exit(2)).isNull();
        conditions(2, previous("CLICKED"));
        assertThat(exit(2)).isEqualTo("CONDITION_NOT_MET: PREVIOUS_STEP CLICKED: previous step opened, not clicked");

        event(first, "CLICKED");
        assertThat(exit(2)).isNull();
        conditions(2, previous("NOT_CLICKED"));
        assertThat(exit(2)).startsWith("CONDITION_NOT_MET");
    }

    @Test
    void previousStepIsTheOneRightBeforeAndANotSentOneWasNeitherOpenedNorClicked() {
        event(messageId(1), "CLICKED");
        conditions(3, previous("CLICKED"));
        // step 3's previous step is step 2 (the SMS), not step 1
        assertThat(exit(3)).startsWith("CONDITION_NOT_MET: PREVIOUS_STEP CLICKED");

        event(messageId(2), "CLICKED");
        assertThat(exit(3)).isNull();
    }

    @Test
    void segmentsReadTheShoppersKindAndOrdersAtSendTime() {
        AudienceConditionsIT.ensureCurrency(fixture, "USD");
        conditions(4, segment("NEW", null, null));
        assertThat(exit(4)).isNull();
        conditions(4, segment("GUEST", null, null));
        assertThat(exit(4)).isNull();
        conditions(4, segment("REGISTERED", null, null));
        assertThat(exit(4)).isEqualTo("CONDITION_NOT_MET: SEGMENT REGISTERED: the shopper is not in this segment");

        // since planning: the shopper registered and bought twice more under the same address
        fixture.jdbc.update("UPDATE BLC_CUSTOMER SET IS_REGISTERED = ? WHERE CUSTOMER_ID = (SELECT CUSTOMER_ID FROM BLC_ORDER "
                + "WHERE ORDER_ID = ?)", true, cart.getId());
        AudienceConditionsIT.earlierOrder(fixture, email.toUpperCase(), "SUBMITTED", "300.00");
        AudienceConditionsIT.earlierOrder(fixture, email, "SUBMITTED", "250.00");

        assertThat(exit(4)).isNull();
        conditions(4, segment("RETURNING", null, null), segment("HIGH_VALUE", "USD", "500"));
        assertThat(exit(4)).isNull();
        conditions(4, segment("NEW", null, null));
        assertThat(exit(4)).startsWith("CONDITION_NOT_MET: SEGMENT NEW");
        conditions(4, segment("HIGH_VALUE", "USD", "600"));
        assertThat(exit(4)).startsWith("CONDITION_NOT_MET: SEGMENT HIGH_VALUE 600 USD");
        conditions(4, segment("HIGH_VALUE", "EUR", "1"));
        assertThat(exit(4)).as("orders in other currencies do not count").startsWith("CONDITION_NOT_MET");
    }

    @Test
    void everyConditionOfTheStepMustHoldAndTheDetailNamesEachThatDoesNot() {
        conditions(2, new StepCondition(StepConditionType.CHANNEL_CONSENT, null, null, "SMS"),
                total(StepConditionType.MAX_CART_TOTAL, "100", "USD"), total(StepConditionType.MIN_CART_TOTAL, "50", "USD"));

        assertThat(exit(2)).isEqualTo("CONDITION_NOT_MET: CHANNEL_CONSENT SMS: no SMS consent or no phone number; "
                + "MIN_CART_TOTAL 50 USD: cart total 25 USD");
        assertThat(exit(1)).as("the other steps have no conditions").isNull();
    }

    @Test
    void aConditionTypeThisVersionDoesNotKnowNeverHolds() {
        fixture.jdbc.update("INSERT INTO CR_CAMPAIGN_STEP_CONDITION (STEP_ID, CONDITION_TYPE, TEXT_VALUE) VALUES (?, 'WEATHER', 'SUNNY')",
                stepId(2));

        assertThat(exit(2)).isEqualTo("CONDITION_NOT_MET: unknown condition type 'WEATHER'");
    }

    @Test
    void aStoppedCartIsReportedAsSuchNotAsAnUnmetCondition() {
        conditions(2, total(StepConditionType.MIN_CART_TOTAL, "50", "USD"));
        fixture.jdbc.update("UPDATE BLC_ORDER SET ORDER_STATUS = 'SUBMITTED', SUBMIT_DATE = ? WHERE ORDER_ID = ?",
                new Timestamp(fixture.clock.instant().toEpochMilli()), cart.getId());

        assertThat(exit(2)).isEqualTo("CART_SUBMITTED");
    }

    @Test
    void aChunkIsCheckedWithTheSameNumberOfStatementsWhateverItsSize() {
        for (int step = 1; step <= 4; step++) {
            conditions(step, new StepCondition(StepConditionType.CHANNEL_CONSENT, null, null, "EMAIL"),
                    total(StepConditionType.MIN_CART_TOTAL, "1", "USD"), previous("NOT_CLICKED"), segment("NEW", null, null));
        }
        rules.setChannelFrequencyCaps(Arrays.asList(new FrequencyCap("SMS", 1, 24), new FrequencyCap("EMAIL", 3, 48)));
        rules.setEmailSuppressionChannels("WEBHOOK");
        AtomicInteger statements = new AtomicInteger();
        JdbcTemplate counted = new JdbcTemplate(counting(fixture.jdbc.getDataSource(), statements));
        List<PlannedMessageRow> all = Arrays.asList(row(1), row(2), row(3), row(4));
        rules.exits(counted, all, fixture.clock.instant()); // the first call also looks at the database product

        statements.set(0);
        rules.exits(counted, Collections.singletonList(row(1)), fixture.clock.instant());
        int forOne = statements.getAndSet(0);
        Map<Long, Exit> exits = rules.exits(counted, all, fixture.clock.instant());
        int forFour = statements.get();

        assertThat(exits).isEmpty();
        assertThat(forFour).isEqualTo(forOne).isLessThanOrEqualTo(8);
    }

    // ----- frequency caps per channel and across channels

    @Test
    void aChannelsCapCountsThatChannelsMessagesToTheShopperOnly() {
        rules.setChannelFrequencyCaps(Collections.singletonList(new FrequencyCap("SMS", 1, 24)));
        sentEarlier("EMAIL", Duration.ofHours(2));
        sentEarlier("EMAIL", Duration.ofHours(3));
        assertThat(exit(2)).as("emails do not count for the SMS cap").isNull();

        sentEarlier("SMS", Duration.ofHours(23));
        assertThat(exit(2)).isEqualTo("CHANNEL_FREQUENCY_CAP: SMS: 1 message in 24 h");
        assertThat(exit(1)).as("an email is not held by the SMS cap").isNull();
    }

    @Test
    void aChannelsCapCountsOnlyItsWindow() {
        rules.setChannelFrequencyCaps(Collections.singletonList(new FrequencyCap("SMS", 1, 24)));
        sentEarlier("SMS", Duration.ofHours(25));

        assertThat(exit(2)).isNull();
    }

    @Test
    void theAllChannelsCapCountsEveryChannelsMessages() {
        rules = new ExitRules(2, 168);
        sentEarlier("SMS", Duration.ofHours(30));
        assertThat(exit(1)).isNull();
        sentEarlier("WEBHOOK", Duration.ofHours(100));

        assertThat(exit(1)).isEqualTo("FREQUENCY_CAP: all channels: 2 messages in 168 h");
        assertThat(exit(2)).isEqualTo("FREQUENCY_CAP: all channels: 2 messages in 168 h");
    }

    @Test
    void messagesOfOneChunkCountForTheOnesAfterThemOnTheirChannelAndAcrossChannels() {
        rules = new ExitRules(3, 168);
        rules.setChannelFrequencyCaps(Collections.singletonList(new FrequencyCap("EMAIL", 1, 168)));
        sentEarlier("SMS", Duration.ofHours(1));

        Map<Long, Exit> exits = rules.exits(fixture.jdbc, Arrays.asList(row(1), row(2), row(3), row(4)), fixture.clock.instant());

        // step 1 (email) goes, step 2 (SMS) goes and fills the cap of 3, step 3 (webhook) is over it; step 4 (email) is
        // over the email cap first
        assertThat(exits.keySet()).containsExactly(messageId(3), messageId(4));
        assertThat(exits.get(messageId(3)).eventDetail()).isEqualTo("FREQUENCY_CAP: all channels: 3 messages in 168 h");
        assertThat(exits.get(messageId(4)).eventDetail()).isEqualTo("CHANNEL_FREQUENCY_CAP: EMAIL: 1 message in 168 h");
    }

    @Test
    void aMessageStoppedByItsConditionsDoesNotCountTowardsACap() {
        rules.setChannelFrequencyCaps(Collections.singletonList(new FrequencyCap("EMAIL", 1, 168)));
        conditions(1, total(StepConditionType.MIN_CART_TOTAL, "50", "USD"));

        Map<Long, Exit> exits = rules.exits(fixture.jdbc, Arrays.asList(row(1), row(4)), fixture.clock.instant());

        assertThat(exits.keySet()).containsExactly(messageId(1));
        assertThat(exits.get(messageId(1)).getReason()).isEqualTo(ExitReason.CONDITION_NOT_MET);
    }

    @Test
    void theCapsInTheContextAreTheConfiguredOnes(PluginContext broadleaf) {
        ExitRules configured = broadleaf.bean("crExitRules", ExitRules.class);
        sentEarlier("SMS", Duration.ofHours(1));
        sentEarlier("SMS", Duration.ofHours(2));

        // cartrecovery.delivery.frequency-cap.sms.messages=2 per 168 h
        assertThat(configured.exits(fixture.jdbc, Collections.singletonList(row(2)), fixture.clock.instant()).get(messageId(2)))
                .hasToString("CHANNEL_FREQUENCY_CAP: SMS: 2 messages in 168 h");
    }

    // ----- the email suppression list across channels

    @Test
    void theEmailSuppressionListStopsEmailAndTheChannelsItAppliesToButNotSms() {
        rules.setEmailSuppressionChannels("EMAIL,WEBHOOK");
        fixture.jdbc.update("INSERT INTO CR_SUPPRESSION (EMAIL, REASON, SOURCE, CREATED_AT) VALUES (?, 'UNSUBSCRIBED', 'test', ?)",
                SuppressedAddress.of(email), new Timestamp(fixture.clock.instant().toEpochMilli()));

        assertThat(exit(1)).isEqualTo("SUPPRESSED");
        assertThat(exit(3)).as("webhook").isEqualTo("SUPPRESSED");
        assertThat(exit(2)).as("SMS has its own opt-out list").isNull();

        rules.setEmailSuppressionChannels("");
        assertThat(exit(3)).as("webhooks not listed").isNull();
        assertThat(exit(4)).as("email always").isEqualTo("SUPPRESSED");
    }

    @Test
    void aWithdrawnMarketingConsentStopsTheSameChannelsAsTheSuppressionList() {
        rules.setEmailSuppressionChannels("WEBHOOK");
        cartColumns("MARKETING_CONSENT = 'DENIED'");

        assertThat(exit(1)).isEqualTo("CONSENT_WITHDRAWN");
        assertThat(exit(3)).isEqualTo("CONSENT_WITHDRAWN");
        assertThat(exit(2)).as("SMS consent is given separately").isNull();
    }

    @Test
    void theContextAppliesTheEmailSuppressionListToWebhooksByDefault(PluginContext broadleaf) {
        ExitRules configured = broadleaf.bean("crExitRules", ExitRules.class);
        fixture.jdbc.update("INSERT INTO CR_SUPPRESSION (EMAIL, REASON, SOURCE, CREATED_AT) VALUES (?, 'BOUNCED', 'test', ?)",
                SuppressedAddress.of(email), new Timestamp(fixture.clock.instant().toEpochMilli()));

        Map<Long, ExitReason> exits = configured.check(fixture.jdbc, Arrays.asList(row(1), row(2), row(3)), fixture.clock.instant());

        assertThat(exits).containsEntry(messageId(1), ExitReason.SUPPRESSED).containsEntry(messageId(3), ExitReason.SUPPRESSED)
                .doesNotContainKey(messageId(2));
    }

    // ----- arrangement

    private String exit(int stepNo) {
        Exit exit = rules.exits(fixture.jdbc, Collections.singletonList(row(stepNo)), fixture.clock.instant()).get(messageId(stepNo));
        return exit == null ? null : exit.eventDetail();
    }

    /** The step's conditions are these (replacing what it had). */
    private void conditions(int stepNo, StepCondition... conditions) {
        long stepId = stepId(stepNo);
        fixture.jdbc.update("DELETE FROM CR_CAMPAIGN_STEP_CONDITION WHERE STEP_ID = ?", stepId);
        for (StepCondition condition : conditions) {
            fixture.jdbc.update("INSERT INTO CR_CAMPAIGN_STEP_CONDITION (STEP_ID, CONDITION_TYPE, CURRENCY_CODE, NUMBER_VALUE, "
                    + "TEXT_VALUE) VALUES (?, ?, ?, ?, ?)", stepId, condition.getType().name(), condition.getCurrencyCode(),
                    condition.getNumberValue(), condition.getTextValue());
        }
    }

    private static StepCondition total(StepConditionType type, String amount, String currency) {
        return new StepCondition(type, currency, new BigDecimal(amount), null);
    }

    private static StepCondition previous(String what) {
        return new StepCondition(StepConditionType.PREVIOUS_STEP, null, null, what);
    }

    private static StepCondition segment(String segment, String currency, String amount) {
        return new StepCondition(StepConditionType.SEGMENT, currency, amount == null ? null : new BigDecimal(amount), segment);
    }

    private void cartColumns(String assignment) {
        fixture.jdbc.update("UPDATE CR_CAPTURED_CART SET " + assignment + " WHERE ORDER_ID = ?", cart.getId());
    }

    private long stepId(int stepNo) {
        return fixture.jdbc.queryForObject("SELECT ID FROM CR_CAMPAIGN_STEP WHERE CAMPAIGN_ID = ? AND STEP_NO = ?", Long.class,
                campaign.getId(), stepNo);
    }

    private long messageId(int stepNo) {
        return fixture.jdbc.queryForObject("SELECT ID FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? AND STEP_NO = ?", Long.class,
                cart.getId(), stepNo);
    }

    private void event(long messageId, String type) {
        fixture.jdbc.update("INSERT INTO CR_MESSAGE_EVENT (PLANNED_MESSAGE_ID, EVENT_TYPE, OCCURRED_AT) VALUES (?, ?, ?)",
                messageId, type, new Timestamp(fixture.clock.instant().toEpochMilli()));
    }

    /** A message of another cart of the same shopper on this channel, sent {@code ago}. */
    private void sentEarlier(String channel, Duration ago) {
        Timestamp at = new Timestamp(fixture.clock.instant().minus(ago).toEpochMilli());
        long otherCart = 990_000_000L + LOCALES.incrementAndGet() * 10L + channel.length();
        fixture.jdbc.update("INSERT INTO CR_PLANNED_MESSAGE (ORDER_ID, CAMPAIGN_ID, STEP_ID, STEP_NO, EMAIL, CHANNEL, STATUS, DUE_AT, "
                + "ATTEMPTS, SENT_AT, CREATED_AT, UPDATED_AT) VALUES (?, ?, ?, 1, ?, ?, 'SENT', ?, 1, ?, ?, ?)",
                otherCart, campaign.getId(), stepId(1), email, channel, at, at, at, at);
    }

    /** The planned message as delivery's claim reads it. */
    private PlannedMessageRow row(int stepNo) {
        return fixture.jdbc.queryForObject("SELECT m.ID, m.ORDER_ID, m.CAMPAIGN_ID, m.STEP_ID, m.EMAIL, m.LOCALE_CODE, m.ATTEMPTS, "
                + "m.MESSAGE_ID, c.ABANDONED_AT, k.UPDATED_AT FROM CR_PLANNED_MESSAGE m JOIN CR_CAPTURED_CART c ON c.ORDER_ID = "
                + "m.ORDER_ID JOIN CR_CAMPAIGN k ON k.ID = m.CAMPAIGN_ID WHERE m.ORDER_ID = ? AND m.STEP_NO = ?",
                (rs, n) -> new PlannedMessageRow(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getString(5),
                        rs.getString(6), rs.getInt(7), rs.getTimestamp(9).toInstant(), rs.getTimestamp(10), rs.getString(8)),
                cart.getId(), stepNo);
    }

    /** The same database, counting the statements prepared on it. */
    private static DataSource counting(DataSource target, AtomicInteger statements) {
        return new DelegatingDataSource(target) {
            @Override
            public Connection getConnection() throws java.sql.SQLException {
                Connection connection = super.getConnection();
                return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                        (proxy, method, args) -> {
                            if (method.getName().startsWith("prepare") || method.getName().equals("createStatement")) {
                                statements.incrementAndGet();
                            }
                            try {
                                return method.invoke(connection, args);
                            } catch (java.lang.reflect.InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
            }
        };
    }
}
