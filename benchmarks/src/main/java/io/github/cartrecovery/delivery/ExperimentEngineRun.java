package io.github.cartrecovery.delivery;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.broadleafcommerce.core.order.domain.Order;
import org.broadleafcommerce.core.order.service.type.OrderStatus;

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
import io.github.cartrecovery.experiment.ArmCounts;
import io.github.cartrecovery.experiment.Experiment;
import io.github.cartrecovery.experiment.ExperimentArm;
import io.github.cartrecovery.experiment.ExperimentResults;
import io.github.cartrecovery.experiment.Experiments;
import io.github.cartrecovery.experiment.StepVariant;
import io.github.cartrecovery.experiment.StepVariants;
import io.github.cartrecovery.site.storefront.RestoreVisits;
import io.github.cartrecovery.testing.PluginContext;

/**
 * The experiments benchmark's real part (in this package for the test harness's {@link RecoveryFixture}): a synthetic
 * population goes through the plugin's own capture, planner (with a running experiment: holdout, control, variant),
 * delivery to a local SMTP sink, purchase (Broadleaf order submitted, captured) and attribution job, day by day on the
 * test clock; the counts per arm come from {@link ExperimentResults#countsFor}. Each shopper buys with the true
 * probability of the arm the planner gave the cart, drawn after the arm is known and the first email was sent.
 */
public final class ExperimentEngineRun {

    /** What the run produced: the counts per arm and the number of emails the sink received. */
    public static final class Outcome {
        public final List<ArmCounts> counts;
        public final int emailsReceived;
        public final Experiment experiment;
        /** Purchases made from a restore link (the visitor's copy of the cart), the others bought the cart itself. */
        public final int restoredPurchases;

        Outcome(List<ArmCounts> counts, int emailsReceived, Experiment experiment, int restoredPurchases) {
            this.counts = counts;
            this.emailsReceived = emailsReceived;
            this.experiment = experiment;
            this.restoredPurchases = restoredPurchases;
        }
    }

    private ExperimentEngineRun() {
    }

    /**
     * Runs {@code days} simulated days of {@code cartsPerDay} abandoned carts; {@code trueRates} by arm key
     * ("holdout", "A", "B"); holdout percent and seed as given.
     */
    public static Outcome run(PluginContext broadleaf, int days, int cartsPerDay, Map<String, Double> trueRates,
                              BigDecimal holdoutPercent, long seed) {
        RecoveryFixture fixture = new RecoveryFixture(broadleaf);
        int port = RecoveryFixture.freePort();
        GreenMail sink = RecoveryFixture.greenMail(port);
        RestoreVisits visits = new RestoreVisits(broadleaf);
        try {
            MessageDelivery delivery = fixture.deliveryTo(port);
            delivery.setStepVariants(broadleaf.bean("crStepVariants", StepVariants.class));
            CampaignRepository campaigns = broadleaf.bean("crCampaignRepository", CampaignRepository.class);
            Experiments experiments = broadleaf.bean("crExperiments", Experiments.class);
            RecoveryPlanner planner = broadleaf.bean("crRecoveryPlanner", RecoveryPlanner.class);
            OrderAttribution attribution = broadleaf.bean("crOrderAttribution", OrderAttribution.class);
            ExperimentResults results = broadleaf.bean("crExperimentResults", ExperimentResults.class);
            CaptureBuffer capture = broadleaf.bean("crCaptureBuffer", CaptureBuffer.class);
            String locale = "zb_EX";
            Campaign campaign = campaigns.save(new Campaign(null, "Benchmark experiment campaign", CampaignStatus.ENABLED,
                    96, fixture.clock.instant())
                    .addCondition(new CampaignCondition(ConditionType.LOCALE, null, null, locale))
                    .addStep(new CampaignStep(null, 1, 60, "gentle-reminder", java.util.Collections.singletonMap("*", "Still there?"))));
            Experiment experiment = experiments.start(experiments.saveDraft(Experiment.draft(campaign.getId(),
                    "Benchmark subject test", holdoutPercent,
                    ExperimentArm.control("A", "Control", 1),
                    ExperimentArm.variant("B", "Another subject", 1,
                            StepVariant.of(1).withSubject("Your basket misses you")))).getId());
            Map<Long, String> armKeys = new HashMap<>();
            for (ExperimentArm arm : experiments.get(experiment.getId()).getArms()) {
                armKeys.put(arm.getId(), arm.getKey());
            }
            Random shoppers = new Random(seed);
            RecoveryLinks links = broadleaf.bean("crRecoveryLinks", RecoveryLinks.class);
            int restored = 0;
            for (int day = 0; day < days; day++) {
                fixture.nextMorning();
                List<Order> carts = new ArrayList<>();
                for (int i = 0; i < cartsPerDay; i++) {
                    carts.add(fixture.abandonedCart(RecoveryFixture.uniqueEmail("bench-d" + day),
                            "Enamel Mug", "12.50", 2, locale, "USD"));
                }
                planner.planDue();
                fixture.clock.advance(Duration.ofMinutes(61));
                while (delivery.deliverDue(500) > 0) {
                    // until every due message went out
                }
                fixture.clock.advance(Duration.ofMinutes(30));
                Map<Long, String> armOf = new LinkedHashMap<>();
                fixture.jdbc.query("SELECT ORDER_ID, ARM_ID FROM CR_EXPERIMENT_ASSIGNMENT WHERE EXPERIMENT_ID = ?",
                        rs -> { armOf.put(rs.getLong(1), armKeys.get(rs.getLong(2))); }, experiment.getId());
                for (Order cart : carts) {
                    String arm = armOf.get(cart.getId());
                    if (arm == null) {
                        throw new IllegalStateException("cart " + cart.getId() + " was not assigned: "
                                + fixture.describe(cart.getId()));
                    }
                    if (shoppers.nextDouble() < trueRates.get(arm)) {
                        // a shopper who got the email comes back through its restore link, on another device: the
                        // visitor's own copy of the cart is bought (attribution credits the message: RECOVERED); a
                        // holdout shopper, who got nothing, buys the cart itself
                        Long sent = fixture.jdbc.query("SELECT MIN(ID) FROM CR_PLANNED_MESSAGE WHERE ORDER_ID = ? "
                                + "AND STATUS = 'SENT'", rs -> rs.next() ? (Long) rs.getObject(1, Long.class) : null, cart.getId());
                        long bought = cart.getId();
                        if (sent != null) {
                            try {
                                bought = visits.open(links.restoreUrl(sent, cart.getId()));
                            } catch (Exception e) {
                                throw new IllegalStateException("restore of cart " + cart.getId(), e);
                            }
                            restored++;
                        }
                        Order order = fixture.store.orders().findOrderById(bought);
                        order.setStatus(OrderStatus.SUBMITTED);
                        try {
                            fixture.store.orders().save(order, false);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
                capture.flush();
                fixture.jdbc.update("UPDATE CR_CAPTURED_CART SET CURRENCY_CODE = 'USD' WHERE LOCALE_CODE = ?", locale);
                fixture.clock.advance(Duration.ofMinutes(10));
                attribution.run();
            }
            return new Outcome(results.countsFor(experiment.getId()), sink.getReceivedMessages().length, experiment,
                    restored);
        } finally {
            visits.close();
            sink.stop();
        }
    }
}
