package io.github.cartrecovery.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import javax.annotation.Resource;
import jakarta.mail.internet.MimeMessage;

import org.broadleafcommerce.core.order.domain.Order;
import org.broadleafcommerce.core.order.service.type.OrderStatus;
import org.broadleafcommerce.core.pricing.service.exception.PricingException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;

import io.github.cartrecovery.attribution.OrderAttribution;
import io.github.cartrecovery.campaign.Campaign;
import io.github.cartrecovery.campaign.CampaignCondition;
import io.github.cartrecovery.campaign.CampaignRepository;
import io.github.cartrecovery.campaign.CampaignStatus;
import io.github.cartrecovery.campaign.CampaignStep;
import io.github.cartrecovery.campaign.ConditionType;
import io.github.cartrecovery.campaign.RecoveryPlanner;
import io.github.cartrecovery.capture.CaptureBuffer;
import io.github.cartrecovery.consent.Unsubscriptions;
import io.github.cartrecovery.experiment.ArmAssignment;
import io.github.cartrecovery.experiment.ArmCounts;
import io.github.cartrecovery.experiment.ArmKind;
import io.github.cartrecovery.experiment.Experiment;
import io.github.cartrecovery.experiment.ExperimentArm;
import io.github.cartrecovery.experiment.ExperimentResults;
import io.github.cartrecovery.experiment.ExperimentStatus;
import io.github.cartrecovery.experiment.Experiments;
import io.github.cartrecovery.experiment.InvalidExperimentException;
import io.github.cartrecovery.experiment.StepVariant;
import io.github.cartrecovery.experiment.StepVariants;
import io.github.cartrecovery.privacy.PersonalData;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;

/**
 * Experiments end to end on Broadleaf: a campaign of an email, a text and a last email, split into a 30% holdout, the
 * control and a variant with another first subject and no last email. Carts are assigned when planned (sticky per
 * shopper, on every node), the holdout gets nothing on any channel, the variant's subject reaches the inbox, and the
 * counts per arm come from the attribution's records.
 */
@BroadleafWithPlugin
class ExperimentsIT {

    private static final AtomicInteger LOCALES = new AtomicInteger(700);
    static final String VARIANT_SUBJECT = "A variant subject";

    @Resource(name = "crCampaignRepository")
    CampaignRepository campaigns;

    @Resource(name = "crRecoveryPlanner")
    RecoveryPlanner planner;

    @Resource(name = "crExperiments")
    Experiments experiments;

    @Resource(name = "crExperimentResults")
    ExperimentResults results;

    @Resource(name = "crOrderAttribution")
    OrderAttribution attribution;

    @Resource(name = "crUnsubscriptions")
    Unsubscriptions unsubscriptions;

    @Resource(name = "crPersonalData")
    PersonalData personalData;

    PluginContext broadleaf;
    RecoveryFixture fixture;
    GreenMail smtp;
    MessageDelivery delivery;
    SeedSequenceIT.CountingSmsChannel texts;
    String locale;
    Campaign campaign;
    Experiment experiment;

