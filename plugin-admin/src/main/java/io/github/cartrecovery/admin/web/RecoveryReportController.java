package io.github.cartrecovery.admin.web;

import java.io.IOException;
import java.io.StringWriter;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import javax.servlet.http.HttpServletResponse;

import org.broadleafcommerce.common.exception.ServiceException;
import org.broadleafcommerce.openadmin.server.security.remote.EntityOperationType;
import org.broadleafcommerce.openadmin.web.controller.AdminAbstractController;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;

import org.springframework.context.i18n.LocaleContextHolder;

import io.github.cartrecovery.campaign.CampaignRepository;
import io.github.cartrecovery.campaign.TriggerType;
import io.github.cartrecovery.reporting.ReadSource;
import io.github.cartrecovery.reporting.RecoveryReport;
import io.github.cartrecovery.reporting.RecoveryReports;
import io.github.cartrecovery.reporting.ReportCsv;
import io.github.cartrecovery.reporting.ReportingDatabase;
import io.github.cartrecovery.reporting.SchedulerHealth;
import io.github.cartrecovery.formatting.StoreTime;

/**
 * The "Recovery Report" admin page: KPIs, daily chart (messages and recovered revenue), per-campaign and per-step
 * funnel with recovered and influenced revenue, scheduler health and the same numbers as CSV. Money is shown per
 * currency in the viewer's locale ({@link MoneyText}); the campaign and trigger-type filters are pickers and the dates
 * have presets; a table splits the funnel by trigger type. Reads rollups only ({@link RecoveryReports}), from the read replica when one is
 * configured and fresh: the page then says so, and says when and why it read the primary instead (the CSV in its
 * {@value #READ_FROM_HEADER} header). The scheduler panel always reads the primary: it is live state. Every request
 * passes Broadleaf's security check on the report's permission entity first, so a user without the Cart Recovery
 * permissions is refused even on a direct URL.
 */
@Controller
@RequestMapping("/" + RecoveryReportController.SECTION_KEY)
public class RecoveryReportController extends AdminAbstractController {

    static final String SECTION_KEY = "cart-recovery-report";
    /** The ceiling entity the report's permissions are granted on (BLC_ADMIN_PERMISSION_ENTITY). */
    static final String SECURED_ENTITY = "io.github.cartrecovery.reporting.RecoveryReport";
    static final int DEFAULT_DAYS = 30;
    /** The CSV's response header saying which database it was read from ({@link ReadSource#describe()}). */
    public static final String READ_FROM_HEADER = "X-Cart-Recovery-Read-From";

    private final RecoveryReports reports;
    private final SchedulerHealth schedulerHealth;
    private final Clock clock;
    private final StoreTime storeTime;
    private final CampaignRepository campaigns;

    @Autowired
    public RecoveryReportController(@Qualifier("crRecoveryReports") RecoveryReports reports,
                                    @Qualifier("crSchedulerHealth") SchedulerHealth schedulerHealth,
                                    @Qualifier("crClock") Clock clock, @Qualifier("crStoreTime") StoreTime storeTime,
                                    @Qualifier("crCampaignRepository") CampaignRepository campaigns) {
        this.reports = reports;
        this.schedulerHealth = schedulerHealth;
        this.clock = clock;
        this.storeTime = storeTime;
        this.campaigns = campaigns;
    }

    /** The page for every trigger. */
    public String report(Model model, String from, String to, String campaignId) throws ServiceException {
        return report(model, from, to, campaignId, null);
    }

    @RequestMapping(value = "", method = RequestMethod.GET)
    public String report(Model model,
                         @RequestParam(value = "from", required = false) String from,
                         @RequestParam(value = "to", required = false) String to,
                         @RequestParam(value = "campaignId", required = false) String campaignId,
                         @RequestParam(value = "triggerType", required = false) String triggerType) throws ServiceException {
        adminRemoteSecurityService.securityCheck(SECURED_ENTITY, EntityOperationType.FETCH);
        ReportRequest request = ReportRequest.parse(from, to, campaignId, triggerType, today(), DEFAULT_DAYS);
        model.addAttribute("triggerTypes", TriggerType.values());
        model.addAttribute("filter", request);
        model.addAttribute("storeTime", storeTime);
        model.addAttribute("money", new MoneyText(LocaleContextHolder.getLocale()));
        model.addAttribute("campaignNames", campaigns.names());
        model.addAttribute("presets", ReportPresets.from(today()));
        if (request.getError() == null) {
            try {
                ReportingDatabase.Read<RecoveryReport> read = reports.read(request.getFrom(), request.getTo(), request.getCampaignId(),
                        request.getTriggerType());
                RecoveryReport report = read.getValue();
                model.addAttribute("report", report);
                model.addAttribute("readSource", read.getSource());
                model.addAttribute("chart", ReportChart.of(report));
            } catch (IllegalArgumentException e) {
                request = request.withError(e.getMessage());
                model.addAttribute("filter", request);
            }
        }
        model.addAttribute("health", schedulerHealth.snapshot());
        setModelAttributes(model, SECTION_KEY);
        model.addAttribute("viewType", "cartRecovery/report");
        return "modules/defaultContainer";
    }

