package io.github.cartrecovery.admin.web;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;

import javax.servlet.http.HttpServletRequest;

import org.broadleafcommerce.common.exception.SecurityServiceException;
import org.broadleafcommerce.common.exception.ServiceException;
import org.broadleafcommerce.openadmin.server.security.remote.EntityOperationType;
import org.broadleafcommerce.openadmin.web.controller.AdminAbstractController;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;

import io.github.cartrecovery.campaign.Campaign;
import io.github.cartrecovery.campaign.CampaignRepository;
import io.github.cartrecovery.campaign.InvalidCampaignException;
import io.github.cartrecovery.campaign.StoreChannels;

/**
 * The campaign editor ("Campaign Editor" in the menu; a picker at the top opens any campaign, or a new one): a campaign
 * with its steps (delay, channel among the store's channels, template, subject per locale, coupon policy, send-time
 * conditions) and audience conditions on one page. Saves through {@link CampaignRepository} so {@code CampaignValidator}
 * decides, and shows its problems on the fields they name; nothing is written when one is found. The
 * generic list screen (section /cart-recovery-campaign) links here for steps and conditions, which
 * Broadleaf 3.1's generic forms cannot edit (subjects per locale are a map of strings). Every request checks the
 * permission before it reads anything, and a refused one is answered 403.
 */
@Controller
@RequestMapping("/" + CampaignEditorController.PATH)
public class CampaignEditorController extends AdminAbstractController {

    static final String PATH = "cart-recovery-campaign-editor";
    /** The menu's "Campaign Editor" section (1.0/012-admin-carts-screens.xml). */
    static final String SECTION_KEY = PATH;
    static final String SECURED_ENTITY = "io.github.cartrecovery.campaign.Campaign";

    private final CampaignRepository campaigns;
    private final Clock clock;
    /** The store's channels (crStoreChannels, a live view), offered for each step. */
    private final Collection<String> channels;

    @Autowired
    public CampaignEditorController(@Qualifier("crCampaignRepository") CampaignRepository campaigns,
                                    @Qualifier("crClock") Clock clock,
                                    @Qualifier("crStoreChannels") StoreChannels channels) {
        this.campaigns = campaigns;
        this.clock = clock;
        this.channels = channels;
    }

    /** Offering the plugin's own channels ({@link StoreChannels#KNOWN}). */
    public CampaignEditorController(CampaignRepository campaigns, Clock clock) {
        this.campaigns = campaigns;
        this.clock = clock;
        this.channels = StoreChannels.KNOWN;
    }

    @RequestMapping(value = "", method = RequestMethod.GET)
    public String edit(Model model, @RequestParam(value = "id", required = false) Long id) throws ServiceException {
        adminRemoteSecurityService.securityCheck(SECURED_ENTITY, EntityOperationType.FETCH);
        Campaign campaign = id == null ? null : campaigns.find(id);
        return page(model, CampaignForm.of(campaign), null);
    }

    @RequestMapping(value = "", method = RequestMethod.POST)
    public String save(Model model, HttpServletRequest request) throws ServiceException {
        // first, before the form is read or anything is looked up: an id that is no number used to answer with the
        // editor page and every campaign's name, whoever asked
        String rawId = request.getParameter("id");
        adminRemoteSecurityService.securityCheck(SECURED_ENTITY, rawId == null || rawId.trim().isEmpty()
                ? EntityOperationType.ADD : EntityOperationType.UPDATE);
        @SuppressWarnings("unchecked")
        CampaignForm form = CampaignForm.fromRequest(request.getParameterMap());
        Long id = null;
        if (form.value("id") != null) {
            try {
                id = Long.valueOf(form.value("id"));
            } catch (NumberFormatException e) {
                form.addProblems(java.util.Collections.singletonList("id: not a campaign id"));
                return page(model, form, null);
            }
        }
        Campaign existing = id == null ? null : campaigns.find(id);
        if (id != null && existing == null) {
            form.addProblems(java.util.Collections.singletonList("id: no campaign " + id));
            return page(model, form, null);
        }
        Campaign campaign = form.toCampaign(existing, clock.instant());
        if (campaign == null) {
            return page(model, form, null);
        }
        try {
            Campaign saved = campaigns.save(campaign);
            return page(model, CampaignForm.of(campaigns.find(saved.getId())), "saved");
        } catch (InvalidCampaignException e) {
            form.addProblems(e.getProblems());
            return page(model, form, null);
        }
    }

    /** A user without the campaign permission gets 403 Forbidden and nothing else (no page, no campaign names). */
    @ExceptionHandler(SecurityServiceException.class)
    @ResponseStatus(HttpStatus.FORBIDDEN)
    public void forbidden() {
        // the status is the whole answer
    }

    private String page(Model model, CampaignForm form, String message) {
        model.addAttribute("form", form);
        model.addAttribute("message", message);
        model.addAttribute("campaigns", campaigns.names());
        model.addAttribute("channels", new ArrayList<String>(channels));
        setModelAttributes(model, SECTION_KEY);
        model.addAttribute("viewType", "cartRecovery/campaignEditor");
        return "modules/defaultContainer";
    }
}