    @BeforeEach
    void startAnExperiment(PluginContext broadleaf) {
        this.broadleaf = broadleaf;
        fixture = new RecoveryFixture(broadleaf);
        fixture.clock.advance(Duration.ofDays(10)); // no message of another test within the attribution window
        int port = RecoveryFixture.freePort();
        smtp = RecoveryFixture.greenMail(port);
        delivery = fixture.deliveryTo(port);
        texts = new SeedSequenceIT.CountingSmsChannel();
        delivery.setChannels(Collections.singletonList(texts));
        delivery.setStepVariants(broadleaf.bean("crStepVariants", StepVariants.class));
        locale = "zx_" + LOCALES.incrementAndGet();
        campaign = campaigns.save(new Campaign(null, "Experiment campaign " + locale, CampaignStatus.ENABLED, 96,
                fixture.clock.instant())
                .addCondition(new CampaignCondition(ConditionType.LOCALE, null, null, locale))
                .addStep(new CampaignStep(null, 1, 60, "gentle-reminder", Collections.singletonMap("*", "Still there?")))
                .addStep(new CampaignStep(null, 2, 60, "sms-reminder", Collections.<String, String>emptyMap()).withChannel("SMS"))
                .addStep(new CampaignStep(null, 3, 1440, "last-call", Collections.singletonMap("*", "Last call"))));
        experiment = experiments.start(experiments.saveDraft(Experiment.draft(campaign.getId(), "Subject test",
                new BigDecimal("30"),
                ExperimentArm.control("A", "Control", 1),
                ExperimentArm.variant("B", "New subject, two steps", 1,
                        StepVariant.of(1).withSubject(VARIANT_SUBJECT), StepVariant.omitted(3)))).getId());
    }

    @AfterEach
    void stop() {
        smtp.stop();
        fixture.jdbc.update("UPDATE CR_CAMPAIGN SET STATUS = 'DISABLED' WHERE ID = ?", campaign.getId());
    }

    @Test
    void aHeldOutCartGetsNothingOnAnyChannelWhileAControlCartGetsItsMessages() {
        String heldOutEmail = shopperIn("holdout");
        String controlEmail = shopperIn("A");
        Instant abandoned = fixture.nextMorning();
        Order heldOut = cart(heldOutEmail);
        Order control = cart(controlEmail);

        planner.planDue();
        deliverEverything(abandoned);

        assertThat(cartStatus(heldOut)).isEqualTo("HELD_OUT");
        assertThat(count("SELECT COUNT(*) FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ?", heldOut.getId())).isZero();
        assertThat(recipients()).contains(controlEmail.toLowerCase()).doesNotContain(heldOutEmail.toLowerCase());
        assertThat(fixture.jdbc.queryForList("SELECT STEP_NO FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? AND STATUS = 'SENT' "
                + "AND ARM_ID = ? ORDER BY STEP_NO", Integer.class, control.getId(), arm("A").getId()))
                .as(fixture.describe(control.getId())).containsExactly(1, 2, 3);
        List<Long> controlText = fixture.jdbc.queryForList("SELECT ID FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? "
                + "AND CHANNEL = 'SMS'", Long.class, control.getId());
        assertThat(controlText).hasSize(1);
        assertThat(texts.handedOver).containsAll(controlText);
    }

    @Test
    void aShopperStaysInOneArmAcrossCartsAndNodes() {
        String email = shopperIn("B");
        fixture.nextMorning();
        Order first = cart(email);
        planner.planDue();
        fixture.clock.advance(Duration.ofHours(73)); // past the address's cooldown
        Order second = cart(email.toUpperCase());

        try (PluginContext node2 = broadleaf.bootAnotherNode(Arrays.asList("bl-cartrecovery-applicationContext.xml"),
                Collections.emptyMap())) {
            node2.clock().set(fixture.clock.instant());
            node2.bean("crRecoveryPlanner", RecoveryPlanner.class).planDue();
        }

        List<Map<String, Object>> assignments = fixture.jdbc.queryForList("SELECT ORDER_ID, ARM_ID, SHOPPER_HASH FROM "
                + "CR_EXPERIMENT_ASSIGNMENT WHERE EXPERIMENT_ID = ? ORDER BY ORDER_ID", experiment.getId());
        assertThat(assignments).hasSize(2);
        assertThat(assignments).extracting(row -> ((Number) row.get("ARM_ID")).longValue()).containsOnly(arm("B").getId());
        assertThat(assignments).extracting(row -> row.get("SHOPPER_HASH"))
                .containsOnly(ArmAssignment.shopperHash(experiment.getSalt(), email));
        assertThat(String.valueOf(assignments.get(0).get("SHOPPER_HASH"))).doesNotContain("@");
        assertThat(fixture.jdbc.queryForList("SELECT DISTINCT ARM_ID FROM CR_PLANNED_MESSAGE WHERE ORDER_ID IN (?, ?)",
                Long.class, first.getId(), second.getId())).containsExactly(arm("B").getId());
    }

