package io.github.cartrecovery.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.concurrent.atomic.AtomicInteger;

import javax.annotation.Resource;

import org.broadleafcommerce.core.order.domain.Order;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;

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
 * Issue 16's seed sequence, email -> email -> SMS (only with SMS consent and a cart over 50) -> email, saved the way the
 * admin's campaign editor saves it (CampaignRepository, so CampaignValidator decides), planned and delivered: a cart
 * under 50, or without SMS consent, skips the SMS step (CONDITION_NOT_MET) and still gets the last email at the time
 * planned for it.
 */
@BroadleafWithPlugin
class SeedSequenceIT {

    private static final AtomicInteger LOCALES = new AtomicInteger(500);

    @Resource(name = "crCampaignRepository")
    CampaignRepository campaigns;

    @Resource(name = "crRecoveryPlanner")
    RecoveryPlanner planner;

    @Resource(name = "crExitRules")
    ExitRules exitRules;

    RecoveryFixture fixture;
    GreenMail smtp;
    MessageDelivery delivery;
    String locale;
    Campaign seed;

    @BeforeEach
    void saveTheSeedSequence(PluginContext broadleaf) {
        fixture = new RecoveryFixture(broadleaf);
        int port = RecoveryFixture.freePort();
        smtp = RecoveryFixture.greenMail(port);
        delivery = fixture.deliveryTo(port);
        // an SMS channel that opens: the step's conditions are checked when its messages are prepared (texts it is
        // handed are only counted; the SMS channel itself is tested in SmsRecipientsIT and the reliability suite)
        delivery.setChannels(Collections.singletonList(new CountingSmsChannel()));
        locale = "zy_" + LOCALES.incrementAndGet();
        seed = campaigns.save(seedSequence("Seed sequence " + locale, locale, fixture.clock.instant()));
    }

    @AfterEach
    void stop() {
        smtp.stop();
        fixture.jdbc.update("UPDATE CR_CAMPAIGN SET STATUS = 'DISABLED' WHERE ID = ?", seed.getId());
    }

    /** Email after 1 h, email after 24 h, SMS an hour later (SMS consent, cart of 50 USD or more), email after 24 h. */
    static Campaign seedSequence(String name, String locale, Instant now) {
        return new Campaign(null, name, CampaignStatus.ENABLED, 95, now)
                .addCondition(new CampaignCondition(ConditionType.LOCALE, null, null, locale))
                .addStep(new CampaignStep(null, 1, 60, "gentle-reminder", Collections.singletonMap("*", "Still there?")))
                .addStep(new CampaignStep(null, 2, 1440, "value-reminder", Collections.singletonMap("*", "Still waiting")))
                .addStep(new CampaignStep(null, 3, 60, "sms-reminder", Collections.<String, String>emptyMap()).withChannel("SMS")
                        .addCondition(new StepCondition(StepConditionType.CHANNEL_CONSENT, null, null, "SMS"))
                        .addCondition(new StepCondition(StepConditionType.MIN_CART_TOTAL, "USD", new BigDecimal("50"), null)))
                .addStep(new CampaignStep(null, 4, 1440, "last-call", Collections.singletonMap("*", "Last call")));
    }

    @Test
    void theSavedSequenceKeepsItsChannelsAndConditions() {
        Campaign saved = campaigns.find(seed.getId());

        assertThat(saved.getSteps()).extracting(CampaignStep::getChannel).containsExactly("EMAIL", "EMAIL", "SMS", "EMAIL");
        assertThat(saved.getSteps().get(2).getConditions()).extracting(StepCondition::describe)
                .containsExactly("CHANNEL_CONSENT SMS", "MIN_CART_TOTAL 50 USD");
        assertThat(fixture.jdbc.queryForObject("SELECT COUNT(*) FROM CR_CAMPAIGN_STEP_CONDITION c JOIN CR_CAMPAIGN_STEP s "
                + "ON s.ID = c.STEP_ID WHERE s.CAMPAIGN_ID = ?", Integer.class, seed.getId())).isEqualTo(2);
    }

    @Test
    void aCartUnder50SkipsTheSmsStepAndTheLastEmailStillGoes() {
        String email = RecoveryFixture.uniqueEmail("under-50");
        Instant abandoned = fixture.nextMorning();
        Order cart = cart(email, "25.00", "GRANTED", "+4915112345678");

        deliverTheSequence(abandoned);

        assertTheSmsStepWasSkippedAndTheEmailsWent(cart, email, abandoned, "MIN_CART_TOTAL 50 USD: cart total 25 USD");
    }

    @Test
    void aCartWithoutSmsConsentSkipsTheSmsStepAndTheLastEmailStillGoes() {
        String email = RecoveryFixture.uniqueEmail("no-sms-consent");
        Instant abandoned = fixture.nextMorning();
        Order cart = cart(email, "80.00", "UNKNOWN", "+4915112345678");

        deliverTheSequence(abandoned);

        assertTheSmsStepWasSkippedAndTheEmailsWent(cart, email, abandoned, "CHANNEL_CONSENT SMS: no SMS consent");
    }

