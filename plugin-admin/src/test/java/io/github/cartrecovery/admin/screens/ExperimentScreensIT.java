package io.github.cartrecovery.admin.screens;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import javax.annotation.Resource;
import javax.sql.DataSource;

import org.broadleafcommerce.openadmin.server.security.domain.AdminPermission;
import org.broadleafcommerce.openadmin.server.security.domain.AdminUser;
import org.broadleafcommerce.openadmin.server.security.remote.SecurityVerifier;
import org.broadleafcommerce.openadmin.server.security.service.AdminSecurityService;
import org.broadleafcommerce.openadmin.server.security.service.navigation.AdminNavigationService;
import org.broadleafcommerce.openadmin.web.controller.AdminAbstractController;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mockito.Mockito;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.ui.ExtendedModelMap;
import org.springframework.ui.Model;

import io.github.cartrecovery.admin.web.ExperimentForm;
import io.github.cartrecovery.admin.web.ExperimentsController;
import io.github.cartrecovery.campaign.Campaign;
import io.github.cartrecovery.campaign.CampaignRepository;
import io.github.cartrecovery.campaign.CampaignStatus;
import io.github.cartrecovery.campaign.CampaignStep;
import io.github.cartrecovery.experiment.Allocation;
import io.github.cartrecovery.experiment.ArmKind;
import io.github.cartrecovery.experiment.Experiment;
import io.github.cartrecovery.experiment.ExperimentArm;
import io.github.cartrecovery.experiment.ExperimentBandit;
import io.github.cartrecovery.experiment.ExperimentResults;
import io.github.cartrecovery.experiment.ExperimentStatus;
import io.github.cartrecovery.experiment.Experiments;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;

