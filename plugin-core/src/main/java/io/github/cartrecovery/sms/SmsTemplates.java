package io.github.cartrecovery.sms;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The short texts of SMS steps: classpath files {@code cartrecovery/sms/<template>[_<locale>].txt} (UTF-8; the most
 * specific locale wins, "de_AT", then "de", then none; lines starting with '#' are comments). No expressions: only
 * the placeholders {@code {firstName} {storeName} {itemCount} {total} {link} {coupon}} are replaced, with plain text.
 * <p>
 * A part in square brackets is optional: {@code [Hi {firstName}, ]} disappears when a placeholder in it has no value,
 * and optional parts are dropped from the last to the first while the text takes more than
 * {@code cartrecovery.sms.max-segments} segments ({@link SegmentCounter}). A text still too long without them is an
 * error naming the template (the message fails with PREPARE_ERROR). Typographic quotes, dashes, ellipses and
 * no-break spaces (currency formats use them) are written as their plain GSM-7 forms, so they do not turn the whole
 * text into UCS-2 (which halves what fits in a segment). Thread-safe; templates are read once.
 */
public class SmsTemplates {

    public static final String PREFIX = "cartrecovery/sms/";
    public static final Set<String> PLACEHOLDERS = Collections.unmodifiableSet(new HashSet<String>(Arrays.asList(
            "firstName", "storeName", "itemCount", "total", "link", "coupon")));

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)\\}");
    private static final Pattern SPACES = Pattern.compile(" {2,}");

    private final int maxSegments;
    private final ConcurrentMap<String, Template> templates = new ConcurrentHashMap<String, Template>();

    public SmsTemplates(int maxSegments) {
        if (maxSegments < 1 || maxSegments > 10) {
            throw new IllegalStateException("cartrecovery.sms.max-segments must be from 1 to 10, not " + maxSegments);
        }
        this.maxSegments = maxSegments;
    }

    /** {@code cartrecovery.sms.store-name}, or {@code fallback} (the email's from-name) when it is empty. */
    public static String storeName(String configured, String fallback) {
        String name = configured == null ? "" : configured.trim();
        return name.isEmpty() ? (fallback == null ? "" : fallback.trim()) : name;
    }

    public int maxSegments() {
        return maxSegments;
    }

    /** True when a template of this name exists (in any locale, at least without one). */
    public boolean exists(String template) {
        return template != null && template.matches("[A-Za-z0-9_-]{1,100}") && resource(template + ".txt") != null;
    }

    /**
     * The text of a template for a locale with these values (missing or empty values drop their optional parts).
     *
     * @throws IllegalArgumentException no such template, a broken template, or a text over the segment limit
     */
    public SmsText compose(String template, String localeCode, Map<String, String> values) {
        Template parsed = load(template, localeCode);
        List<Part> parts = new ArrayList<Part>();
        for (Part part : parsed.parts) {
            Part filled = part.fill(values);
            if (filled != null) {
                parts.add(filled);
            }
        }
        String text = join(parts);
        while (SegmentCounter.segments(text) > maxSegments && dropLastOptional(parts)) {
            text = join(parts);
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException("SMS template '" + parsed.name + "' gives an empty text");
        }
        int segments = SegmentCounter.segments(text);
        if (segments > maxSegments) {
            throw new IllegalArgumentException("SMS template '" + parsed.name + "' takes " + segments + " segments ("
                    + SegmentCounter.units(text) + " " + SegmentCounter.encoding(text) + " units) even without its optional "
                    + "parts, more than cartrecovery.sms.max-segments=" + maxSegments + ": shorten the template");
        }
        return new SmsText(text);
    }

    /** GSM-7 forms of typographic characters that would otherwise make a text UCS-2. */
    static String plain(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\u2018': case '\u2019': case '\u201A': case '\u2032': out.append('\''); break;
                case '\u201C': case '\u201D': case '\u201E': case '\u2033': out.append('"'); break;
                case '\u2010': case '\u2011': case '\u2012': case '\u2013': case '\u2014': case '\u2212': out.append('-'); break;
                case '\u2026': out.append("..."); break;
                case '\u00A0': case '\u2007': case '\u2009': case '\u202F': case '\t': out.append(' '); break;
                default:
                    out.append(Character.isISOControl(c) && c != '\n' ? ' ' : c);
            }
        }
        return out.toString();
    }

    private static boolean dropLastOptional(List<Part> parts) {
        for (int i = parts.size() - 1; i >= 0; i--) {
            if (parts.get(i).optional) {
                parts.remove(i);
                return true;
            }
        }
        return false;
    }

    private static String join(List<Part> parts) {
        StringBuilder text = new StringBuilder();
        for (Part part : parts) {
            text.append(part.text);
        }
        return SPACES.matcher(plain(text.toString())).replaceAll(" ").trim();
    }

    private Template load(String template, String localeCode) {
        if (template == null || !template.matches("[A-Za-z0-9_-]{1,100}")) {
            throw new IllegalArgumentException("SMS template name '" + template + "' must be 1 to 100 of A-Z a-z 0-9 _ -");
        }
        String key = template + "|" + localeCode;
        Template loaded = templates.get(key);
        if (loaded == null) {
            loaded = parse(localized(template, localeCode));
            templates.put(key, loaded);
        }
        return loaded;
    }

    private static String localized(String template, String localeCode) {
        if (localeCode != null && !localeCode.trim().isEmpty()) {
            String code = localeCode.trim().replace('-', '_');
            if (resource(template + "_" + code + ".txt") != null) {
                return template + "_" + code;
            }
            String language = code.split("_")[0];
            if (resource(template + "_" + language + ".txt") != null) {
                return template + "_" + language;
            }
        }
        if (resource(template + ".txt") == null) {
            throw new IllegalArgumentException("no SMS template '" + template + "' (classpath " + PREFIX + template + ".txt)");
        }
        return template;
    }

    static Template parse(String name) {
        String source = read(name);
        StringBuilder text = new StringBuilder();
        for (String line : source.split("\r?\n", -1)) {
            if (!line.startsWith("#")) {
                text.append(text.length() == 0 ? "" : "\n").append(line);
            }
        }
        String body = text.toString().trim();
        List<Part> parts = new ArrayList<Part>();
        StringBuilder current = new StringBuilder();
        boolean optional = false;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '[' || c == ']') {
                if ((c == '[') == optional) {
                    throw new IllegalArgumentException("SMS template '" + name + "': " + (optional ? "nested '['" : "']' without '['")
                            + " at character " + (i + 1) + " (optional parts are [ ... ], not nested)");
                }
                parts.add(new Part(current.toString(), optional, name));
                current.setLength(0);
                optional = c == '[';
            } else {
                current.append(c);
            }
        }
        if (optional) {
            throw new IllegalArgumentException("SMS template '" + name + "': '[' without ']'");
        }
        parts.add(new Part(current.toString(), false, name));
        return new Template(name, parts);
    }

    private static String read(String name) {
        URL url = resource(name + ".txt");
        try (InputStream in = url.openStream()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                bytes.write(buffer, 0, n);
            }
            return new String(bytes.toByteArray(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("SMS template '" + name + "' cannot be read: " + e.getMessage(), e);
        }
    }

    private static URL resource(String name) {
        return SmsTemplates.class.getClassLoader().getResource(PREFIX + name);
    }

    /** A parsed template. */
    static final class Template {
        final String name;
        final List<Part> parts;

        Template(String name, List<Part> parts) {
            this.name = name;
            this.parts = Collections.unmodifiableList(parts);
        }
    }

    /** Literal text with placeholders; optional or not. */
    static final class Part {
        final String text;
        final boolean optional;

        Part(String text, boolean optional, String template) {
            Matcher matcher = PLACEHOLDER.matcher(text);
            while (matcher.find()) {
                if (!PLACEHOLDERS.contains(matcher.group(1))) {
                    throw new IllegalArgumentException("SMS template '" + template + "': unknown placeholder {" + matcher.group(1)
                            + "}; known: " + new java.util.TreeSet<String>(PLACEHOLDERS));
                }
            }
            this.text = text;
            this.optional = optional;
        }

        private Part(String text, boolean optional) {
            this.text = text;
            this.optional = optional;
        }

        /** The part with its values, or null when it is optional and a value is missing. */
        Part fill(Map<String, String> values) {
            Matcher matcher = PLACEHOLDER.matcher(text);
            StringBuffer out = new StringBuffer();
            while (matcher.find()) {
                String value = values.get(matcher.group(1));
                if (value == null || value.trim().isEmpty()) {
                    if (optional) {
                        return null;
                    }
                    value = "";
                }
                // a value is one line of plain text: no line breaks or control characters of its own
                matcher.appendReplacement(out, Matcher.quoteReplacement(value.replaceAll("\\p{Cntrl}", " ").trim()));
            }
            matcher.appendTail(out);
            return new Part(out.toString(), optional);
        }
    }
}
