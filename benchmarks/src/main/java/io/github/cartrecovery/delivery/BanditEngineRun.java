package io.github.cartrecovery.delivery;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import javax.sql.DataSource;

import org.apache.commons.math3.random.MersenneTwister;
import org.springframework.transaction.PlatformTransactionManager;

import io.github.cartrecovery.campaign.Campaign;
import io.github.cartrecovery.campaign.CampaignCondition;
import io.github.cartrecovery.campaign.CampaignRepository;
import io.github.cartrecovery.campaign.CampaignStatus;
import io.github.cartrecovery.campaign.CampaignStep;
import io.github.cartrecovery.campaign.ConditionType;
import io.github.cartrecovery.campaign.QuietHours;
import io.github.cartrecovery.campaign.RecoveryPlanner;
import io.github.cartrecovery.campaign.ShopperTimeZones;
import io.github.cartrecovery.experiment.ArmAssignments;
import io.github.cartrecovery.experiment.ArmDiscounts;
import io.github.cartrecovery.experiment.ArmKind;
import io.github.cartrecovery.experiment.BanditRecords;
import io.github.cartrecovery.experiment.Experiment;
import io.github.cartrecovery.experiment.ExperimentArm;
import io.github.cartrecovery.experiment.ExperimentBandit;
import io.github.cartrecovery.experiment.Experiments;
import io.github.cartrecovery.experiment.StepVariant;
import io.github.cartrecovery.testing.PluginContext;

/**
 * The experiments benchmark's bandit part through the real planner: a BANDIT experiment (10% holdout, control "A",
 * variants "B" and "C") on a campaign, abandoned carts written to CR_CAPTURED_CART as detection leaves them, planned by
 * {@link RecoveryPlanner} with {@link ArmAssignments} and {@link ExperimentBandit} (its counts read by
 * {@link BanditRecords} from the database, kept for an hour of the test clock), and each treated cart recovered with
 * its arm's true rate: an attribution record RECOVERED a day after planning, so the bandit learns from it only once
 * the 7-day window has closed. Delivery and restore are not run here (the engine part of the benchmark runs them);
 * the reward is what the attribution writes.
 */
public final class BanditEngineRun {

    /** What the run produced, measured on the treated carts (the holdout is the keyed hash's, not the bandit's). */
    public static final class Outcome {
        public final Map<String, Integer> chosen;
        public final double bestArmShareInLastPart;
        public final double regret;
        public final double uniformRegret;
        public final int heldOut;

        Outcome(Map<String, Integer> chosen, double bestArmShareInLastPart, double regret, double uniformRegret, int heldOut) {
            this.chosen = chosen;
            this.bestArmShareInLastPart = bestArmShareInLastPart;
            this.regret = regret;
            this.uniformRegret = uniformRegret;
            this.heldOut = heldOut;
        }
    }

    private BanditEngineRun() {
    }