/**
 * The acceptance for the admin: an experiment with a 10% holdout and two subject variants on step 1, created,
 * started and ended on the Experiments screen, with its per-arm report and CSV. The carts' assignments and purchases
 * are inserted directly (CR_EXPERIMENT_ASSIGNMENT, CR_ORDER_ATTRIBUTION: what the planner and the attribution write);
 * the planner's side is covered by plugin-core's ExperimentsIT.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@BroadleafWithPlugin(patches = {"bl-cartrecovery-applicationContext.xml", "bl-cartrecovery-admin-applicationContext.xml"})
class ExperimentScreensIT {

    private static final AtomicInteger NAMES = new AtomicInteger();

    @Resource(name = "crDataSource") DataSource dataSource;
    @Resource(name = "blAdminSecurityService") AdminSecurityService security;
    @Resource(name = "blAdminNavigationService") AdminNavigationService navigation;
    @Resource(name = "blAdminSecurityRemoteService") SecurityVerifier securityVerifier;
    @Resource(name = "crExperiments") Experiments experiments;
    @Resource(name = "crExperimentResults") ExperimentResults results;
    @Resource(name = "crCampaignRepository") CampaignRepository campaigns;
    @Resource(name = "crExperimentBandit") ExperimentBandit bandit;

    JdbcTemplate jdbc;
    AdminUser admin;
    AdminUser clerk;

    @BeforeAll
    void adminAndClerk() {
        jdbc = new JdbcTemplate(dataSource);
        AdminPermission allCartRecovery = security.readAdminPermissionById(-8613L); // ALL on the plugin's entities (1.0/010)
        admin = user("cr-experiments-admin", allCartRecovery);
        clerk = user("cr-experiments-clerk", null);
    }

    @AfterEach
    void logOut() {
        AdminScreens.logOut();
    }

    @Test
    void aHoldoutAndTwoSubjectVariantsAreCreatedStartedReportedAndEnded(PluginContext broadleaf) throws Exception {
        logIn(admin);
        Campaign campaign = campaign();
        MockHttpServletRequest post = draftPost(campaign.getId(), "Subject test");

        Model saved = new ExtendedModelMap();
        controller().save(saved, post);

        assertThat(saved.asMap()).containsEntry("message", "saved").containsEntry("viewType", "cartRecovery/experiments");
        Experiment experiment = experiments.forCampaign(campaign.getId()).get(0);
        assertThat(experiment.getHoldoutPercent()).isEqualByComparingTo("10");
        assertThat(experiment.getArms()).extracting(ExperimentArm::getKey).containsExactly("holdout", "A", "B", "C");
        assertThat(experiment.arm("B").step(1).getSubject()).isEqualTo("Did you forget something?");
        assertThat(experiment.arm("C").step(1).getSubject()).isEqualTo("Your cart misses you");
        assertThat(render(broadleaf, saved, "cartRecovery/experiments")).contains("Subject test").contains("DRAFT")
                .contains("/admin/cart-recovery-experiments/report?id=" + experiment.getId())
                .as("a row Broadleaf's listGrid.js lets a click through to its links").contains("<tr class=\"cr-experiment-row clickable\" data-hiddenfields=");

        Model started = new ExtendedModelMap();
        controller().start(started, experiment.getId());
        assertThat(experiments.get(experiment.getId()).getStatus()).isEqualTo(ExperimentStatus.RUNNING);

        // three carts per arm; the holdout's first cart and A's first bought (A's was credited to a message)
        Instant assigned = Instant.parse("2026-03-02T09:00:00Z");
        long order = 93_000_000L + 100L * (experiment.getId() % 1000);
        for (ExperimentArm arm : experiments.get(experiment.getId()).getArms()) {
            for (int cart = 0; cart < 3; cart++) {
                long orderId = order++;
                jdbc.update("INSERT INTO CR_EXPERIMENT_ASSIGNMENT (EXPERIMENT_ID, ORDER_ID, ARM_ID, ASSIGNED_AT) VALUES (?, ?, ?, ?)",
                        experiment.getId(), orderId, arm.getId(), Timestamp.from(assigned));
                if (cart == 0 && (arm.getKind() == ArmKind.HOLDOUT || "A".equals(arm.getKey()))) {
                    jdbc.update("INSERT INTO CR_ORDER_ATTRIBUTION (ORDER_ID, OUTCOME, CURRENCY_CODE, AMOUNT, PURCHASED_AT, "
                            + "ATTRIBUTED_AT) VALUES (?, ?, 'USD', ?, ?, ?)", orderId,
                            arm.getKind() == ArmKind.HOLDOUT ? "NONE" : "RECOVERED",
                            arm.getKind() == ArmKind.HOLDOUT ? new BigDecimal("30") : new BigDecimal("1250.5"),
                            Timestamp.from(assigned.plusSeconds(3600)), Timestamp.from(assigned.plusSeconds(3700)));
                }
            }
        }

        Model report = new ExtendedModelMap();
        controller().report(report, experiment.getId());
        String html = render(broadleaf, report, "cartRecovery/experimentReport");
        assertThat(html).contains("data-arm=\"holdout\"").contains("data-arm=\"A\"").contains("data-arm=\"B\"").contains("data-arm=\"C\"")
                .contains("Provisional: 3 of").contains("more carts per arm would detect a 20.0% lift")
                .contains("$1,250.50").contains("$30.00").contains("33.3 %").contains("Conversion (95% interval)")
                .contains("/admin/cart-recovery-experiments/report/csv?id=" + experiment.getId());

        MockHttpServletResponse csv = new MockHttpServletResponse();
        controller().csv(csv, experiment.getId());
        assertThat(csv.getContentType()).startsWith("text/csv");
        assertThat(csv.getHeader("Content-Disposition")).isEqualTo("attachment; filename=\"cart-recovery-experiment-"
                + experiment.getId() + ".csv\"");
        List<String> lines = csv.getContentAsString().lines().toList();
        assertThat(lines).hasSize(5);
        assertThat(lines.subList(1, 5)).extracting(line -> line.split(",")[1]).containsExactly("holdout", "A", "B", "C");

        // provisional: ending asks for the confirmation first and changes nothing
        ExperimentArm b = experiments.get(experiment.getId()).arm("B");
        Model refused = new ExtendedModelMap();
        controller().end(refused, experiment.getId(), String.valueOf(b.getId()), null);
        assertThat(((ExperimentForm) refused.asMap().get("form")).error("early")).contains("provisional");
        assertThat(render(broadleaf, refused, "cartRecovery/experiments")).contains("The result is provisional")
                .contains("End early anyway");
        assertThat(experiments.get(experiment.getId()).getStatus()).isEqualTo(ExperimentStatus.RUNNING);

        Model ended = new ExtendedModelMap();
        controller().end(ended, experiment.getId(), String.valueOf(b.getId()), "true");
        assertThat(ended.asMap()).containsEntry("message", "ended");
        assertThat(experiments.get(experiment.getId()).getWinnerArmId()).isEqualTo(b.getId());
        assertThat(campaigns.find(campaign.getId()).getSteps().get(0).getSubjects()).containsValue("Did you forget something?");
    }

    @Test
    void aBadExperimentShowsItsFieldErrorsAndSavesNothing(PluginContext broadleaf) throws Exception {
        logIn(admin);
        Campaign campaign = campaign();
        MockHttpServletRequest post = draftPost(campaign.getId(), "");
        post.setParameter("holdoutPercent", "60");
        post.setParameter("arms[1].steps[0].stepNo", "9");
        post.setParameter("alpha", "lots");
        Model model = new ExtendedModelMap();

        controller().save(model, post);

        ExperimentForm form = (ExperimentForm) model.asMap().get("form");
        assertThat(form.error("alpha")).startsWith("alpha: a number");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM CR_EXPERIMENT WHERE CAMPAIGN_ID = ?", Integer.class, campaign.getId())).isZero();

        post.setParameter("alpha", "0.05");
        Model again = new ExtendedModelMap();
        controller().save(again, post);

        form = (ExperimentForm) again.asMap().get("form");
        assertThat(form.error("name")).startsWith("name:");
        assertThat(form.error("holdoutPercent")).startsWith("holdoutPercent: between 0 and 50");
        assertThat(form.errorsStartingWith("arms[1].steps[9].stepNo")).isNotEmpty();
        String html = render(broadleaf, again, "cartRecovery/experiments");
        assertThat(html).contains("data-field=\"name\"").contains("holdoutPercent: between 0 and 50 (was 60)")
                .contains("arms[1].steps[9].stepNo");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM CR_EXPERIMENT WHERE CAMPAIGN_ID = ?", Integer.class, campaign.getId())).isZero();
    }

    @Test
    void aVariantsSubjectsPerLocaleAreSavedShownEscapedAndEditable(PluginContext broadleaf) throws Exception {
        logIn(admin);
        Campaign campaign = campaign();
        MockHttpServletRequest post = draftPost(campaign.getId(), "Subjects per locale");
        post.setParameter("arms[1].steps[0].subjects[de]", "Etwas vergessen?");
        post.setParameter("arms[1].steps[0].subjects[fr]", "<b>Oublié</b> & \"quoi\"");
        post.setParameter("arms[1].steps[0].subjects[es]", " ");

        controller().save(new ExtendedModelMap(), post);

        Experiment experiment = experiments.forCampaign(campaign.getId()).get(0);
        assertThat(experiment.arm("B").step(1).getSubject()).isEqualTo("Did you forget something?");
        assertThat(experiment.arm("B").step(1).getLocaleSubjects())
                .containsExactly(Map.entry("de", "Etwas vergessen?"), Map.entry("fr", "<b>Oublié</b> & \"quoi\""));
        assertThat(experiment.arm("C").step(1).getLocaleSubjects()).isEmpty();
        Model edit = new ExtendedModelMap();
        controller().list(edit, null, experiment.getId());
        String html = render(broadleaf, edit, "cartRecovery/experiments");
        assertThat(html).contains("Subject (de)").contains("Subject (es)")
                .contains("name=\"arms[1].steps[0].subjects[de]\" value=\"Etwas vergessen?\"")
                .contains("&lt;b&gt;Oubli").doesNotContain("<b>Oubli");
    }

    @Test
    void aTooLongSubjectForALocaleIsShownWithItsArmAndNothingIsSaved(PluginContext broadleaf) throws Exception {
        logIn(admin);
        Campaign campaign = campaign();
        MockHttpServletRequest post = draftPost(campaign.getId(), "Long subject");
        post.setParameter("arms[2].steps[0].subjects[de]", "x".repeat(256));
        Model model = new ExtendedModelMap();

        controller().save(model, post);

        ExperimentForm form = (ExperimentForm) model.asMap().get("form");
        assertThat(form.errorsStartingWith("arms[2].")).contains("arms[2].steps[1].subjects[de]: at most 255 characters (was 256)");
        assertThat(render(broadleaf, model, "cartRecovery/experiments"))
                .contains("arms[2].steps[1].subjects[de]: at most 255 characters (was 256)");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM CR_EXPERIMENT WHERE CAMPAIGN_ID = ?", Integer.class, campaign.getId())).isZero();
    }

    @Test
    void aUserWithoutThePermissionGets403AndNothingIsRead() throws Exception {
        logIn(clerk);
        Experiments experimentsSeen = Mockito.mock(Experiments.class);
        ExperimentResults resultsSeen = Mockito.mock(ExperimentResults.class);
        CampaignRepository campaignsSeen = Mockito.mock(CampaignRepository.class);
        ExperimentBandit banditSeen = Mockito.mock(ExperimentBandit.class);
        ExperimentsController controller = new ExperimentsController(experimentsSeen, resultsSeen, campaignsSeen, banditSeen);
        wire(controller);
        MockMvc mvc = MockMvcBuilders.standaloneSetup(controller).build();

        for (MvcResult result : new MvcResult[] {
                mvc.perform(MockMvcRequestBuilders.get("/cart-recovery-experiments").param("campaignId", "1")).andReturn(),
                mvc.perform(MockMvcRequestBuilders.get("/cart-recovery-experiments").param("id", "1")).andReturn(),
                mvc.perform(MockMvcRequestBuilders.get("/cart-recovery-experiments/report").param("id", "1")).andReturn(),
                mvc.perform(MockMvcRequestBuilders.get("/cart-recovery-experiments/report/csv").param("id", "1")).andReturn(),
                mvc.perform(MockMvcRequestBuilders.post("/cart-recovery-experiments").param("campaignId", "1").param("name", "x")).andReturn(),
                mvc.perform(MockMvcRequestBuilders.post("/cart-recovery-experiments/start").param("id", "1")).andReturn(),
                mvc.perform(MockMvcRequestBuilders.post("/cart-recovery-experiments/end").param("id", "1").param("early", "true")).andReturn(),
                mvc.perform(MockMvcRequestBuilders.post("/cart-recovery-experiments/freeze").param("id", "1")).andReturn(),
                mvc.perform(MockMvcRequestBuilders.post("/cart-recovery-experiments/unfreeze").param("id", "1")).andReturn()}) {
            assertThat(result.getResponse().getStatus()).as(result.getRequest().getRequestURI()).isEqualTo(403);
            assertThat(result.getResponse().getContentAsString()).isEmpty();
        }
        Mockito.verifyNoInteractions(experimentsSeen, resultsSeen, campaignsSeen, banditSeen);
    }

    @Test
    void aBanditIsChosenOnADraftFrozenUnfrozenAndSaysWhatItPrefersInWords(PluginContext broadleaf) throws Exception {
        logIn(admin);
        Campaign campaign = campaign();
        MockHttpServletRequest post = draftPost(campaign.getId(), "Bandit");
        post.setParameter("allocation", "BANDIT");
        post.setParameter("explorationFloor", "0.1");
        Model saved = new ExtendedModelMap();
        controller().save(saved, post);

        assertThat(((ExperimentForm) saved.asMap().get("form")).getProblems()).isEmpty();
        Experiment experiment = experiments.forCampaign(campaign.getId()).get(0);
        assertThat(experiment.getAllocation()).isEqualTo(Allocation.BANDIT);
        assertThat(experiment.getExplorationFloor()).isEqualByComparingTo("0.1");
        assertThat(render(broadleaf, saved, "cartRecovery/experiments"))
                .contains("<option selected=\"selected\" value=\"BANDIT\">Bandit: more carts to the arm that recovers more</option>");

        Model report = new ExtendedModelMap();
        controller().start(new ExtendedModelMap(), experiment.getId());
        controller().report(report, experiment.getId());
        assertThat(render(broadleaf, report, "cartRecovery/experimentReport")).contains("What the bandit prefers")
                .contains("No carts yet");

        // returning shoppers' carts, their windows closed: C recovers far more than A and B
        Instant assigned = broadleaf.clock().instant().minus(java.time.Duration.ofDays(30));
        long order = 95_000_000L + 1000L * (experiment.getId() % 1000);
        for (ExperimentArm arm : experiments.get(experiment.getId()).getArms()) {
            int recovered = "C".equals(arm.getKey()) ? 60 : 10;
            for (int cart = 0; arm.getKind() != ArmKind.HOLDOUT && cart < 150; cart++) {
                long orderId = order++;
                jdbc.update("INSERT INTO CR_EXPERIMENT_ASSIGNMENT (EXPERIMENT_ID, ORDER_ID, ARM_ID, ASSIGNED_AT, SEGMENT_KEY) "
                        + "VALUES (?, ?, ?, ?, 'returning.standard')", experiment.getId(), orderId, arm.getId(), Timestamp.from(assigned));
                if (cart < recovered) {
                    jdbc.update("INSERT INTO CR_ORDER_ATTRIBUTION (ORDER_ID, OUTCOME, CURRENCY_CODE, AMOUNT, PURCHASED_AT, "
                            + "ATTRIBUTED_AT) VALUES (?, 'RECOVERED', 'USD', 20, ?, ?)", orderId,
                            Timestamp.from(assigned.plusSeconds(3600)), Timestamp.from(assigned.plusSeconds(3700)));
                }
            }
        }
        Model learned = new ExtendedModelMap();
        controller().report(learned, experiment.getId());
        assertThat(render(broadleaf, learned, "cartRecovery/experimentReport"))
                .contains("data-segment=\"returning.standard\"")
                .contains("For returning shoppers it is sure &#39;Misses you: no discount after 1 hour&#39; is the best of 3");

        Model frozen = new ExtendedModelMap();
        controller().freeze(frozen, experiment.getId());
        assertThat(frozen.asMap()).containsEntry("message", "frozen");
        assertThat(experiments.get(experiment.getId()).isFrozen()).isTrue();
        assertThat(render(broadleaf, frozen, "cartRecovery/experiments")).contains("id=\"cr-experiment-unfreeze\"")
                .doesNotContain("id=\"cr-experiment-freeze\"").contains("Frozen since");
        Model frozenReport = new ExtendedModelMap();
        controller().report(frozenReport, experiment.getId());
        assertThat(render(broadleaf, frozenReport, "cartRecovery/experimentReport"))
                .contains("Frozen: carts are split as they were when it was frozen.");

        Model again = new ExtendedModelMap();
        controller().freeze(again, experiment.getId());
        assertThat(((ExperimentForm) again.asMap().get("form")).error("allocation")).contains("only a running BANDIT that learns");

        Model unfrozen = new ExtendedModelMap();
        controller().unfreeze(unfrozen, experiment.getId());
        assertThat(unfrozen.asMap()).containsEntry("message", "unfrozen");
        assertThat(experiments.get(experiment.getId()).isFrozen()).isFalse();
        assertThat(render(broadleaf, unfrozen, "cartRecovery/experiments")).contains("id=\"cr-experiment-freeze\"")
                .contains("Learning: carts move toward the arm that recovers more");
    }

    @Test
    void aFixedExperimentCannotBeFrozen(PluginContext broadleaf) throws Exception {
        logIn(admin);
        Campaign campaign = campaign();
        controller().save(new ExtendedModelMap(), draftPost(campaign.getId(), "Fixed"));
        Experiment experiment = experiments.start(experiments.forCampaign(campaign.getId()).get(0).getId());

        Model model = new ExtendedModelMap();
        controller().freeze(model, experiment.getId());

        assertThat(((ExperimentForm) model.asMap().get("form")).error("allocation"))
                .isEqualTo("allocation: only a running BANDIT can be frozen or unfrozen");
        assertThat(render(broadleaf, model, "cartRecovery/experiments")).contains("data-field=\"allocation\"")
                .doesNotContain("id=\"cr-experiment-freeze\"");
        assertThat(experiments.get(experiment.getId()).isFrozen()).isFalse();
    }

    @Test
    void anExperimentNameWithMarkupIsEscaped(PluginContext broadleaf) throws Exception {
        logIn(admin);
        Campaign campaign = campaign();
        Model saved = new ExtendedModelMap();
        controller().save(saved, draftPost(campaign.getId(), "<script>alert('x')</script> & <b>bold</b>"));
        Experiment experiment = experiments.forCampaign(campaign.getId()).get(0);

        Model report = new ExtendedModelMap();
        controller().report(report, experiment.getId());

        for (String html : new String[] {render(broadleaf, saved, "cartRecovery/experiments"),
                render(broadleaf, report, "cartRecovery/experimentReport")}) {
            assertThat(html).contains("&lt;script&gt;").contains("&amp; &lt;b&gt;bold&lt;/b&gt;")
                    .doesNotContain("<script>alert").doesNotContain("<b>bold");
        }
    }

    @Test
    void onceEveryArmHasItsCartsTheSuggestedWinnerIsPreselectedAndEndingNeedsNoConfirmation(PluginContext broadleaf) throws Exception {
        logIn(admin);
        Campaign campaign = campaign();
        MockHttpServletRequest post = draftPost(campaign.getId(), "Big lift");
        post.setParameter("holdoutPercent", "0");
        post.setParameter("baselineRate", "0.45");
        post.setParameter("minDetectableEffect", "0.99");
        Model saved = new ExtendedModelMap();
        controller().save(saved, post);
        assertThat(((ExperimentForm) saved.asMap().get("form")).getProblems()).isEmpty();
        Experiment experiment = experiments.start(experiments.forCampaign(campaign.getId()).get(0).getId());
        Instant assigned = Instant.parse("2026-03-02T09:00:00Z");
        long order = 94_000_000L + 1000L * (experiment.getId() % 1000);
        for (ExperimentArm arm : experiment.getArms()) {
            int converting = "B".equals(arm.getKey()) ? 58 : 27;
            for (int cart = 0; cart < 60; cart++) {
                long orderId = order++;
                jdbc.update("INSERT INTO CR_EXPERIMENT_ASSIGNMENT (EXPERIMENT_ID, ORDER_ID, ARM_ID, ASSIGNED_AT) VALUES (?, ?, ?, ?)",
                        experiment.getId(), orderId, arm.getId(), Timestamp.from(assigned));
                if (cart < converting) {
                    jdbc.update("INSERT INTO CR_ORDER_ATTRIBUTION (ORDER_ID, OUTCOME, CURRENCY_CODE, AMOUNT, PURCHASED_AT, "
                            + "ATTRIBUTED_AT) VALUES (?, 'NONE', 'EUR', 20, ?, ?)", orderId,
                            Timestamp.from(assigned.plusSeconds(60)), Timestamp.from(assigned.plusSeconds(70)));
                }
            }
        }
        long b = experiment.arm("B").getId();

        Model model = new ExtendedModelMap();
        controller().list(model, null, experiment.getId());

        assertThat(model.asMap()).containsEntry("suggestedWinner", b);
        String html = render(broadleaf, model, "cartRecovery/experiments");
        assertThat(html).contains("<option selected=\"selected\" value=\"" + b + "\">Forgot</option>")
                .doesNotContain("End early anyway");

        Model ended = new ExtendedModelMap();
        controller().end(ended, experiment.getId(), String.valueOf(b), null);

        assertThat(ended.asMap()).containsEntry("message", "ended");
        assertThat(experiments.get(experiment.getId()).getStatus()).isEqualTo(ExperimentStatus.ENDED);
    }

    @Test
    void theCampaignEditorLinksToTheCampaignsExperiments(PluginContext broadleaf) throws Exception {
        logIn(admin);
        Campaign campaign = campaign();
        io.github.cartrecovery.admin.web.CampaignEditorController editor = new io.github.cartrecovery.admin.web.CampaignEditorController(
                campaigns, broadleaf.bean("crClock", java.time.Clock.class));
        wire(editor);
        Model model = new ExtendedModelMap();

        editor.edit(model, campaign.getId());

        assertThat(render(broadleaf, model, "cartRecovery/campaignEditor"))
                .contains("href=\"/admin/cart-recovery-experiments?campaignId=" + campaign.getId() + "\"");
    }

    private static MockHttpServletRequest draftPost(long campaignId, String name) {
        MockHttpServletRequest post = new MockHttpServletRequest("POST", "/cart-recovery-experiments");
        post.setParameter("campaignId", String.valueOf(campaignId));
        post.setParameter("name", name);
        post.setParameter("holdoutPercent", "10");
        post.setParameter("alpha", "0.05");
        post.setParameter("power", "0.8");
        post.setParameter("baselineRate", "0.05");
        post.setParameter("minDetectableEffect", "0.2");
        post.setParameter("arms[0].key", "A");
        post.setParameter("arms[0].name", "Control");
        post.setParameter("arms[0].kind", "CONTROL");
        post.setParameter("arms[0].weight", "1");
        post.setParameter("arms[1].key", "B");
        post.setParameter("arms[1].name", "Forgot");
        post.setParameter("arms[1].kind", "VARIANT");
        post.setParameter("arms[1].weight", "1");
        post.setParameter("arms[1].steps[0].stepNo", "1");
        post.setParameter("arms[1].steps[0].subject", "Did you forget something?");
        post.setParameter("arms[2].key", "C");
        post.setParameter("arms[2].name", "Misses you");
        post.setParameter("arms[2].kind", "VARIANT");
        post.setParameter("arms[2].weight", "1");
        post.setParameter("arms[2].steps[0].stepNo", "1");
        post.setParameter("arms[2].steps[0].subject", "Your cart misses you");
        return post;
    }

    /** A campaign of two emails, disabled so that no other test's planner picks it up. */
    private Campaign campaign() {
        return campaigns.save(new Campaign(null, "Experiment screens " + NAMES.incrementAndGet() + " " + System.nanoTime(),
                CampaignStatus.DISABLED, 7, Instant.parse("2026-03-01T00:00:00Z"))
                .addStep(new CampaignStep(null, 1, 60, "gentle-reminder", Collections.singletonMap("*", "Still thinking it over?")))
                .addStep(new CampaignStep(null, 2, 1440, "last-call", Collections.singletonMap("*", "Last call"))));
    }

    private ExperimentsController controller() {
        ExperimentsController controller = new ExperimentsController(experiments, results, campaigns, bandit);
        wire(controller);
        return controller;
    }

    private void wire(AdminAbstractController controller) {
        AdminScreens.wired(controller, securityVerifier, navigation);
    }

    private AdminUser user(String login, AdminPermission permission) {
        return AdminScreens.user(security, login, permission);
    }

    private static void logIn(AdminUser user) {
        AdminScreens.logIn(user);
    }

    private static String render(PluginContext broadleaf, Model model, String view) {
        return AdminScreens.render(broadleaf, view, model);
    }
}
