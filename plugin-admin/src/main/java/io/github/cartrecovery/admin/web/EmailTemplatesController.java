package io.github.cartrecovery.admin.web;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import javax.mail.MessagingException;
import javax.servlet.http.HttpServletRequest;

import org.broadleafcommerce.common.exception.SecurityServiceException;
import org.broadleafcommerce.common.exception.ServiceException;
import org.broadleafcommerce.openadmin.server.security.domain.AdminUser;
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

import io.github.cartrecovery.capture.EmailAddressValidator;
import io.github.cartrecovery.capture.InvalidEmailAddressException;
import io.github.cartrecovery.delivery.RecoveryPreview;
import io.github.cartrecovery.rendering.EditedCopy;
import io.github.cartrecovery.rendering.MergeFields;
import io.github.cartrecovery.rendering.RenderedEmail;
import io.github.cartrecovery.templates.EmailTemplateStore;
import io.github.cartrecovery.templates.TemplateDiff;
import io.github.cartrecovery.templates.TemplateVersion;

/**
 * "Email Templates" (docs/emails.md, "Editing templates in the admin"): the layout-based templates and their locales;
 * the editor of one template's words in one locale with its preview beside it (HTML at desktop and phone width in
 * sandboxed iframes, and the text part) for the built-in sample cart or a recent real cart, "send a test to me" (the
 * logged-in admin user's address, through the preview's test send), and the versions with compare and revert. Saves
 * go through {@link EmailTemplateStore}, whose problems are shown next to the fields they name, with the operator's
 * text kept in the form; nothing is written when one is found. Every request checks the campaign permission (FETCH to
 * read and preview, UPDATE to save, send and revert) before it reads anything; a refused one is answered 403.
 */
@Controller
@RequestMapping("/" + EmailTemplatesController.PATH)
public class EmailTemplatesController extends AdminAbstractController {

    static final String PATH = "cart-recovery-templates";
    /** The menu's "Email Templates" section (1.2/036-admin-email-templates.xml). */
    static final String SECTION_KEY = PATH;
    static final String SECURED_ENTITY = CampaignEditorController.SECURED_ENTITY;
    /** The locales every template is offered in (its classpath copy's languages); saved ones are added. */
    static final List<String> LOCALES = Arrays.asList("en", "de", "fr", "es");

    private final EmailTemplateStore templates;
    private final RecoveryPreview preview;
    private TemplateChoices templateChoices = new TemplateChoices();
    private PreviewChoices choices;

    @Autowired
    public EmailTemplatesController(@Qualifier("crEmailTemplateStore") EmailTemplateStore templates,
                                    @Qualifier("crRecoveryPreview") RecoveryPreview preview) {
        this.templates = templates;
        this.preview = preview;
    }

    /** The recent carts offered as preview carts (without: the sample cart only). */
    @Autowired(required = false)
    public void setChoices(@Qualifier("crPreviewChoices") PreviewChoices choices) {
        this.choices = choices;
    }

    void setTemplateChoices(TemplateChoices templateChoices) {
        this.templateChoices = templateChoices;
    }

    /** The templates and their locales, each with its newest saved version. */
    @RequestMapping(value = "", method = RequestMethod.GET)
    public String list(Model model) throws ServiceException {
        adminRemoteSecurityService.securityCheck(SECURED_ENTITY, EntityOperationType.FETCH);
        Map<String, List<String>> saved = templates.savedLocales();
        List<Row> rows = new ArrayList<Row>();
        for (String template : editableTemplates()) {
            TreeSet<String> locales = new TreeSet<String>(LOCALES);
            if (saved.containsKey(template)) {
                locales.addAll(saved.get(template));
            }
            for (String locale : locales) {
                rows.add(new Row(template, locale, templates.latest(template, locale)));
            }
        }
        model.addAttribute("rows", rows);
        setModelAttributes(model, SECTION_KEY);
        model.addAttribute("viewType", "cartRecovery/templates");
        return "modules/defaultContainer";
    }

    /** The editor with the newest saved words (or the classpath copy's) and their preview. */
    @RequestMapping(value = "/edit", method = RequestMethod.GET)
    public String edit(Model model, @RequestParam("template") String template, @RequestParam("locale") String locale,
                       @RequestParam(value = "orderId", required = false) String orderId,
                       @RequestParam(value = "currency", required = false) String currency) throws ServiceException {
        adminRemoteSecurityService.securityCheck(SECURED_ENTITY, EntityOperationType.FETCH);
        String code = EmailTemplateStore.localeCode(locale);
        if (!templates.editable(template) || code == null) {
            return problemPage(model, template, locale);
        }
        TemplateVersion latest = templates.latest(template, code);
        Map<String, String> texts = latest == null ? templates.defaults(template, code) : latest.getTexts();
        return editor(model, template, code, texts, orderId, currency, null);
    }

