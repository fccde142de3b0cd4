package io.github.cartrecovery.rendering;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;

import org.apache.commons.lang3.StringEscapeUtils;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

import io.github.cartrecovery.coupon.IssuedCoupon;
import io.github.cartrecovery.formatting.MoneyFormat;

/**
 * Renders recovery emails with Thymeleaf (the host's engine, standalone here). The default templates
 * (gentle-reminder, value-reminder, last-call) and any template with copy in {@code cartrecovery/email/copy/}
 * ({@link EmailCopy}) share one layout, {@code cartrecovery/email/layout/email.html}, with the store's
 * {@link EmailLayout}; their text part is written from the same {@link EmailContent} ({@link EmailText}).
 * A store's own template without copy is rendered as before from {@code cartrecovery/email/<template>[_<locale>].html}
 * (XHTML) and {@code .txt} (plain text written as XML, unescaped after rendering), with the layout available as
 * {@code ${layout}}. The most specific locale wins: "de_AT", then "de", then none. Every value goes through
 * {@code th:text}, so HTML is escaped; money is formatted in the cart's currency with the cart's locale. Thread-safe.
 */
public class EmailRenderer {

    public static final String PREFIX = "cartrecovery/email/";
    /** The shared layout of every template with copy. */
    static final String LAYOUT = "layout/email";

    private static final Pattern XML_DECLARATION = Pattern.compile("^<\\?xml[^>]*\\?>\\s*");

    private final TemplateEngine html = engine("XHTML", ".html");
    private final TemplateEngine text = engine("XML", ".txt");
    /** template + locale code -> the template name to render; a classpath lookup per message cost a quarter of delivery. */
    private final ConcurrentMap<String, String> localizedNames = new ConcurrentHashMap<String, String>();
    private final EmailLayoutSource layouts;
    private final EmailCopy copy = new EmailCopy();

    /** With the default layout settings (previews and tests). */
    public EmailRenderer() {
        this(EmailLayout.defaults("Our Shop"));
    }

    public EmailRenderer(final EmailLayout layout) {
        this(new EmailLayoutSource() {
            @Override
            public EmailLayout current() {
                return layout;
            }
        });
    }

    /**
     * With the layout as the operator set it in the admin ({@link EmailLayoutSettings}), read again as it changes.
     * Lets OGNL meet the model's getters here, on the constructing thread, so that render threads only read its
     * cache ({@link OgnlWarmUp}).
     */
    public EmailRenderer(EmailLayoutSource layouts) {
        this.layouts = layouts;
        OgnlWarmUp.meetGetters(EmailContent.class, EmailContent.Item.class, EmailLayout.class, IssuedCoupon.class,
                LineView.class, EmailModel.plain(null, null).getClass());
    }

    /** The layout the next email gets. */
    public EmailLayout getLayout() {
        return layouts.current();
    }

    private static TemplateEngine engine(String mode, String suffix) {
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
        resolver.setPrefix(PREFIX);
        resolver.setSuffix(suffix);
        resolver.setTemplateMode(mode);
        resolver.setCharacterEncoding("UTF-8");
        resolver.setCacheable(true);
        TemplateEngine engine = new TemplateEngine();
        engine.setTemplateResolver(resolver);
        return engine;
    }

    /** True when a template of this name exists (in any locale). */
    public boolean exists(String template) {
        return copy.exists(template) || resource(template + ".html") && resource(template + ".txt");
    }

    /** Renders with plain links: no open pixel, other links untracked (previews, tests). */
    public RenderedEmail render(String template, String subject, RecoveryCart cart, String restoreUrl,
                                String unsubscribeUrl) {
        return render(template, new EmailModel(subject, cart, restoreUrl, unsubscribeUrl));
    }

    /** Plain links and the message's coupon, or null for none. */
    public RenderedEmail render(String template, String subject, RecoveryCart cart, String restoreUrl,
                                String unsubscribeUrl, IssuedCoupon coupon) {
        return render(template, new EmailModel(subject, cart, EmailModel.plain(restoreUrl, unsubscribeUrl), coupon));
    }

    public RenderedEmail render(String template, String subject, RecoveryCart cart, TrackedLinks links) {
        return render(template, new EmailModel(subject, cart, links, null));
    }

    /**
     * Renders one message: the template's HTML and text parts in the cart's locale (most specific first),
     * with its links and coupon (template variable {@code coupon}: code, discount, expires; null for none).
     */
    public RenderedEmail render(String template, EmailModel model) {
        return render(template, model, null);
    }