    /**
     * {@code carts} carts at {@code cartsPerDay}, planned in rounds of {@code cartsPerRound}; {@code trueRates} by arm
     * key ("A", "B", "C"); the last {@code lastPart} of the treated carts measure the best arm's share.
     */
    public static Outcome run(PluginContext broadleaf, int carts, int cartsPerDay, int cartsPerRound,
                              Map<String, Double> trueRates, double lastPart, long seed) {
        RecoveryFixture fixture = new RecoveryFixture(broadleaf);
        CampaignRepository campaigns = broadleaf.bean("crCampaignRepository", CampaignRepository.class);
        Experiments experiments = broadleaf.bean("crExperiments", Experiments.class);
        PlatformTransactionManager transactions = broadleaf.bean("crTransactionManager", PlatformTransactionManager.class);
        ExperimentBandit bandit = new ExperimentBandit(broadleaf.bean("crBanditRecords", BanditRecords.class),
                broadleaf.bean("crArmDiscounts", ArmDiscounts.class), new MersenneTwister(seed), transactions,
                fixture.clock, 60);
        RecoveryPlanner planner = new RecoveryPlanner(broadleaf.bean("crDataSource", DataSource.class), transactions,
                campaigns, fixture.clock, QuietHours.none(), broadleaf.bean("crShopperTimeZones", ShopperTimeZones.class),
                72, cartsPerRound);
        planner.setArms(new ArmAssignments(experiments, bandit));
        String locale = "zb_BN";
        Campaign campaign = campaigns.save(new Campaign(null, "Benchmark bandit campaign", CampaignStatus.ENABLED, 95,
                fixture.clock.instant())
                .addCondition(new CampaignCondition(ConditionType.LOCALE, null, null, locale))
                .addStep(new CampaignStep(null, 1, 60, "gentle-reminder", Collections.singletonMap("*", "Still there?"))));
        Experiment experiment = experiments.start(experiments.saveDraft(Experiment.draft(campaign.getId(),
                "Benchmark bandit", BigDecimal.TEN,
                ExperimentArm.control("A", "Control", 1),
                ExperimentArm.variant("B", "Subject B", 1, StepVariant.of(1).withSubject("Your basket misses you")),
                ExperimentArm.variant("C", "Subject C", 1, StepVariant.of(1).withSubject("Still thinking it over?")))
                .withBandit(null, null)).getId());
        Map<Long, String> keys = new HashMap<>();
        for (ExperimentArm arm : experiment.getArms()) {
            keys.put(arm.getId(), arm.getKind() == ArmKind.HOLDOUT ? "holdout" : arm.getKey());
        }
        double best = Collections.max(trueRates.values());
        double mean = 0;
        for (double rate : trueRates.values()) {
            mean += rate / trueRates.size();
        }

        Random shoppers = new Random(seed);
        long firstOrder = fixture.jdbc.queryForObject("SELECT COALESCE(MAX(ORDER_ID), 0) FROM CR_CAPTURED_CART", Long.class)
                + 1_000_000_000L;
        Map<String, Integer> chosen = new LinkedHashMap<>();
        List<String> treatedInOrder = new ArrayList<>();
        int heldOut = 0;
        double regret = 0;
        double uniformRegret = 0;
        Duration perRound = Duration.ofMillis(Duration.ofDays(1).toMillis() * cartsPerRound / cartsPerDay);
        long next = firstOrder;
        for (int planned = 0; planned < carts; planned += cartsPerRound) {
            Instant now = fixture.clock.instant();
            Timestamp at = new Timestamp(now.toEpochMilli());
            List<Long> round = new ArrayList<>();
            for (int i = 0; i < cartsPerRound && planned + i < carts; i++) {
                long orderId = next++;
                round.add(orderId);
                fixture.jdbc.update("INSERT INTO CR_CAPTURED_CART (ORDER_ID, EMAIL, ITEM_COUNT, TOTAL, CURRENCY_CODE, "
                        + "LOCALE_CODE, STATUS, FIRST_SEEN, LAST_ACTIVITY, STATUS_CHANGED_AT, ABANDONED_AT) "
                        + "VALUES (?, ?, 1, 25, 'USD', ?, 'ABANDONED', ?, ?, ?, ?)", orderId,
                        "bandit-" + orderId + "@example.com", locale, at, at, at, at);
            }
            planner.planDue();
            Map<Long, String> armOf = new HashMap<>();
            fixture.jdbc.query("SELECT ORDER_ID, ARM_ID FROM CR_EXPERIMENT_ASSIGNMENT WHERE EXPERIMENT_ID = ? "
                    + "AND ORDER_ID >= ?", rs -> { armOf.put(rs.getLong(1), keys.get(rs.getLong(2))); },
                    experiment.getId(), round.get(0));
            Timestamp bought = new Timestamp(now.plus(Duration.ofDays(1)).toEpochMilli());
            for (Long orderId : round) {
                String arm = armOf.get(orderId);
                if (arm == null) {
                    throw new IllegalStateException("cart " + orderId + " was not assigned: " + fixture.describe(orderId));
                }
                if ("holdout".equals(arm)) {
                    heldOut++;
                    continue;
                }
                chosen.merge(arm, 1, Integer::sum);
                treatedInOrder.add(arm);
                regret += best - trueRates.get(arm);
                uniformRegret += best - mean;
                if (shoppers.nextDouble() < trueRates.get(arm)) {
                    fixture.jdbc.update("INSERT INTO CR_ORDER_ATTRIBUTION (ORDER_ID, OUTCOME, CURRENCY_CODE, AMOUNT, "
                            + "PURCHASED_AT, ATTRIBUTED_AT, REPORTED) VALUES (?, 'RECOVERED', 'USD', 25, ?, ?, 1)",
                            orderId, bought, bought);
                }
            }
            fixture.clock.advance(perRound);
        }
        String bestArm = null;
        for (Map.Entry<String, Double> rate : trueRates.entrySet()) {
            bestArm = rate.getValue() == best ? rate.getKey() : bestArm;
        }
        int lastStart = (int) Math.floor(treatedInOrder.size() * (1 - lastPart));
        int bestInLast = 0;
        for (String arm : treatedInOrder.subList(lastStart, treatedInOrder.size())) {
            bestInLast += arm.equals(bestArm) ? 1 : 0;
        }
        double share = treatedInOrder.size() == lastStart ? 0 : bestInLast / (double) (treatedInOrder.size() - lastStart);
        return new Outcome(chosen, share, regret, uniformRegret, heldOut);
    }
}