    @Test
    void theAssignmentIsRecordedAtPlanningAndSurvivesAnUnsubscribe() {
        String email = shopperIn("A");
        fixture.nextMorning();
        Order cart = cart(email);

        planner.planDue();
        assertThat(assignedArm(cart)).isEqualTo(arm("A").getId());
        assertThat(count("SELECT COUNT(*) FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? AND STATUS = 'SENT'", cart.getId())).isZero();

        long first = fixture.jdbc.queryForObject("SELECT ID FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? AND STEP_NO = 1",
                Long.class, cart.getId());
        unsubscriptions.unsubscribe(first, "test");

        assertThat(fixture.messageStatus(cart.getId(), 1)).isEqualTo("SKIPPED");
        assertThat(assignedArm(cart)).isEqualTo(arm("A").getId());
        assertThat(results.countsFor(experiment.getId())).filteredOn(c -> c.getArmKey().equals("A"))
                .extracting(ArmCounts::getEligibleCarts).containsExactly(1L);
    }

    @Test
    void aVariantsSubjectReachesTheInboxAndItsOmittedStepIsNotPlanned() {
        String email = shopperIn("B");
        Instant abandoned = fixture.nextMorning();
        Order cart = cart(email);

        planner.planDue();
        assertThat(fixture.jdbc.queryForList("SELECT STEP_NO FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? AND ARM_ID = ? "
                + "ORDER BY STEP_NO", Integer.class, cart.getId(), arm("B").getId())).containsExactly(1, 2);
        deliverEverything(abandoned);

        assertThat(subjectsTo(email)).containsExactly(VARIANT_SUBJECT);
    }

    @Test
    void aVariantsSubjectForTheShoppersLanguageReachesTheInboxAndIsSavedWithTheDraft() {
        experiments.end(experiment.getId(), null);
        String language = locale.substring(0, locale.indexOf('_'));
        experiment = experiments.start(experiments.saveDraft(Experiment.draft(campaign.getId(), "Subjects per locale",
                BigDecimal.ZERO, ExperimentArm.control("A", "Control", 1),
                ExperimentArm.variant("B", "Localised", 1, StepVariant.of(1).withSubject(VARIANT_SUBJECT)
                        .withSubject(language, "Subject in " + language).withSubject("de", "Betreff B")))).getId());
        assertThat(experiments.get(experiment.getId()).arm("B").step(1).getLocaleSubjects())
                .containsExactly(Map.entry("de", "Betreff B"), Map.entry(language, "Subject in " + language));
        String email = shopperIn("B");
        Instant abandoned = fixture.nextMorning();
        cart(email);

        planner.planDue();
        deliverEverything(abandoned);

        assertThat(subjectsTo(email)).containsExactly("Subject in " + language, "Last call");
    }

    @Test
    void badSubjectsPerLocaleAreRefusedNamingTheStepAndLocaleWithNothingSaved() {
        int stepsBefore = count("SELECT COUNT(*) FROM CR_EXPERIMENT_ARM_STEP");

        assertThatThrownBy(() -> experiments.saveDraft(Experiment.draft(campaign.getId(), "Bad locale subjects",
                BigDecimal.ZERO, ExperimentArm.control("A", "Control", 1),
                ExperimentArm.variant("B", "Localised", 1, StepVariant.of(1).withSubject("de", "   ")
                        .withSubject("fr", "x".repeat(256)).withSubject("es", "Hola\r\nBcc: victim@example.com")
                        .withSubject("<script>", "Hi")))))
                .isInstanceOfSatisfying(InvalidExperimentException.class, e -> assertThat(e.getProblems()).contains(
                        "arms[B].steps[1].subjects[de]: must not be empty (leave the locale out to use the default subject)",
                        "arms[B].steps[1].subjects[fr]: at most 255 characters (was 256)",
                        "arms[B].steps[1].subjects[es]: one line (a subject has no line breaks)",
                        "arms[B].steps[1].subjects: a locale code such as de or de_AT (was '<script>')"));
        assertThat(count("SELECT COUNT(*) FROM CR_EXPERIMENT_ARM_STEP")).isEqualTo(stepsBefore);
    }

