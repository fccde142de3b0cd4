package io.github.cartrecovery.admin.web;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import javax.servlet.http.HttpServletRequest;

import org.broadleafcommerce.common.currency.domain.BroadleafCurrency;
import org.broadleafcommerce.common.currency.service.BroadleafCurrencyService;
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
import io.github.cartrecovery.coupon.CouponRule;
import io.github.cartrecovery.coupon.OfferTerms;
import io.github.cartrecovery.coupon.TemplateOffers;

/**
 * The campaign editor ("Campaign Editor" in the menu; a picker at the top opens any campaign, or a new one): a campaign
 * with its steps (delay, channel among the store's channels, template, subject per locale, coupon policy, send-time
 * conditions) and audience conditions on one page. Saves through {@link CampaignRepository} so {@code CampaignValidator}
 * decides, and shows its problems, in words, on the fields they name; nothing is written when one is found. It is the
 * one place campaigns are written: the generic list screen (section /cart-recovery-campaign) is read-only
 * ({@code CampaignScreenReadOnly}). Pickers offer the templates of each channel ({@link TemplateChoices}), the Broadleaf
 * offers usable as coupon templates, the coupon rules and Broadleaf's currencies; delays are typed in minutes, hours or
 * days; steps move up or down and are duplicated on the page (numbered again, saved with Save); a campaign is copied
 * with {@code /clone}. Every request checks the permission before it reads anything, and a refused one is answered 403.
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
    private final TemplateChoices templates;
    /** Broadleaf offers a coupon policy can name (null: none offered, the policy names one by id or name). */
    private final TemplateOffers offers;
    /** Broadleaf's currencies (null: none offered but the ones already in the form). */
    private final BroadleafCurrencyService currencies;

    @Autowired
    public CampaignEditorController(@Qualifier("crCampaignRepository") CampaignRepository campaigns,
                                    @Qualifier("crClock") Clock clock,
                                    @Qualifier("crStoreChannels") StoreChannels channels,
                                    @Qualifier("crTemplateOffers") TemplateOffers offers,
                                    @Qualifier("blCurrencyService") BroadleafCurrencyService currencies) {
        this(campaigns, clock, channels, new TemplateChoices(), offers, currencies);
    }

    public CampaignEditorController(CampaignRepository campaigns, Clock clock, Collection<String> channels,
                                    TemplateChoices templates, TemplateOffers offers, BroadleafCurrencyService currencies) {
        this.campaigns = campaigns;
        this.clock = clock;
        this.channels = channels;
        this.templates = templates;
        this.offers = offers;
        this.currencies = currencies;
    }

    /** Offering these channels, the classpath's templates, no offers or currencies. */
    public CampaignEditorController(CampaignRepository campaigns, Clock clock, Collection<String> channels) {
        this(campaigns, clock, channels, new TemplateChoices(), null, null);
    }

    /** Offering the plugin's own channels ({@link StoreChannels#KNOWN}), the classpath's templates, no offers or currencies. */
    public CampaignEditorController(CampaignRepository campaigns, Clock clock) {
        this(campaigns, clock, StoreChannels.KNOWN, new TemplateChoices(), null, null);
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
        String rawId = FormValues.one(request, "id");
        adminRemoteSecurityService.securityCheck(SECURED_ENTITY, rawId == null || rawId.trim().isEmpty()
                ? EntityOperationType.ADD : EntityOperationType.UPDATE);
        @SuppressWarnings("unchecked")
        CampaignForm form = CampaignForm.fromRequest(FormValues.all(request));
        String action = FormValues.one(request, "action");
        if (action != null && action.matches("(up|down|duplicate)-\\d{1,2}")) {
            int row = Integer.parseInt(action.substring(action.indexOf('-') + 1));
            if (action.startsWith("duplicate")) {
                form.duplicateStep(row);
            } else {
                form.moveStep(row, action.startsWith("up") ? -1 : 1);
            }
            return page(model, form, "rearranged");
        }
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

    /**
     * Copies a campaign: "Copy of <name>", DISABLED, with every step, subject and condition, saved through the validator
     * like any other save. The editor then shows the copy.
     */
    @RequestMapping(value = "/clone", method = RequestMethod.POST)
    public String copy(Model model, @RequestParam(value = "id", required = false) String rawId) throws ServiceException {
        adminRemoteSecurityService.securityCheck(SECURED_ENTITY, EntityOperationType.ADD);
        Campaign original = null;
        try {
            original = rawId == null ? null : campaigns.find(Long.parseLong(rawId.trim()));
        } catch (NumberFormatException e) {
            original = null;
        }
        if (original == null) {
            CampaignForm form = CampaignForm.of(null);
            form.addProblems(java.util.Collections.singletonList("id: no campaign to copy"));
            return page(model, form, null);
        }
        Campaign copy = original.copyNamed(copyName(original.getName()), clock.instant());
        try {
            Campaign saved = campaigns.save(copy);
            return page(model, CampaignForm.of(campaigns.find(saved.getId())), "copied");
        } catch (InvalidCampaignException e) {
            CampaignForm form = CampaignForm.of(original);
            form.addProblems(e.getProblems());
            return page(model, form, null);
        }
    }

    /** "Copy of X", or "Copy of X (2)"... when that name is taken; cut to the name's 255 characters. */
    private String copyName(String name) {
        java.util.Collection<String> taken = campaigns.names().values();
        String base = "Copy of " + name;
        String candidate = base;
        for (int n = 2; taken.contains(candidate); n++) {
            candidate = base + " (" + n + ")";
        }
        return candidate.length() <= 255 ? candidate : candidate.substring(0, 255);
    }

    /** A user without the campaign permission gets 403 Forbidden and nothing else (no page, no campaign names). */
    @ExceptionHandler(SecurityServiceException.class)
    @ResponseStatus(HttpStatus.FORBIDDEN)
    public void forbidden() {
        // the status is the whole answer
    }

    /** Broadleaf's currencies (BLC_CURRENCY), codes sorted. */
    private List<String> currencyCodes() {
        java.util.TreeSet<String> codes = new java.util.TreeSet<String>();
        if (currencies != null) {
            for (BroadleafCurrency currency : currencies.getAllCurrencies()) {
                if (currency.getCurrencyCode() != null) {
                    codes.add(currency.getCurrencyCode());
                }
            }
        }
        return new ArrayList<String>(codes);
    }

    private String page(Model model, CampaignForm form, String message) {
        model.addAttribute("form", form);
        model.addAttribute("message", message);
        model.addAttribute("campaigns", campaigns.names());
        model.addAttribute("channels", new ArrayList<String>(channels));
        java.util.Map<String, List<String>> templatesByChannel = templates.byChannel();
        List<String> templateNames = new ArrayList<String>();
        for (List<String> names : templatesByChannel.values()) {
            templateNames.addAll(names);
        }
        model.addAttribute("templates", templatesByChannel);
        model.addAttribute("templateNames", templateNames);
        List<OfferTerms> offerTerms = offers == null ? java.util.Collections.<OfferTerms>emptyList() : offers.usableAsTemplates();
        List<String> offerNames = new ArrayList<String>();
        for (OfferTerms offer : offerTerms) {
            offerNames.add(offer.getName());
            offerNames.add(String.valueOf(offer.getOfferId()));
        }
        model.addAttribute("offers", offerTerms);
        model.addAttribute("offerNames", offerNames);
        List<String> ruleNames = new ArrayList<String>();
        for (CouponRule rule : CouponRule.values()) {
            ruleNames.add(rule.name());
        }
        model.addAttribute("couponRuleNames", ruleNames);
        model.addAttribute("currencies", currencyCodes());
        model.addAttribute("couponRules", CouponRule.values());
        model.addAttribute("delayUnits", DelayUnit.values());
        setModelAttributes(model, SECTION_KEY);
        model.addAttribute("viewType", "cartRecovery/campaignEditor");
        return "modules/defaultContainer";
    }
}
