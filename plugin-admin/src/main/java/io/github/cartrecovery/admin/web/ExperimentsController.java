package io.github.cartrecovery.admin.web;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.List;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.broadleafcommerce.common.exception.SecurityServiceException;
import org.broadleafcommerce.common.exception.ServiceException;
import org.broadleafcommerce.openadmin.server.security.remote.EntityOperationType;
import org.broadleafcommerce.openadmin.web.controller.AdminAbstractController;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;

import io.github.cartrecovery.campaign.CampaignRepository;
import io.github.cartrecovery.campaign.Campaign;
import io.github.cartrecovery.experiment.Allocation;
import io.github.cartrecovery.experiment.Experiment;
import io.github.cartrecovery.experiment.ExperimentBandit;
import io.github.cartrecovery.experiment.ExperimentResults;
import io.github.cartrecovery.experiment.ExperimentStatus;
import io.github.cartrecovery.experiment.Experiments;
import io.github.cartrecovery.experiment.InvalidExperimentException;
import io.github.cartrecovery.experiment.bandit.BanditSummary;
import io.github.cartrecovery.experiment.stats.ExperimentAnalysis;
import io.github.cartrecovery.experiment.stats.ExperimentCsv;
import io.github.cartrecovery.experiment.stats.ExperimentDesign;
import io.github.cartrecovery.experiment.stats.ExperimentReport;

/**
 * The experiments of a campaign (docs/experiments.md, "In the admin"): the list with each one's status, the editor of a
 * DRAFT (name, holdout percent, the planned sample size's inputs, arms with weights and per-step changes), start, end
 * with a winner, freezing and unfreezing a running BANDIT, and the per-arm report with its CSV and, for a BANDIT, what it
 * prefers per segment and how sure it is, in words ({@link BanditSummary}). Reached from the campaign editor (a link per campaign) and the
 * menu's "Experiments" section. Saves through {@link Experiments}, whose problems are shown on the fields they name;
 * nothing is written when one is found. Every request checks the campaign permission (FETCH to read, UPDATE to write)
 * before it reads anything, and a refused one is answered 403.
 */
@Controller
@RequestMapping("/" + ExperimentsController.PATH)
public class ExperimentsController extends AdminAbstractController {

    static final String PATH = "cart-recovery-experiments";
    /** The menu's "Experiments" section (1.2/033-admin-experiments.xml). */
    static final String SECTION_KEY = PATH;
    static final String SECURED_ENTITY = CampaignEditorController.SECURED_ENTITY;

    private final Experiments experiments;
    private final ExperimentResults results;
    private final CampaignRepository campaigns;
    private final ExperimentBandit bandit;

    @Autowired
    public ExperimentsController(@Qualifier("crExperiments") Experiments experiments,
                                 @Qualifier("crExperimentResults") ExperimentResults results,
                                 @Qualifier("crCampaignRepository") CampaignRepository campaigns,
                                 @Qualifier("crExperimentBandit") ExperimentBandit bandit) {
        this.experiments = experiments;
        this.results = results;
        this.campaigns = campaigns;
        this.bandit = bandit;
    }

    /** Without a bandit: BANDIT experiments can be edited but not frozen, and the report says nothing of the bandit. */
    public ExperimentsController(Experiments experiments, ExperimentResults results, CampaignRepository campaigns) {
        this(experiments, results, campaigns, null);
    }

    /** The campaign's experiments and the editor: a new DRAFT, or experiment {@code id}. */
    @RequestMapping(value = "", method = RequestMethod.GET)
    public String list(Model model, @RequestParam(value = "campaignId", required = false) Long campaignId,
                       @RequestParam(value = "id", required = false) Long id) throws ServiceException {
        adminRemoteSecurityService.securityCheck(SECURED_ENTITY, EntityOperationType.FETCH);
        Experiment experiment = id == null ? null : experiments.get(id);
        if (experiment != null) {
            campaignId = experiment.getCampaignId();
        }
        ExperimentForm form = experiment != null ? ExperimentForm.of(experiment)
                : campaignId == null ? null : ExperimentForm.blank(campaignId);
        return page(model, campaignId, form, experiment, null);
    }

    /** Saves a DRAFT (new, or an edit of one). */
    @RequestMapping(value = "", method = RequestMethod.POST)
    public String save(Model model, HttpServletRequest request) throws ServiceException {
        adminRemoteSecurityService.securityCheck(SECURED_ENTITY, EntityOperationType.UPDATE);
        @SuppressWarnings("unchecked")
        ExperimentForm form = ExperimentForm.fromRequest(FormValues.all(request));
        Long campaignId = number(FormValues.one(request, "campaignId"));
        if (campaignId == null || campaigns.find(campaignId) == null) {
            form.addProblems(Collections.singletonList("campaignId: no campaign '" + FormValues.one(request, "campaignId") + "'"));
            return page(model, null, form, null, null);
        }
        Experiment draft = form.toDraft(campaignId);
        if (draft == null) {
            return page(model, campaignId, form, null, null);
        }
        try {
            Experiment saved = experiments.saveDraft(draft);
            return page(model, campaignId, ExperimentForm.of(saved), saved, "saved");
        } catch (InvalidExperimentException e) {
            form.addProblems(e.getProblems());
            return page(model, campaignId, form, draft.getId() == null ? null : experiments.get(draft.getId()), null);
        }
    }