    @Test
    void countsPerArmIncludeABoughtHeldOutCartAndARecoveredTreatedCart() throws Exception {
        String heldOutEmail = shopperIn("holdout");
        String controlEmail = shopperIn("A");
        Instant abandoned = fixture.nextMorning();
        Order heldOut = cart(heldOutEmail);
        Order control = cart(controlEmail);
        planner.planDue();
        fixture.clock.set(abandoned.plus(Duration.ofMinutes(61)));
        delivery.deliverDue(500);
        long firstEmail = fixture.jdbc.queryForObject("SELECT ID FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? AND STEP_NO = 1 "
                + "AND STATUS = 'SENT'", Long.class, control.getId());
        fixture.clock.advance(Duration.ofMinutes(5));
        fixture.jdbc.update("INSERT INTO CR_MESSAGE_EVENT (PLANNED_MESSAGE_ID, EVENT_TYPE, OCCURRED_AT) VALUES (?, 'CLICKED', ?)",
                firstEmail, new java.sql.Timestamp(fixture.clock.instant().toEpochMilli()));
        fixture.clock.advance(Duration.ofMinutes(5));

        submit(heldOut);
        submit(control);
        attribution.run();

        Map<String, ArmCounts> counts = byKey(results.countsFor(experiment.getId()));
        assertThat(counts.keySet()).containsExactly("holdout", "A", "B");
        ArmCounts holdout = counts.get("holdout");
        assertThat(holdout.getKind()).isEqualTo(ArmKind.HOLDOUT);
        assertThat(new long[] {holdout.getEligibleCarts(), holdout.getMessages(), holdout.getConvertedCarts(),
                holdout.getRecoveredCarts()}).containsExactly(1, 0, 1, 0);
        assertThat(holdout.getRevenueByCurrency().get("USD").getOrders()).isEqualTo(1);
        assertThat(holdout.getRevenueByCurrency().get("USD").getSum()).isEqualByComparingTo(amount(heldOut));
        ArmCounts treated = counts.get("A");
        assertThat(new long[] {treated.getEligibleCarts(), treated.getMessages(), treated.getClicks(),
                treated.getConvertedCarts(), treated.getRecoveredCarts()}).containsExactly(1, 1, 1, 1, 1);
        BigDecimal total = amount(control);
        assertThat(treated.getRevenueByCurrency().get("USD").getSum()).isEqualByComparingTo(total);
        assertThat(treated.getRevenueByCurrency().get("USD").getSumOfSquares()).isEqualByComparingTo(total.multiply(total));
        assertThat(counts.get("B").getEligibleCarts()).isZero();
    }

    @Test
    void endingWithAWinnerAppliesItsStepsToTheCampaign() {
        String email = shopperIn("B");
        fixture.nextMorning();
        Order cart = cart(email);
        planner.planDue();

        Experiment ended = experiments.end(experiment.getId(), arm("B").getId());

        assertThat(ended.getStatus()).isEqualTo(ExperimentStatus.ENDED);
        assertThat(ended.getWinnerArmId()).isEqualTo(arm("B").getId());
        assertThat(ended.getArms()).extracting(ExperimentArm::getKey).containsExactly("holdout", "A", "B");
        assertThat(assignedArm(cart)).isEqualTo(arm("B").getId());
        Campaign continued = campaigns.find(campaign.getId());
        assertThat(continued.getSteps()).extracting(CampaignStep::getStepNo).containsExactly(1, 2);
        assertThat(continued.getSteps().get(0).subjectFor(locale)).isEqualTo(VARIANT_SUBJECT);
        // no experiment runs now: the next cart is planned as the campaign says, without an arm
        fixture.clock.advance(Duration.ofDays(1));
        Order next = cart(shopperIn("holdout"));
        planner.planDue();
        assertThat(fixture.jdbc.queryForList("SELECT ARM_ID FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ?", Long.class,
                next.getId())).hasSize(2).containsOnlyNulls();
    }

