package io.github.cartrecovery.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.apache.commons.math3.random.MersenneTwister;
import org.broadleafcommerce.core.order.domain.Order;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.PlatformTransactionManager;

import io.github.cartrecovery.campaign.Campaign;
import io.github.cartrecovery.campaign.CampaignCondition;
import io.github.cartrecovery.campaign.CampaignRepository;
import io.github.cartrecovery.campaign.CampaignStatus;
import io.github.cartrecovery.campaign.CampaignStep;
import io.github.cartrecovery.campaign.ConditionType;
import io.github.cartrecovery.campaign.LearnedSendTime;
import io.github.cartrecovery.campaign.QuietHours;
import io.github.cartrecovery.campaign.RecoveryPlanner;
import io.github.cartrecovery.campaign.ShopperTimeZones;
import io.github.cartrecovery.experiment.Allocation;
import io.github.cartrecovery.experiment.ArmAssignment;
import io.github.cartrecovery.experiment.ArmAssignments;
import io.github.cartrecovery.experiment.ArmDiscounts;
import io.github.cartrecovery.experiment.ArmKind;
import io.github.cartrecovery.experiment.BanditRecords;
import io.github.cartrecovery.experiment.Experiment;
import io.github.cartrecovery.experiment.ExperimentArm;
import io.github.cartrecovery.experiment.ExperimentBandit;
import io.github.cartrecovery.experiment.Experiments;
import io.github.cartrecovery.experiment.InvalidExperimentException;
import io.github.cartrecovery.experiment.StepVariant;
import io.github.cartrecovery.experiment.bandit.BanditAllocation;
import io.github.cartrecovery.experiment.bandit.Segment;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;

/**
 * BANDIT experiments on Broadleaf and the real database: a 20% holdout set aside by the keyed hash, a control and a
 * variant chosen by Thompson sampling for new shoppers' carts. Rewards are simulated as assignments with attribution
 * records (RECOVERED within the 7-day window); the planner's own carts show the choice recorded before any message.
 */
@BroadleafWithPlugin
class BanditExperimentIT {

    private static final AtomicInteger LOCALES = new AtomicInteger(900);
    /** Simulated carts: order ids no Broadleaf order has. */
    private static final AtomicLong SIMULATED = new AtomicLong(8_000_000_000L + System.nanoTime() % 1_000_000_000L);
    static final Segment NEW_SHOPPERS = new Segment(Segment.Shopper.NEW, Segment.CartValue.STANDARD, null);

    PluginContext broadleaf;
    RecoveryFixture fixture;
    CampaignRepository campaigns;
    Experiments experiments;
    ExperimentBandit bandit;
    RecoveryPlanner planner;
    String locale;
    Campaign campaign;
    Experiment experiment;
    List<Long> simulated = new ArrayList<>();

    @BeforeEach
    void startABandit(PluginContext broadleaf) {
        this.broadleaf = broadleaf;
        fixture = new RecoveryFixture(broadleaf);
        fixture.clock.advance(Duration.ofDays(10));
        campaigns = broadleaf.bean("crCampaignRepository", CampaignRepository.class);
        experiments = broadleaf.bean("crExperiments", Experiments.class);
        bandit = newBandit(7);
        planner = new RecoveryPlanner(broadleaf.bean("crDataSource", DataSource.class),
                broadleaf.bean("crTransactionManager", PlatformTransactionManager.class), campaigns, fixture.clock,
                broadleaf.bean("crQuietHours", QuietHours.class), broadleaf.bean("crShopperTimeZones", ShopperTimeZones.class),
                72, 500);
        planner.setArms(new ArmAssignments(experiments, bandit));
        locale = "zb_" + LOCALES.incrementAndGet();
        campaign = campaigns.save(new Campaign(null, "Bandit campaign " + locale, CampaignStatus.ENABLED, 97,
                fixture.clock.instant())
                .addCondition(new CampaignCondition(ConditionType.LOCALE, null, null, locale))
                .addStep(new CampaignStep(null, 1, 60, "gentle-reminder", Collections.singletonMap("*", "Still there?"))));
        experiment = experiments.start(experiments.saveDraft(Experiment.draft(campaign.getId(), "Bandit", new BigDecimal("20"),
                ExperimentArm.control("A", "Control", 1),
                ExperimentArm.variant("B", "Other subject", 1, StepVariant.of(1).withSubject("Your cart misses you")))
                .withBandit(new BigDecimal("0.1"), null)).getId());
    }