    /**
     * Renders one message with the words an operator saved in the admin ({@code edited}, null: the classpath copy)
     * over the template's classpath copy. Only layout-based templates take edited words; for a store's own Thymeleaf
     * template {@code edited} is ignored.
     */
    public RenderedEmail render(String template, EmailModel model, EditedCopy edited) {
        if (copy.exists(template)) {
            EmailLayout layout = layouts.current();
            EmailCopy.Words words = copy.words(template, model.getCart().getLocaleCode());
            if (edited != null) {
                Map<String, Object> values = MergeFields.of(model, layout);
                words = edited.over(words, values);
                model = new EmailModel(edited.subject(model.getSubject(), values), model.getCart(), model.getLinks(),
                        model.getCoupon());
            }
            EmailContent content = new EmailContent(model, layout, words);
            Context context = new Context(locale(model.getCart().getLocaleCode()));
            context.setVariable("c", content);
            return new RenderedEmail(model.getSubject(), html.process(LAYOUT, context), EmailText.of(content));
        }
        RecoveryCart cart = model.getCart();
        Locale locale = locale(cart.getLocaleCode());
        Context context = new Context(locale);
        Map<String, Object> variables = new HashMap<String, Object>();
        variables.put("subject", model.getSubject());
        variables.put("firstName", cart.getFirstName());
        variables.put("lines", views(cart, locale));
        variables.put("total", money(cart.total(), cart.getCurrencyCode(), locale));
        TrackedLinks links = model.getLinks();
        variables.put("restoreUrl", links.getRestoreUrl());
        variables.put("unsubscribeUrl", links.getUnsubscribeUrl());
        variables.put("openPixelUrl", links.getOpenPixelUrl());
        variables.put("links", links);
        variables.put("coupon", model.getCoupon());
        variables.put("layout", layouts.current());
        context.setVariables(variables);
        String name = localized(template, cart.getLocaleCode());
        String htmlPart = html.process(name, context);
        String textPart = XML_DECLARATION.matcher(StringEscapeUtils.unescapeXml(text.process(name, context)))
                .replaceFirst("").trim() + "\n";
        return new RenderedEmail(model.getSubject(), htmlPart, textPart);
    }

    /** True when the template is layout-based: its words are copy an operator can edit in the admin. */
    public boolean editable(String template) {
        return copy.exists(template);
    }

    /**
     * The language of the classpath copy a cart in {@code localeCode} gets ("en" when the template has no copy in
     * the cart's language): where the saved versions of the admin fall back to.
     */
    public String copyLanguage(String template, String localeCode) {
        return copy.words(template, localeCode).getLanguage();
    }

    /** The template's own classpath words in a locale (preheader, heading, intro, button...): the editor's defaults. */
    public Map<String, String> copyWords(String template, String localeCode) {
        return copy.words(template, localeCode).all();
    }

    /** Formats an amount for a currency in a locale: "$12.50", "12,50 €", "￥1,250" ({@link MoneyFormat}). */
    public static String money(BigDecimal amount, String currencyCode, Locale locale) {
        return MoneyFormat.format(amount, currencyCode, locale);
    }

    /** Compiled once: {@code String.split} with a character class compiles its pattern on every call (per message). */
    private static final java.util.regex.Pattern LOCALE_SEPARATOR = java.util.regex.Pattern.compile("[_-]");

    static Locale locale(String code) {
        if (code == null || code.trim().isEmpty()) {
            return Locale.US;
        }
        String[] parts = LOCALE_SEPARATOR.split(code.trim());
        return parts.length > 1 ? new Locale(parts[0], parts[1]) : new Locale(parts[0]);
    }

    private String localized(String template, String localeCode) {
        String key = template + "|" + localeCode;
        String name = localizedNames.get(key);
        if (name == null) {
            name = findLocalized(template, localeCode);
            localizedNames.put(key, name);
        }
        return name;
    }

    private String findLocalized(String template, String localeCode) {
        if (localeCode != null && !localeCode.trim().isEmpty()) {
            String code = localeCode.trim().replace('-', '_');
            if (resource(template + "_" + code + ".html")) {
                return template + "_" + code;
            }
            String language = code.split("_")[0];
            if (resource(template + "_" + language + ".html")) {
                return template + "_" + language;
            }
        }
        return template;
    }

    private static boolean resource(String name) {
        return EmailRenderer.class.getClassLoader().getResource(PREFIX + name) != null;
    }

    private static List<LineView> views(RecoveryCart cart, Locale locale) {
        List<LineView> views = new ArrayList<LineView>();
        for (CartLine line : cart.getLines()) {
            views.add(new LineView(line, cart.getCurrencyCode(), locale));
        }
        return views;
    }

    /** A line with its money already formatted, for templates. */
    public static final class LineView {
        private final CartLine line;
        private final String unitPrice;
        private final String lineTotal;
        private final String priceWhenAdded;

        LineView(CartLine line, String currencyCode, Locale locale) {
            this.line = line;
            this.unitPrice = money(line.getUnitPrice(), currencyCode, locale);
            this.lineTotal = money(line.lineTotal(), currencyCode, locale);
            this.priceWhenAdded = line.getPriceWhenAdded() == null ? null
                    : money(line.getPriceWhenAdded(), currencyCode, locale);
        }

        public String getName() { return line.getName(); }
        public int getQuantity() { return line.getQuantity(); }
        public String getImageUrl() { return line.getImageUrl(); }
        public String getProductUrl() { return line.getProductUrl(); }
        public boolean isPriceDrop() { return line.isPriceDrop(); }
        public Integer getStockLeft() { return line.getStockLeft(); }
        public String getUnitPrice() { return unitPrice; }
        public String getLineTotal() { return lineTotal; }
        public String getPriceWhenAdded() { return priceWhenAdded; }
    }
}