    @Test
    void invalidExperimentsAreRefusedWithNothingSaved() {
        int experimentsBefore = count("SELECT COUNT(*) FROM CR_EXPERIMENT");
        int armsBefore = count("SELECT COUNT(*) FROM CR_EXPERIMENT_ARM");

        assertThatThrownBy(() -> experiments.saveDraft(Experiment.draft(campaign.getId(), "Too much holdout",
                new BigDecimal("60"), ExperimentArm.control("A", "Control", 1),
                ExperimentArm.variant("A", "Same key", 0, StepVariant.of(9).withSubject("x")),
                ExperimentArm.control("C", "Second control", 1))))
                .isInstanceOfSatisfying(InvalidExperimentException.class, e -> assertThat(e.getProblems()).contains(
                        "holdoutPercent: between 0 and 50 (was 60)",
                        "arms[A].key: used by two arms",
                        "arms[A].weight: must be a positive whole number (was 0)",
                        "arms[A].steps[9].stepNo: the campaign has no step 9 (it has [1, 2, 3])",
                        "arms: exactly one CONTROL arm (has 2)"));
        assertThatThrownBy(() -> experiments.saveDraft(Experiment.draft(campaign.getId(), "Bad values",
                new BigDecimal("10"), ExperimentArm.control("A", "Control", 1),
                ExperimentArm.variant("B", "Fax", 1, StepVariant.of(1).withChannel("FAX"),
                        StepVariant.of(3).withTemplate("no-such-template")))))
                .isInstanceOfSatisfying(InvalidExperimentException.class, e -> assertThat(e.getProblems()).anySatisfy(
                        p -> assertThat(p).startsWith("arms[B].steps[1].channel: unknown channel 'FAX'"))
                        .anySatisfy(p -> assertThat(p).startsWith("arms[B].steps[3].template: unknown template 'no-such-template'")));
        Experiment second = experiments.saveDraft(Experiment.draft(campaign.getId(), "A second one", BigDecimal.ZERO,
                ExperimentArm.control("A", "Control", 1)));
        assertThatThrownBy(() -> experiments.start(second.getId()))
                .isInstanceOfSatisfying(InvalidExperimentException.class, e -> assertThat(e.getProblems())
                        .containsExactly("status: campaign " + campaign.getId() + " already runs experiment 'Subject test' "
                                + "(at most one at a time)"));
        assertThatThrownBy(() -> experiments.saveDraft(Experiment.draft(campaign.getId(), "subject TEST",
                BigDecimal.ZERO, ExperimentArm.control("A", "Control", 1))))
                .isInstanceOf(InvalidExperimentException.class).hasMessageContaining("name: the campaign has another experiment");

        assertThat(count("SELECT COUNT(*) FROM CR_EXPERIMENT")).isEqualTo(experimentsBefore + 1);
        assertThat(count("SELECT COUNT(*) FROM CR_EXPERIMENT_ARM")).isEqualTo(armsBefore + 1);
        assertThat(experiments.get(second.getId()).getStatus()).isEqualTo(ExperimentStatus.DRAFT);
    }