    /** A bandit as another node would have it: its own seeded draws, counts read for every cart. */
    ExperimentBandit newBandit(long seed) {
        return new ExperimentBandit(broadleaf.bean("crBanditRecords", BanditRecords.class),
                broadleaf.bean("crArmDiscounts", ArmDiscounts.class), new MersenneTwister(seed),
                broadleaf.bean("crTransactionManager", PlatformTransactionManager.class), fixture.clock, 0);
    }

    @AfterEach
    void stop() {
        fixture.jdbc.update("UPDATE CR_CAMPAIGN SET STATUS = 'DISABLED' WHERE ID = ?", campaign.getId());
        for (Long orderId : simulated) {
            fixture.jdbc.update("DELETE FROM CR_ORDER_ATTRIBUTION WHERE ORDER_ID = ?", orderId);
        }
    }

    @Test
    void sharesMoveTowardTheBetterArmOnlyAsWindowsCloseAndTheFloorHolds() {
        assertThat(allocation().shareOf(id("A"))).isCloseTo(0.5, within(0.05));

        // recovered carts whose window is still open are pending: they move nothing yet
        simulate("B", 120, 120, fixture.clock.instant().minus(Duration.ofDays(1)));
        BanditAllocation pending = allocation();
        assertThat(pending.shareOf(id("B"))).isCloseTo(0.5, within(0.05));
        assertThat(pending.getOutcomes().get(id("B")).getPending()).isEqualTo(120);

        Instant closed = fixture.clock.instant().minus(Duration.ofDays(9));
        simulate("A", 300, 15, closed);
        simulate("B", 300, 60, closed);
        BanditAllocation learned = allocation();

        assertThat(learned.shareOf(id("B"))).isCloseTo(0.9, within(0.001));
        assertThat(learned.shareOf(id("A"))).as("the exploration floor").isCloseTo(0.1, within(0.001));
        assertThat(bandit.summaries(experiments.get(experiment.getId()), campaign)).singleElement()
                .satisfies(s -> assertThat(s.words()).startsWith("For new shoppers it is sure"));
    }

    @Test
    void thePlannerRecordsTheBanditsChoiceBeforeAnyMessageAndKeepsTheHoldout() {
        Instant closed = fixture.clock.instant().minus(Duration.ofDays(9));
        simulate("A", 300, 15, closed);
        simulate("B", 300, 60, closed);
        fixture.nextMorning();
        List<Order> treated = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            treated.add(cart(shopperNotHeldOut()));
        }
        Order heldOut = cart(shopperHeldOut());

        planner.planDue();