    /** DRAFT to RUNNING. */
    @RequestMapping(value = "/start", method = RequestMethod.POST)
    public String start(Model model, @RequestParam("id") long id) throws ServiceException {
        adminRemoteSecurityService.securityCheck(SECURED_ENTITY, EntityOperationType.UPDATE);
        Experiment experiment = experiments.get(id);
        if (experiment == null) {
            return notFound(model, id);
        }
        try {
            Experiment started = experiments.start(id);
            return page(model, started.getCampaignId(), ExperimentForm.of(started), started, "started");
        } catch (InvalidExperimentException e) {
            ExperimentForm form = ExperimentForm.of(experiment);
            form.addProblems(e.getProblems());
            return page(model, experiment.getCampaignId(), form, experiment, null);
        }
    }

    /**
     * RUNNING to ENDED, with the winner chosen (none = keep the campaign as it is). While the report is provisional the
     * experiment ends only with {@code early=true}: the page asks for that confirmation and says the result is
     * provisional.
     */
    @RequestMapping(value = "/end", method = RequestMethod.POST)
    public String end(Model model, @RequestParam("id") long id,
                      @RequestParam(value = "winnerArmId", required = false) String winnerArmId,
                      @RequestParam(value = "early", required = false) String early) throws ServiceException {
        adminRemoteSecurityService.securityCheck(SECURED_ENTITY, EntityOperationType.UPDATE);
        Experiment experiment = experiments.get(id);
        if (experiment == null) {
            return notFound(model, id);
        }
        Long winner = null;
        String problem = null;
        if (winnerArmId != null && !winnerArmId.trim().isEmpty()) {
            winner = number(winnerArmId);
            if (winner == null) {
                problem = "winnerArmId: not an arm id (was '" + winnerArmId + "')";
            }
        }
        if (problem == null && !"true".equals(early)) {
            ReportView report = report(experiment);
            if (report.report == null || report.report.isProvisional()) {
                problem = "early: the result is provisional (not every compared arm has its planned carts); "
                        + "tick \"end early\" to end it anyway";
            }
        }
        ExperimentForm form = ExperimentForm.of(experiment);
        if (problem != null) {
            form.addProblems(Collections.singletonList(problem));
            return page(model, experiment.getCampaignId(), form, experiment, null);
        }
        try {
            Experiment ended = experiments.end(id, winner);
            return page(model, ended.getCampaignId(), ExperimentForm.of(ended), ended, "ended");
        } catch (InvalidExperimentException e) {
            form.addProblems(e.getProblems());
            return page(model, experiment.getCampaignId(), form, experiment, null);
        }
    }

    /** Freezes a running BANDIT at its current shares: new outcomes no longer move its carts. */
    @RequestMapping(value = "/freeze", method = RequestMethod.POST)
    public String freeze(Model model, @RequestParam("id") long id) throws ServiceException {
        return freezeOrUnfreeze(model, id, true);
    }

    /** Lets a frozen BANDIT learn again. */
    @RequestMapping(value = "/unfreeze", method = RequestMethod.POST)
    public String unfreeze(Model model, @RequestParam("id") long id) throws ServiceException {
        return freezeOrUnfreeze(model, id, false);
    }

    private String freezeOrUnfreeze(Model model, long id, boolean freeze) throws ServiceException {
        adminRemoteSecurityService.securityCheck(SECURED_ENTITY, EntityOperationType.UPDATE);
        Experiment experiment = experiments.get(id);
        if (experiment == null) {
            return notFound(model, id);
        }
        ExperimentForm form = ExperimentForm.of(experiment);
        try {
            if (bandit == null || experiment.getAllocation() != Allocation.BANDIT) {
                throw new InvalidExperimentException(experiment.getName(), Collections.singletonList(
                        "allocation: only a running BANDIT can be frozen or unfrozen"));
            }
            if (freeze) {
                bandit.freeze(experiment, campaigns.find(experiment.getCampaignId()));
            } else {
                bandit.unfreeze(experiment);
            }
        } catch (InvalidExperimentException e) {
            form.addProblems(e.getProblems());
            return page(model, experiment.getCampaignId(), form, experiment, null);
        }
        Experiment now = experiments.get(id);
        return page(model, now.getCampaignId(), ExperimentForm.of(now), now, freeze ? "frozen" : "unfrozen");
    }