    /** Today in the store's time zone: the report's days are the store's days. */
    private LocalDate today() {
        return clock.instant().atZone(storeTime.zone()).toLocalDate();
    }

    /** The CSV for every trigger. */
    public void csv(HttpServletResponse response, String from, String to, String campaignId) throws ServiceException, IOException {
        csv(response, from, to, campaignId, null);
    }

    @RequestMapping(value = "/csv", method = RequestMethod.GET)
    public void csv(HttpServletResponse response,
                    @RequestParam(value = "from", required = false) String from,
                    @RequestParam(value = "to", required = false) String to,
                    @RequestParam(value = "campaignId", required = false) String campaignId,
                    @RequestParam(value = "triggerType", required = false) String triggerType) throws ServiceException, IOException {
        adminRemoteSecurityService.securityCheck(SECURED_ENTITY, EntityOperationType.FETCH);
        ReportRequest request = ReportRequest.parse(from, to, campaignId, triggerType, today(), DEFAULT_DAYS);
        String error = request.getError();
        StringWriter csv = new StringWriter();
        ReadSource source = null;
        if (error == null) {
            try {
                ReportingDatabase.Read<RecoveryReport> read = reports.read(request.getFrom(), request.getTo(), request.getCampaignId(),
                        request.getTriggerType());
                ReportCsv.write(read.getValue(), csv);
                source = read.getSource();
            } catch (IllegalArgumentException e) {
                error = e.getMessage();
            }
        }
        if (error != null) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write(error);
            return;
        }
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader(READ_FROM_HEADER, source.describe());
        response.setHeader("Content-Disposition", "attachment; filename=\"cart-recovery-report-"
                + request.getFrom() + "-" + request.getTo() + ".csv\"");
        response.getWriter().write(csv.toString());
    }

    /** The page's filter, parsed from the request; an unparsable value becomes an error naming the field. */
    public static final class ReportRequest {
        private final LocalDate from;
        private final LocalDate to;
        private final Long campaignId;
        private final String triggerType;
        private final String error;

        private ReportRequest(LocalDate from, LocalDate to, Long campaignId, String triggerType, String error) {
            this.from = from;
            this.to = to;
            this.campaignId = campaignId;
            this.triggerType = triggerType;
            this.error = error;
        }

        static ReportRequest parse(String from, String to, String campaignId, LocalDate today, int defaultDays) {
            return parse(from, to, campaignId, null, today, defaultDays);
        }

        static ReportRequest parse(String from, String to, String campaignId, String triggerType, LocalDate today,
                                   int defaultDays) {
            List<String> errors = new ArrayList<String>();
            LocalDate toDate = FilterDates.parse("to", to, today, errors);
            LocalDate fromDate = FilterDates.parse("from", from, toDate.minusDays(defaultDays - 1), errors);
            Long campaign = null;
            if (campaignId != null && !campaignId.trim().isEmpty()) {
                try {
                    campaign = Long.valueOf(campaignId.trim());
                } catch (NumberFormatException e) {
                    errors.add("campaignId: not a campaign id");
                }
            }
            String trigger = null;
            if (triggerType != null && !triggerType.trim().isEmpty()) {
                try {
                    trigger = TriggerType.named(triggerType).name();
                } catch (IllegalArgumentException e) {
                    errors.add("triggerType: " + e.getMessage());
                }
            }
            return new ReportRequest(fromDate, toDate, campaign, trigger, errors.isEmpty() ? null : String.join("; ", errors));
        }

        ReportRequest withError(String message) {
            return new ReportRequest(from, to, campaignId, triggerType, message);
        }

        public LocalDate getFrom() { return from; }
        public LocalDate getTo() { return to; }
        public Long getCampaignId() { return campaignId; }
        /** The trigger-type filter (a TriggerType name), or null for every trigger. */
        public String getTriggerType() { return triggerType; }
        public String getError() { return error; }
    }
}
