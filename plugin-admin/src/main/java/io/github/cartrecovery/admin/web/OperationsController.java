package io.github.cartrecovery.admin.web;

import java.time.Clock;

import org.broadleafcommerce.common.exception.ServiceException;
import org.broadleafcommerce.openadmin.server.security.remote.EntityOperationType;
import org.broadleafcommerce.openadmin.web.controller.AdminAbstractController;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;

import io.github.cartrecovery.formatting.StoreTime;
import io.github.cartrecovery.operations.DeliveryQuality;
import io.github.cartrecovery.operations.Health;
import io.github.cartrecovery.operations.Incidents;

/**
 * "Operations", a page of the Report section ({@code /cart-recovery-report/operations}, linked from the report): the
 * health report with every check's figures (what {@code /cart-recovery/health} shows an allowed caller, for this admin
 * node), the figures the alerts watch, and the incidents with their notices, newest first. Read-only, behind the
 * report's permission check (READ on io.github.cartrecovery.reporting.RecoveryReport), so 1.0/010's rows cover it.
 */
@Controller
@RequestMapping("/" + RecoveryReportController.SECTION_KEY + "/operations")
public class OperationsController extends AdminAbstractController {

    static final int INCIDENTS_SHOWN = 100;

    private final Health health;
    private final DeliveryQuality quality;
    private final Incidents incidents;
    private final Clock clock;
    private final StoreTime storeTime;

    @Autowired
    public OperationsController(@Qualifier("crHealth") Health health, @Qualifier("crDeliveryQuality") DeliveryQuality quality,
                                @Qualifier("crIncidents") Incidents incidents, @Qualifier("crClock") Clock clock,
                                @Qualifier("crStoreTime") StoreTime storeTime) {
        this.health = health;
        this.quality = quality;
        this.incidents = incidents;
        this.clock = clock;
        this.storeTime = storeTime;
    }

    @RequestMapping(value = "", method = RequestMethod.GET)
    public String operations(Model model) throws ServiceException {
        adminRemoteSecurityService.securityCheck(RecoveryReportController.SECURED_ENTITY, EntityOperationType.FETCH);
        model.addAttribute("health", health.report());
        model.addAttribute("quality", quality.measure(clock.instant()));
        model.addAttribute("incidents", incidents.latest(INCIDENTS_SHOWN));
        model.addAttribute("storeTime", storeTime);
        setModelAttributes(model, RecoveryReportController.SECTION_KEY);
        model.addAttribute("viewType", "cartRecovery/operations");
        return "modules/defaultContainer";
    }
}