    /** The per-arm report of an experiment. */
    @RequestMapping(value = "/report", method = RequestMethod.GET)
    public String report(Model model, @RequestParam("id") long id) throws ServiceException {
        adminRemoteSecurityService.securityCheck(SECURED_ENTITY, EntityOperationType.FETCH);
        Experiment experiment = experiments.get(id);
        if (experiment == null) {
            return notFound(model, id);
        }
        ReportView view = report(experiment);
        model.addAttribute("experiment", experiment);
        model.addAttribute("campaignName", campaigns.names().get(experiment.getCampaignId()));
        model.addAttribute("report", view.report);
        model.addAttribute("error", view.error);
        model.addAttribute("money", new MoneyText(LocaleContextHolder.getLocale()));
        model.addAttribute("figures", new ExperimentFigures());
        model.addAttribute("bandit", banditSummaries(experiment));
        setModelAttributes(model, SECTION_KEY);
        model.addAttribute("viewType", "cartRecovery/experimentReport");
        return "modules/defaultContainer";
    }

    /** The report as CSV, one row per arm (ExperimentCsv: cells that could start a formula are quoted as text). */
    @RequestMapping(value = "/report/csv", method = RequestMethod.GET)
    public void csv(HttpServletResponse response, @RequestParam("id") long id) throws ServiceException, IOException {
        adminRemoteSecurityService.securityCheck(SECURED_ENTITY, EntityOperationType.FETCH);
        Experiment experiment = experiments.get(id);
        ReportView view = experiment == null ? null : report(experiment);
        if (view == null || view.report == null) {
            response.setStatus(HttpServletResponse.SC_NOT_FOUND);
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write(view == null ? "id: no experiment " + id : view.error);
            return;
        }
        StringWriter csv = new StringWriter();
        ExperimentCsv.write(view.report, csv);
        response.setContentType("text/csv;charset=UTF-8");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"cart-recovery-experiment-" + id + ".csv\"");
        response.getWriter().write(csv.toString());
    }

    /** A user without the campaign permission gets 403 Forbidden and nothing else. */
    @ExceptionHandler(SecurityServiceException.class)
    @ResponseStatus(HttpStatus.FORBIDDEN)
    public void forbidden() {
        // the status is the whole answer
    }

    /** What a BANDIT prefers per segment, in words; empty for a FIXED experiment (or without the bandit bean). */
    private List<BanditSummary> banditSummaries(Experiment experiment) {
        if (bandit == null || experiment.getAllocation() != Allocation.BANDIT) {
            return Collections.<BanditSummary>emptyList();
        }
        Campaign campaign = campaigns.find(experiment.getCampaignId());
        return bandit.summaries(experiment, campaign);
    }

    /** The report of the experiment's counts so far, or the design's problem when its inputs cannot plan a size. */
    private ReportView report(Experiment experiment) {
        try {
            ExperimentDesign design = new ExperimentDesign(
                    orDefault(experiment.getAlpha(), ExperimentDesign.DEFAULT_ALPHA),
                    orDefault(experiment.getPower(), ExperimentDesign.DEFAULT_POWER),
                    orDefault(experiment.getBaselineRate(), Double.parseDouble(ExperimentForm.DEFAULT_BASELINE)),
                    orDefault(experiment.getMinDetectableEffect(), Double.parseDouble(ExperimentForm.DEFAULT_MDE)));
            return new ReportView(ExperimentAnalysis.analyse(design, results.countsFor(experiment.getId())), null);
        } catch (IllegalArgumentException e) {
            return new ReportView(null, e.getMessage());
        }
    }

    private String page(Model model, Long campaignId, ExperimentForm form, Experiment experiment, String message) {
        model.addAttribute("campaigns", campaigns.names());
        model.addAttribute("campaignId", campaignId);
        List<Experiment> list = campaignId == null ? Collections.<Experiment>emptyList() : experiments.forCampaign(campaignId);
        model.addAttribute("experiments", list);
        model.addAttribute("form", form);
        model.addAttribute("experiment", experiment);
        model.addAttribute("message", message);
        model.addAttribute("editable", experiment == null || experiment.getStatus() == ExperimentStatus.DRAFT);
        ExperimentReport report = experiment != null && experiment.getStatus() == ExperimentStatus.RUNNING
                ? report(experiment).report : null;
        model.addAttribute("report", report);
        model.addAttribute("suggestedWinner", report == null ? null : report.getSuggestedWinnerArmId());
        setModelAttributes(model, SECTION_KEY);
        model.addAttribute("viewType", "cartRecovery/experiments");
        return "modules/defaultContainer";
    }

    private String notFound(Model model, long id) {
        ExperimentForm form = ExperimentForm.fromRequest(Collections.<String, String[]>emptyMap());
        form.addProblems(Collections.singletonList("id: no experiment " + id));
        return page(model, null, form, null, null);
    }

    private static double orDefault(BigDecimal value, double otherwise) {
        return value == null ? otherwise : value.doubleValue();
    }

    private static Long number(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Long.valueOf(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static final class ReportView {
        final ExperimentReport report;
        final String error;

        ReportView(ExperimentReport report, String error) {
            this.report = report;
            this.error = error;
        }
    }
}