    /** The editor's words previewed without saving. */
    @RequestMapping(value = "/preview", method = RequestMethod.POST)
    public String preview(Model model, HttpServletRequest request) throws ServiceException {
        adminRemoteSecurityService.securityCheck(SECURED_ENTITY, EntityOperationType.FETCH);
        return posted(model, request, null);
    }

    /** Saves the words as the next version; problems are shown next to their fields and nothing is written. */
    @RequestMapping(value = "/save", method = RequestMethod.POST)
    public String save(Model model, HttpServletRequest request) throws ServiceException {
        adminRemoteSecurityService.securityCheck(SECURED_ENTITY, EntityOperationType.UPDATE);
        String template = FormValues.one(request, "template");
        String locale = FormValues.one(request, "locale");
        Map<String, String> texts = texts(request);
        try {
            TemplateVersion saved = templates.save(template, locale, texts, userLogin());
            model.addAttribute("message", "saved");
            model.addAttribute("savedVersion", saved.getVersionNo());
            return editor(model, saved.getTemplate(), saved.getLocaleCode(), saved.getTexts(),
                    FormValues.one(request, "orderId"), FormValues.one(request, "currency"), null);
        } catch (EditedCopy.InvalidCopyException e) {
            return posted(model, request, e.getProblems());
        } catch (IllegalStateException e) {
            Map<String, String> problems = new LinkedHashMap<String, String>();
            problems.put("template", e.getMessage());
            return posted(model, request, problems);
        }
    }

    /** Sends the editor's words, rendered for the chosen cart, to the logged-in admin user as a test. */
    @RequestMapping(value = "/send", method = RequestMethod.POST)
    public String send(Model model, HttpServletRequest request) throws ServiceException {
        adminRemoteSecurityService.securityCheck(SECURED_ENTITY, EntityOperationType.UPDATE);
        String page = posted(model, request, null);
        RenderedEmail rendered = (RenderedEmail) model.asMap().get("email");
        if (rendered == null) {
            return page;
        }
        AdminUser user = adminRemoteSecurityService.getPersistentAdminUser();
        String address;
        try {
            address = new EmailAddressValidator().normalise(user == null ? null : user.getEmail());
        } catch (InvalidEmailAddressException e) {
            model.addAttribute("sendError", "your admin user has no usable email address: " + e.getMessage());
            return page;
        }
        try {
            preview.sendTest(rendered, address);
            model.addAttribute("sent", address);
        } catch (MessagingException e) {
            model.addAttribute("sendError", "could not send: " + e.getMessage());
        }
        return page;
    }

    /** Two versions of one template and locale side by side, field by field. */
    @RequestMapping(value = "/compare", method = RequestMethod.GET)
    public String compare(Model model, @RequestParam("from") long from, @RequestParam("to") long to) throws ServiceException {
        adminRemoteSecurityService.securityCheck(SECURED_ENTITY, EntityOperationType.FETCH);
        TemplateVersion older = templates.version(from);
        TemplateVersion newer = templates.version(to);
        if (older == null || newer == null || !older.getTemplate().equals(newer.getTemplate())
                || !older.getLocaleCode().equals(newer.getLocaleCode())) {
            model.addAttribute("error", "compare: versions " + from + " and " + to + " are not two versions of one template and locale");
            return list(model);
        }
        TemplateVersion latest = templates.latest(newer.getTemplate(), newer.getLocaleCode());
        model.addAttribute("diff", TemplateDiff.between(older, newer));
        model.addAttribute("older", older);
        model.addAttribute("newer", newer);
        return editor(model, newer.getTemplate(), newer.getLocaleCode(), latest.getTexts(), null, null, null);
    }

    /** A new version with the words of an earlier one. */
    @RequestMapping(value = "/revert", method = RequestMethod.POST)
    public String revert(Model model, @RequestParam("id") long id) throws ServiceException {
        adminRemoteSecurityService.securityCheck(SECURED_ENTITY, EntityOperationType.UPDATE);
        TemplateVersion earlier = templates.version(id);
        if (earlier == null) {
            model.addAttribute("error", "revert: no template version " + id);
            return list(model);
        }
        try {
            TemplateVersion reverted = templates.revert(id, userLogin());
            model.addAttribute("message", "reverted");
            model.addAttribute("savedVersion", reverted.getVersionNo());
            return editor(model, reverted.getTemplate(), reverted.getLocaleCode(), reverted.getTexts(), null, null, null);
        } catch (EditedCopy.InvalidCopyException e) {
            TemplateVersion latest = templates.latest(earlier.getTemplate(), earlier.getLocaleCode());
            Map<String, String> problems = new LinkedHashMap<String, String>(e.getProblems());
            problems.put("template", "version " + earlier.getVersionNo() + " cannot be used any more: " + e.getMessage());
            return editor(model, earlier.getTemplate(), earlier.getLocaleCode(), latest.getTexts(), null, null, problems);
        }
    }