    @Test
    void aCartOver50WithSmsConsentIsNotStoppedAtTheSmsStep() {
        String email = RecoveryFixture.uniqueEmail("sms-ok");
        Instant abandoned = fixture.nextMorning();
        Order cart = cart(email, "80.00", "GRANTED", "+4915112345678");
        fixture.clock.set(abandoned.plus(Duration.ofHours(26)));

        assertThat(exitRules.exits(fixture.jdbc, Collections.singletonList(smsStep(cart, email, abandoned)),
                fixture.clock.instant())).isEmpty();
        assertThat(fixture.jdbc.queryForObject("SELECT CHANNEL FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? AND STEP_NO = 3",
                String.class, cart.getId())).isEqualTo("SMS");
    }

    /** The cart's SMS message as delivery's claim reads it. */
    private PlannedMessageRow smsStep(Order cart, String email, Instant abandoned) {
        long sms = fixture.jdbc.queryForObject("SELECT ID FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? AND STEP_NO = 3", Long.class,
                cart.getId());
        return new PlannedMessageRow(sms, cart.getId(), seed.getId(),
                fixture.jdbc.queryForObject("SELECT STEP_ID FROM CR_PLANNED_MESSAGE WHERE ID = ?", Long.class, sms),
                email.toLowerCase(), locale, 0, abandoned, new java.util.Date(), null);
    }

    private Order cart(String email, String total, String smsConsent, String phone) {
        Order cart = fixture.abandonedCart(email, "Enamel Mug", "12.50", 2, locale, "USD");
        fixture.jdbc.update("UPDATE CR_CAPTURED_CART SET TOTAL = ?, SMS_CONSENT = ?, PHONE = ? WHERE ORDER_ID = ?",
                new BigDecimal(total), smsConsent, phone, cart.getId());
        planner.planDue();
        assertThat(fixture.jdbc.queryForList("SELECT CAMPAIGN_ID FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? ORDER BY STEP_NO",
                Long.class, cart.getId())).containsOnly(seed.getId()).hasSize(4);
        return cart;
    }

    /** Delivers at each step's planned time: 1 h, 25 h, 26 h and 50 h after abandonment (no quiet hours in between). */
    private void deliverTheSequence(Instant abandoned) {
        for (int hours : new int[] {1, 25, 26, 50}) {
            fixture.clock.set(abandoned.plus(Duration.ofHours(hours)));
            delivery.deliverDue(1000);
        }
    }

    private void assertTheSmsStepWasSkippedAndTheEmailsWent(Order cart, String email, Instant abandoned, String unmet) {
        String messages = fixture.describe(cart.getId());
        assertThat(fixture.messageStatus(cart.getId(), 1)).as(messages).isEqualTo("SENT");
        assertThat(fixture.messageStatus(cart.getId(), 2)).as(messages).isEqualTo("SENT");
        assertThat(fixture.messageStatus(cart.getId(), 3)).as(messages).isEqualTo("SKIPPED");
        assertThat(fixture.messageOutcome(cart.getId(), 3)).isEqualTo(ExitReason.CONDITION_NOT_MET.name());
        assertThat(fixture.messageStatus(cart.getId(), 4)).as(messages).isEqualTo("SENT");
        assertThat(smtp.getReceivedMessagesForDomain(email)).extracting(m -> m.getSubject())
                .containsExactly("Still there?", "Still waiting", "Last call");
        // the SKIPPED event names the rule and which condition was not met
        assertThat(fixture.jdbc.queryForObject("SELECT DETAIL FROM CR_MESSAGE_EVENT e JOIN CR_PLANNED_MESSAGE m ON m.ID = "
                + "e.PLANNED_MESSAGE_ID WHERE m.ORDER_ID = ? AND m.STEP_NO = 3 AND e.EVENT_TYPE = 'SKIPPED'", String.class,
                cart.getId())).startsWith(ExitReason.CONDITION_NOT_MET.name() + ": " + unmet);
        assertThat(exitRules.exits(fixture.jdbc, Collections.singletonList(smsStep(cart, email, abandoned)), fixture.clock.instant())
                .values()).singleElement().satisfies(exit -> assertThat(exit.getDetail()).startsWith(unmet));
    }

    /** Stands in for the SMS provider: every prepared text is counted, none leaves the test. */
    static final class CountingSmsChannel implements io.github.cartrecovery.channel.Channel<String> {
        final java.util.List<Long> handedOver = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "SMS";
        }

        @Override
        public java.util.Map<Long, io.github.cartrecovery.channel.Recipient> recipients(org.springframework.jdbc.core.JdbcTemplate jdbc,
                java.util.List<io.github.cartrecovery.channel.Addressee> addressees, Instant now) {
            java.util.Map<Long, io.github.cartrecovery.channel.Recipient> recipients = new java.util.HashMap<>();
            for (io.github.cartrecovery.channel.Addressee addressee : addressees) {
                recipients.put(addressee.getPlannedMessageId(), io.github.cartrecovery.channel.Recipient.to("+4915112345678"));
            }
            return recipients;
        }

        @Override
        public String build(io.github.cartrecovery.channel.ChannelMessage message) {
            return "text " + message.getPlannedMessageId();
        }

        @Override
        public Sender<String> open() {
            return new Sender<String>() {
                @Override
                public io.github.cartrecovery.channel.SendOutcome send(io.github.cartrecovery.channel.Recipient recipient,
                                                                       long plannedMessageId, String content) {
                    handedOver.add(plannedMessageId);
                    return io.github.cartrecovery.channel.SendOutcome.accepted("SM" + plannedMessageId);
                }

                @Override
                public void close(boolean reusable) {
                }
            };
        }

        @Override
        public void closeIdle() {
        }
    }
}
