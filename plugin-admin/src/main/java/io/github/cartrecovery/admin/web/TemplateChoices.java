package io.github.cartrecovery.admin.web;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import io.github.cartrecovery.rendering.EmailCopy;
import io.github.cartrecovery.rendering.EmailRenderer;

/**
 * The templates the campaign editor offers per channel, read from the classpath as the channels find them: email
 * templates (the layout-based ones, whose words are {@code cartrecovery/email/copy/<name>.properties}, and a store's own
 * {@code cartrecovery/email/<name>.html} with its {@code .txt}) and SMS texts ({@code cartrecovery/sms/<name>.txt});
 * translations ({@code <name>_de.html}) are versions of their template, not templates of their own. Read on every call,
 * so templates a store adds show up without a list to maintain. Other channels (a webhook) take any plain name.
 */
public class TemplateChoices {

    static final String SMS_PREFIX = "cartrecovery/sms/";
    /** {@code copy/layout.properties}: the words every layout-based template shares, not a template itself. */
    private static final String LAYOUT_WORDS = "layout";
    private static final String LOCALE_SUFFIX = "_[a-z]{2,3}(_[A-Z]{2})?";

    private final PathMatchingResourcePatternResolver resources;

    public TemplateChoices(ClassLoader classLoader) {
        this.resources = new PathMatchingResourcePatternResolver(classLoader);
    }

    public TemplateChoices() {
        this(TemplateChoices.class.getClassLoader());
    }

    /** Channel name -> its templates, sorted: EMAIL and SMS. */
    public Map<String, List<String>> byChannel() {
        Map<String, List<String>> byChannel = new LinkedHashMap<String, List<String>>();
        // the layout-based templates (their words in copy/<name>.properties; "layout" holds the shared words, no template)
        TreeSet<String> email = new TreeSet<String>();
        for (String name : templates(names(EmailCopy.PREFIX, ".properties"))) {
            if (!name.equals(LAYOUT_WORDS)) {
                email.add(name);
            }
        }
        // and a store's own templates: an .html with its .txt
        TreeSet<String> textParts = names(EmailRenderer.PREFIX, ".txt");
        for (String name : templates(names(EmailRenderer.PREFIX, ".html"))) {
            if (textParts.contains(name)) {
                email.add(name);
            }
        }
        byChannel.put("EMAIL", Collections.unmodifiableList(new ArrayList<String>(email)));
        byChannel.put("SMS", templates(names(SMS_PREFIX, ".txt")));
        return byChannel;
    }

    /** The names without translations: "gentle-reminder_de" is dropped when "gentle-reminder" exists. */
    private static List<String> templates(TreeSet<String> names) {
        List<String> templates = new ArrayList<String>();
        for (String name : names) {
            String base = name.replaceFirst(LOCALE_SUFFIX + "$", "");
            if (base.equals(name) || !names.contains(base)) {
                templates.add(name);
            }
        }
        return Collections.unmodifiableList(templates);
    }

    private TreeSet<String> names(String prefix, String suffix) {
        TreeSet<String> names = new TreeSet<String>();
        try {
            for (Resource resource : resources.getResources("classpath*:" + prefix + "*" + suffix)) {
                String file = resource.getFilename();
                if (file != null && file.endsWith(suffix)) {
                    names.add(file.substring(0, file.length() - suffix.length()));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + prefix + "*" + suffix + " on the classpath", e);
        }
        return names;
    }
}
