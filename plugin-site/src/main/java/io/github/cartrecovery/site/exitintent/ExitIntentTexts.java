package io.github.cartrecovery.site.exitintent;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The dialog's texts per locale, from the classpath files {@code cartrecovery/exit-intent/messages[_lang[_COUNTRY]].properties}
 * (UTF-8; en, de, fr and es ship with the plugin). A key missing from a language's file comes from the next more general
 * file, down to the English {@code messages.properties}. A store changes a text by putting its own file of the same
 * name first on the classpath. Texts are plain text: the page escapes them, the script sets them with textContent.
 */
public final class ExitIntentTexts {

    /** Every key the dialog needs, in the order the JSON carries them. */
    static final String[] KEYS = {"title", "text", "email", "consent", "submit", "close", "thanks", "errorEmail", "errorOther"};
    private static final String BASE = "cartrecovery/exit-intent/messages";

    private final ConcurrentMap<Locale, Map<String, String>> cache = new ConcurrentHashMap<Locale, Map<String, String>>();

    /** The texts for {@code locale} (null: English), every key present. */
    public Map<String, String> forLocale(Locale locale) {
        Locale key = locale == null ? Locale.ENGLISH : locale;
        Map<String, String> texts = cache.get(key);
        if (texts == null) {
            texts = load(key);
            cache.putIfAbsent(key, texts);
        }
        return texts;
    }

    private static Map<String, String> load(Locale locale) {
        Properties merged = read(BASE + ".properties");
        if (!locale.getLanguage().isEmpty()) {
            merged.putAll(read(BASE + "_" + locale.getLanguage() + ".properties"));
            if (!locale.getCountry().isEmpty()) {
                merged.putAll(read(BASE + "_" + locale.getLanguage() + "_" + locale.getCountry() + ".properties"));
            }
        }
        Map<String, String> texts = new LinkedHashMap<String, String>();
        for (String name : KEYS) {
            String value = merged.getProperty(name);
            if (value == null || value.trim().isEmpty()) {
                throw new IllegalStateException(BASE + ".properties has no text for '" + name + "'");
            }
            texts.put(name, value.trim());
        }
        return Collections.unmodifiableMap(texts);
    }

    private static Properties read(String resource) {
        Properties properties = new Properties();
        InputStream in = ExitIntentTexts.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            return properties;
        }
        try {
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return properties;
        } catch (IOException e) {
            throw new IllegalStateException("could not read classpath resource " + resource, e);
        } finally {
            try {
                in.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }
}