        assertThat(status(heldOut)).isEqualTo("HELD_OUT");
        assertThat(count("SELECT COUNT(*) FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ?", heldOut.getId())).isZero();
        assertThat(fixture.jdbc.queryForObject("SELECT ARM_ID FROM CR_EXPERIMENT_ASSIGNMENT WHERE ORDER_ID = ?",
                Long.class, heldOut.getId())).isEqualTo(experiment.arm("holdout").getId());
        int toB = 0;
        for (Order cart : treated) {
            Map<String, Object> assignment = fixture.jdbc.queryForMap("SELECT ARM_ID, SEGMENT_KEY FROM "
                    + "CR_EXPERIMENT_ASSIGNMENT WHERE EXPERIMENT_ID = ? AND ORDER_ID = ?", experiment.getId(), cart.getId());
            long arm = ((Number) assignment.get("ARM_ID")).longValue();
            assertThat(assignment.get("SEGMENT_KEY")).isEqualTo("new.standard");
            assertThat(fixture.jdbc.queryForList("SELECT ARM_ID FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? AND STATUS = 'PLANNED'",
                    Long.class, cart.getId())).as("planned, none sent yet, in the recorded arm").containsExactly(arm);
            toB += arm == experiment.arm("B").getId() ? 1 : 0;
        }
        assertThat(toB).as("most carts go to the better arm").isGreaterThanOrEqualTo(8);
    }

    @Test
    void aFrozenBanditStopsMovingOnEveryNodeUntilUnfrozen() {
        Instant closed = fixture.clock.instant().minus(Duration.ofDays(9));
        simulate("A", 200, 20, closed);
        simulate("B", 200, 36, closed);
        double before = allocation().shareOf(id("B"));

        bandit.freeze(experiments.get(experiment.getId()), campaign);
        simulate("A", 600, 300, fixture.clock.instant().minus(Duration.ofDays(8)));
        fixture.clock.advance(Duration.ofHours(1));

        BanditAllocation frozen = newBandit(99).allocation(experiments.get(experiment.getId()), campaign, NEW_SHOPPERS,
                fixture.clock.instant());
        assertThat(frozen.isFrozen()).isTrue();
        assertThat(frozen.shareOf(id("B"))).isCloseTo(before, within(1e-6));
        assertThat(frozen.getProbabilityBest().get(id("A"))).as("what the data says now").isGreaterThan(0.99);
        assertThat(experiments.get(experiment.getId()).isFrozen()).isTrue();
        assertThatThrownBy(() -> bandit.freeze(experiments.get(experiment.getId()), campaign))
                .isInstanceOf(InvalidExperimentException.class);

        bandit.unfreeze(experiments.get(experiment.getId()));
        assertThat(allocation().shareOf(id("A"))).isCloseTo(0.9, within(0.001));
        assertThat(count("SELECT COUNT(*) FROM CR_EXPERIMENT_FROZEN_SHARE WHERE EXPERIMENT_ID = ?", experiment.getId())).isZero();
    }

    @Test
    void aLearnedSendTimeFollowsTheShoppersOpensButNeverIntoQuietHours() {
        experiments.end(experiment.getId(), null); // every cart of the campaign planned as it is
        planner.setSendTimes(new LearnedSendTime(true, 3, 12, 0, broadleaf.bean("crShopperTimeZones", ShopperTimeZones.class)));
        String email = RecoveryFixture.uniqueEmail("send-time");
        Instant firstMorning = fixture.nextMorning();
        Order first = cart(email);
        planner.planDue();
        long message = fixture.jdbc.queryForObject("SELECT ID FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ?", Long.class,
                first.getId());
        Instant evening = firstMorning.plus(Duration.ofHours(10)); // 20:00 UTC, the store's zone in the tests
        Instant lateNight = firstMorning.plus(Duration.ofHours(12)); // 22:00: in the quiet hours 21:00-08:00
        for (Instant opened : new Instant[] {evening, evening, evening, lateNight, lateNight, lateNight, lateNight}) {
            fixture.jdbc.update("INSERT INTO CR_MESSAGE_EVENT (PLANNED_MESSAGE_ID, EVENT_TYPE, OCCURRED_AT) VALUES (?, 'OPENED', ?)",
                    message, new Timestamp(opened.toEpochMilli()));
        }

        fixture.clock.advance(Duration.ofDays(4)); // past the address's cooldown
        fixture.nextMorning();
        Order second = cart(email);
        planner.planDue();

        Timestamp due = fixture.jdbc.queryForObject("SELECT DUE_AT FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ?",
                Timestamp.class, second.getId());
        assertThat(due.toInstant().atZone(ZoneOffset.UTC).getHour()).as("10:00 + 1 h, moved to the opens' hour")
                .isEqualTo(20);
        assertThat(fixture.jdbc.queryForObject("SELECT SEGMENT_KEY FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ?",
                String.class, second.getId())).isEqualTo("new.standard");
    }

    @Test
    void aBanditDraftNeedsAVariantAndAFloorBelowOne() {
        assertThatThrownBy(() -> experiments.saveDraft(Experiment.draft(campaign.getId(), "Lonely bandit", BigDecimal.ZERO,
                ExperimentArm.control("A", "Control", 1)).withBandit(BigDecimal.ONE, 120)))
                .isInstanceOfSatisfying(InvalidExperimentException.class, e -> assertThat(e.getProblems()).contains(
                        "allocation: a BANDIT chooses among the CONTROL and the VARIANTs, so it needs at least one "
                                + "VARIANT (has 1 treated arm)",
                        "explorationFloor: at least 0 and below 1 (0.05 = 5% of the carts per arm; was 1)",
                        "maxDiscountPercent: between 0 and 100, or empty for no maximum (was 120)"));
        assertThat(experiments.get(experiment.getId()).getAllocation()).isEqualTo(Allocation.BANDIT);
    }

    // ----- arranging -----

    private BanditAllocation allocation() {
        return bandit.allocation(experiments.get(experiment.getId()), campaign, NEW_SHOPPERS, fixture.clock.instant());
    }

    private String id(String key) {
        return String.valueOf(experiment.arm(key).getId());
    }

    /** {@code carts} carts of new shoppers assigned to arm {@code key} at {@code assignedAt}, {@code recovered} of them bought a day later. */
    private void simulate(String key, int carts, int recovered, Instant assignedAt) {
        for (int i = 0; i < carts; i++) {
            long orderId = SIMULATED.incrementAndGet();
            simulated.add(orderId);
            fixture.jdbc.update("INSERT INTO CR_EXPERIMENT_ASSIGNMENT (EXPERIMENT_ID, ORDER_ID, ARM_ID, ASSIGNED_AT, SEGMENT_KEY) "
                    + "VALUES (?, ?, ?, ?, 'new.standard')", experiment.getId(), orderId, experiment.arm(key).getId(),
                    new Timestamp(assignedAt.toEpochMilli()));
            if (i < recovered) {
                Timestamp bought = new Timestamp(assignedAt.plus(Duration.ofDays(1)).toEpochMilli());
                fixture.jdbc.update("INSERT INTO CR_ORDER_ATTRIBUTION (ORDER_ID, OUTCOME, CURRENCY_CODE, AMOUNT, PURCHASED_AT, "
                        + "ATTRIBUTED_AT, REPORTED) VALUES (?, 'RECOVERED', 'USD', 25, ?, ?, 1)", orderId, bought, bought);
            }
        }
    }

    private String shopperNotHeldOut() {
        return shopper(false);
    }

    private String shopperHeldOut() {
        return shopper(true);
    }

    private String shopper(boolean heldOut) {
        for (int i = 0; i < 1000; i++) {
            String email = RecoveryFixture.uniqueEmail("bandit");
            boolean hashSaysHoldout = ArmAssignment.arm(experiment.getSalt(), experiment.getHoldoutPercent(),
                    experiment.getArms(), email).getKind() == ArmKind.HOLDOUT;
            if (hashSaysHoldout == heldOut) {
                return email;
            }
        }
        throw new IllegalStateException("no address");
    }

    private Order cart(String email) {
        return fixture.abandonedCart(email, "Enamel Mug", "12.50", 2, locale, "USD");
    }

    private String status(Order cart) {
        return fixture.jdbc.queryForObject("SELECT STATUS FROM CR_CAPTURED_CART WHERE ORDER_ID = ?", String.class, cart.getId());
    }

    private int count(String sql, Object... args) {
        return fixture.jdbc.queryForObject(sql, Integer.class, args);
    }
}