    /** A user without the campaign permission gets 403 Forbidden and nothing else. */
    @ExceptionHandler(SecurityServiceException.class)
    @ResponseStatus(HttpStatus.FORBIDDEN)
    public void forbidden() {
        // the status is the whole answer
    }

    /** The editor for posted words: their preview, or their problems. */
    private String posted(Model model, HttpServletRequest request, Map<String, String> problems) {
        String template = FormValues.one(request, "template");
        String code = EmailTemplateStore.localeCode(FormValues.one(request, "locale"));
        if (!templates.editable(template) || code == null) {
            return problemPage(model, template, FormValues.one(request, "locale"));
        }
        return editor(model, template, code, texts(request), FormValues.one(request, "orderId"),
                FormValues.one(request, "currency"), problems);
    }

    private String editor(Model model, String template, String locale, Map<String, String> texts, String orderId,
                          String currency, Map<String, String> problems) {
        String currencyCode = currency == null || !currency.trim().matches("[A-Za-z]{3}") ? "USD" : currency.trim().toUpperCase();
        Map<String, String> errors = new LinkedHashMap<String, String>();
        if (problems != null) {
            errors.putAll(problems);
        }
        Long order = null;
        if (orderId != null && !orderId.trim().isEmpty()) {
            try {
                order = Long.valueOf(orderId.trim());
            } catch (NumberFormatException e) {
                errors.put("orderId", "cart: '" + orderId + "' is not an order id");
            }
        }
        if (errors.isEmpty()) {
            try {
                EditedCopy draft = templates.check(template, locale, texts);
                String subject = texts.get(EditedCopy.SUBJECT) == null || texts.get(EditedCopy.SUBJECT).trim().isEmpty()
                        ? "(the campaign step's subject)" : null;
                model.addAttribute("email", preview.draft(template, order, locale, currencyCode, draft, subject));
            } catch (EditedCopy.InvalidCopyException e) {
                errors.putAll(e.getProblems());
            } catch (IllegalArgumentException e) {
                errors.put("orderId", "cart: " + e.getMessage());
            }
        }
        model.addAttribute("template", template);
        model.addAttribute("locale", locale);
        model.addAttribute("texts", texts);
        model.addAttribute("fields", EditedCopy.FIELDS);
        model.addAttribute("errors", errors);
        model.addAttribute("orderId", order == null ? "" : String.valueOf(order));
        model.addAttribute("currency", currencyCode);
        model.addAttribute("mergeFields", MergeFields.NAMES);
        model.addAttribute("itemFields", MergeFields.ITEM_NAMES);
        model.addAttribute("versions", templates.versions(template, locale));
        if (choices != null) {
            model.addAttribute("cartChoices", choices.recentCarts());
        }
        setModelAttributes(model, SECTION_KEY);
        model.addAttribute("viewType", "cartRecovery/templateEditor");
        return "modules/defaultContainer";
    }

    private String problemPage(Model model, String template, String locale) {
        model.addAttribute("error", "'" + template + "' in '" + locale
                + "' is not an editable email template and locale (only layout-based templates, locales like en or de_AT)");
        try {
            return list(model);
        } catch (ServiceException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> editableTemplates() {
        List<String> editable = new ArrayList<String>();
        List<String> email = templateChoices.byChannel().get("EMAIL");
        for (String name : email == null ? new ArrayList<String>() : email) {
            if (templates.editable(name)) {
                editable.add(name);
            }
        }
        return editable;
    }

    private static Map<String, String> texts(HttpServletRequest request) {
        Map<String, String> texts = new LinkedHashMap<String, String>();
        for (String field : EditedCopy.FIELDS) {
            String text = FormValues.one(request, field);
            texts.put(field, text == null ? "" : text.replace("\r\n", "\n"));
        }
        return texts;
    }

    private String userLogin() {
        AdminUser user = adminRemoteSecurityService.getPersistentAdminUser();
        return user == null ? null : user.getLogin();
    }

    /** One template in one locale on the list. */
    public static final class Row {
        private final String template;
        private final String locale;
        private final TemplateVersion latest;

        Row(String template, String locale, TemplateVersion latest) {
            this.template = template;
            this.locale = locale;
            this.latest = latest;
        }

        public String getTemplate() { return template; }
        public String getLocale() { return locale; }
        /** Null: the classpath copy. */
        public TemplateVersion getLatest() { return latest; }
    }
}