    @Test
    void theExportShowsTheAssignmentAndErasureLeavesNoHashThatLeadsBack() {
        String email = shopperIn("A");
        fixture.nextMorning();
        Order cart = cart(email);
        planner.planDue();

        assertThat(personalData.export(email)).contains("CR_EXPERIMENT_ASSIGNMENT")
                .contains(ArmAssignment.shopperHash(experiment.getSalt(), email));
        personalData.erase(email);

        assertThat(assignedArm(cart)).as("the arm's counts stay").isEqualTo(arm("A").getId());
        assertThat(fixture.jdbc.queryForObject("SELECT SHOPPER_HASH FROM CR_EXPERIMENT_ASSIGNMENT WHERE ORDER_ID = ?",
                String.class, cart.getId())).isNull();
    }

    // ----- arranging -----

    private ExperimentArm arm(String key) {
        return experiment.arm(key);
    }

    /** A fresh address the experiment's keyed hash puts in arm {@code key}. */
    private String shopperIn(String key) {
        for (int i = 0; i < 1000; i++) {
            String email = RecoveryFixture.uniqueEmail("arm-" + key);
            if (ArmAssignment.arm(experiment.getSalt(), experiment.getHoldoutPercent(), experiment.getArms(), email)
                    .getKey().equals(key)) {
                return email;
            }
        }
        throw new IllegalStateException("no address for arm " + key);
    }

    private Order cart(String email) {
        return fixture.abandonedCart(email, "Enamel Mug", "12.50", 2, locale, "USD");
    }

    private void deliverEverything(Instant abandoned) {
        fixture.clock.set(abandoned.plus(Duration.ofDays(3)));
        for (int round = 0; round < 3; round++) {
            delivery.deliverDue(500);
        }
    }

    private void submit(Order cart) throws PricingException {
        Order order = fixture.store.orders().findOrderById(cart.getId());
        order.setStatus(OrderStatus.SUBMITTED);
        fixture.store.orders().save(order, false);
        broadleaf.bean("crCaptureBuffer", CaptureBuffer.class).flush();
        assertThat(cartStatus(cart)).isEqualTo("PURCHASED");
        // the test store's orders carry no currency: as if the shopper had checked out on a USD site
        fixture.jdbc.update("UPDATE CR_CAPTURED_CART SET CURRENCY_CODE = 'USD' WHERE ORDER_ID = ?", cart.getId());
    }

    private List<String> recipients() {
        List<String> to = new java.util.ArrayList<>();
        for (MimeMessage message : smtp.getReceivedMessages()) {
            try {
                to.add(message.getAllRecipients()[0].toString().toLowerCase());
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return to;
    }

    private List<String> subjectsTo(String email) {
        List<String> subjects = new java.util.ArrayList<>();
        for (MimeMessage message : smtp.getReceivedMessages()) {
            try {
                if (message.getAllRecipients()[0].toString().equalsIgnoreCase(email)) {
                    subjects.add(message.getSubject());
                }
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return subjects;
    }

    private Long assignedArm(Order cart) {
        return fixture.jdbc.queryForObject("SELECT ARM_ID FROM CR_EXPERIMENT_ASSIGNMENT WHERE EXPERIMENT_ID = ? AND ORDER_ID = ?",
                Long.class, experiment.getId(), cart.getId());
    }

    private String cartStatus(Order cart) {
        return fixture.jdbc.queryForObject("SELECT STATUS FROM CR_CAPTURED_CART WHERE ORDER_ID = ?", String.class, cart.getId());
    }

    private BigDecimal amount(Order cart) {
        return fixture.jdbc.queryForObject("SELECT AMOUNT FROM CR_ORDER_ATTRIBUTION WHERE ORDER_ID = ?", BigDecimal.class,
                cart.getId());
    }

    private int count(String sql, Object... args) {
        return fixture.jdbc.queryForObject(sql, Integer.class, args);
    }

    private static Map<String, ArmCounts> byKey(List<ArmCounts> counts) {
        Map<String, ArmCounts> byKey = new java.util.LinkedHashMap<>();
        for (ArmCounts arm : counts) {
            byKey.put(arm.getArmKey(), arm);
        }
        return byKey;
    }
}
