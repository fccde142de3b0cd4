package io.github.cartrecovery.rendering;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The words of the layout-based templates, from UTF-8 properties on the classpath:
 * {@code cartrecovery/email/copy/layout[_<locale>].properties} (labels, notes, footer, shared by every template)
 * and {@code cartrecovery/email/copy/<template>[_<locale>].properties} (heading, intro, button). The most
 * specific locale wins key by key ("de_AT" over "de" over English). A template is layout-based when its
 * English copy exists. Placeholders are {@code {0}}, {@code {1}}..., replaced as plain text (an apostrophe
 * needs no escaping). Loaded once per template and locale; thread-safe.
 */
public class EmailCopy {

    public static final String PREFIX = "cartrecovery/email/copy/";
    static final String LAYOUT = "layout";

    private final ConcurrentMap<String, Words> cache = new ConcurrentHashMap<String, Words>();
    /**
     * Whether each template's English copy exists, looked up once: the renderer asks for every message, and a
     * class-path lookup walks every jar of the store's class path (about 2% of a sending thread's CPU in the delivery
     * benchmark). The class path does not change while the context runs; the words are cached the same way.
     */
    private final ConcurrentMap<String, Boolean> existing = new ConcurrentHashMap<String, Boolean>();

    /** True when the template's English copy exists. */
    public boolean exists(String template) {
        return existing.computeIfAbsent(template, name -> resource(name) != null);
    }

    /** The template's words in the locale (most specific first), with the language they are written in. */
    public Words words(String template, String localeCode) {
        String key = template + "|" + localeCode;
        Words words = cache.get(key);
        if (words == null) {
            words = load(template, localeCode);
            cache.put(key, words);
        }
        return words;
    }

    private static Words load(String template, String localeCode) {
        Map<String, String> words = new HashMap<String, String>();
        String language = "en";
        for (String suffix : suffixes(localeCode)) {
            put(words, LAYOUT + suffix);
            if (put(words, template + suffix) && !suffix.isEmpty()) {
                language = suffix.substring(1).split("_")[0];
            }
        }
        return new Words(language, words);
    }

    /** "", "_de", "_de_AT": least specific first, so later ones override. */
    private static List<String> suffixes(String localeCode) {
        List<String> suffixes = new ArrayList<String>();
        suffixes.add("");
        if (localeCode != null && !localeCode.trim().isEmpty()) {
            String[] parts = localeCode.trim().replace('-', '_').split("_");
            suffixes.add("_" + parts[0].toLowerCase(java.util.Locale.ROOT));
            if (parts.length > 1) {
                suffixes.add("_" + parts[0].toLowerCase(java.util.Locale.ROOT) + "_" + parts[1].toUpperCase(java.util.Locale.ROOT));
            }
        }
        return suffixes;
    }

    private static boolean put(Map<String, String> words, String name) {
        java.net.URL url = resource(name);
        if (url == null) {
            return false;
        }
        Properties properties = new Properties();
        try (InputStream in = url.openStream()) {
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("Cart Recovery could not read the email copy " + PREFIX + name
                    + ".properties", e);
        }
        for (String key : properties.stringPropertyNames()) {
            words.put(key, properties.getProperty(key));
        }
        return true;
    }

    private static java.net.URL resource(String name) {
        return EmailCopy.class.getClassLoader().getResource(PREFIX + name + ".properties");
    }

    /** One template's words in one locale. Immutable. */
    public static final class Words {
        private final String language;
        private final Map<String, String> words;

        Words(String language, Map<String, String> words) {
            this.language = language;
            this.words = Collections.unmodifiableMap(new HashMap<String, String>(words));
        }

        /** The language the template's own words are written in ("en" when only the English copy exists). */
        public String getLanguage() { return language; }

        /** The words for this key with {0}, {1}... filled in; the key in brackets when it is missing. */
        public String get(String key, Object... arguments) {
            String pattern = words.get(key);
            if (pattern == null) {
                return "[" + key + "]";
            }
            String text = pattern;
            for (int i = 0; i < arguments.length; i++) {
                text = text.replace("{" + i + "}", String.valueOf(arguments[i]));
            }
            return text;
        }

        public boolean has(String key) {
            return words.containsKey(key);
        }

        /** Every key and its words, placeholders unfilled (for {@link EditedCopy}). */
        Map<String, String> all() {
            return words;
        }
    }
}
