package io.github.cartrecovery.config;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docs/configuration.md is made from plugin-core's common.properties: its groups ("# --- Capture ---" lines) become
 * sections, each setting a table row with its default and the comment written above it (a comment describes the run
 * of settings directly below it). {@link ConfigurationDocsTest} fails when the two disagree; this class's
 * {@link #main} writes the page again:
 * <pre>
 * mvn -o -q -B test-compile -pl plugin-core -am
 * java -cp plugin-core/target/test-classes io.github.cartrecovery.config.ConfigurationDocs
 * </pre>
 * (from the repository's root; an argument names another root). JDK classes only, so it runs without a classpath.
 */
public final class ConfigurationDocs {

    static final String PROPERTIES = "plugin-core/src/main/resources/config/bc/cartrecovery/common.properties";
    static final String PAGE = "docs/configuration.md";

    private static final Pattern GROUP = Pattern.compile("^#\\s*-{3,}\\s*(.*?)\\s*-*\\s*$");
    private static final Pattern SETTING = Pattern.compile("^([A-Za-z0-9_.\\-]+)\\s*[=:]");
    /** A table row of the page: | `key` | default | meaning | */
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`([^`]+)`\\s*\\|\\s*(.*?)\\s*\\|");

    /** One setting: its key, default (as Properties reads it) and the comment above its run of settings. */
    public record Setting(String group, String key, String defaultValue, String meaning) {
    }

    private ConfigurationDocs() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Paths.get(args.length > 0 ? args[0] : ".");
        List<Setting> settings = read(root.resolve(PROPERTIES));
        Files.write(root.resolve(PAGE), page(settings).getBytes(StandardCharsets.UTF_8));
        System.out.println("wrote " + root.resolve(PAGE) + ": " + settings.size() + " settings");
    }

    /** The settings of a common.properties file, in file order. */
    public static List<Setting> read(Path file) throws IOException {
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        Properties values = new Properties();
        try (Reader reader = new StringReader(text)) {
            values.load(reader);
        }
        List<Setting> settings = new ArrayList<>();
        String group = "General";
        List<String> comment = new ArrayList<>();
        String runMeaning = "";
        boolean continued = false;
        for (String raw : text.split("\r?\n", -1)) {
            String line = raw.trim();
            if (continued) { // a value continued with a trailing backslash
                continued = endsWithContinuation(line);
                continue;
            }
            Matcher groupLine = GROUP.matcher(line);
            if (line.startsWith("###")) {
                comment.clear();
            } else if (groupLine.matches()) {
                group = groupLine.group(1);
                comment.clear();
                runMeaning = "";
            } else if (line.startsWith("#") || line.startsWith("!")) {
                comment.add(line.substring(1).trim());
            } else if (line.isEmpty()) {
                comment.clear();
                runMeaning = "";
            } else {
                Matcher setting = SETTING.matcher(line);
                if (setting.find()) {
                    if (!comment.isEmpty()) {
                        runMeaning = String.join(" ", comment);
                        comment.clear();
                    }
                    String key = setting.group(1);
                    settings.add(new Setting(group, key, values.getProperty(key), runMeaning));
                }
                continued = endsWithContinuation(line);
            }
        }
        return settings;
    }

    /** The keys of the page's table rows and the default written in each. */
    public static Map<String, String> documented(Path page) throws IOException {
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(page, StandardCharsets.UTF_8)) {
            Matcher row = ROW.matcher(line);
            if (row.find()) {
                rows.put(row.group(1), row.group(2));
            }
        }
        return rows;
    }

    /** How a default stands in the page's Default column. */
    public static String defaultCell(String value) {
        return value == null || value.isEmpty() ? "(empty)" : "`" + value.replace("|", "\\|").replace("`", "'") + "`";
    }

    /** The table row of one setting. */
    public static String row(Setting setting) {
        String meaning = setting.meaning().isEmpty() ? "" : cell(setting.meaning());
        return "| `" + setting.key() + "` | " + defaultCell(setting.defaultValue()) + " | " + meaning + " |";
    }

    /** The whole page. */
    public static String page(List<Setting> settings) {
        StringBuilder page = new StringBuilder();
        page.append("# Configuration\n\n")
                .append("Every setting of the plugin, with its default and what it does, grouped as in\n")
                .append("`plugin-core/src/main/resources/config/bc/cartrecovery/common.properties`, which ships in\n")
                .append("cart-recovery-core and is the source of this page. Override a setting in the store's\n")
                .append("`runtime-properties/common.properties` (or `<environment>.properties`, or a file named by\n")
                .append("`-Dproperty-override=...`), the way Broadleaf's own settings are overridden.\n\n")
                .append("The Meaning column is the comment written above the setting in `common.properties`; where one\n")
                .append("comment covers several settings, each of them shows it. (empty) is an empty default. The plugin\n")
                .append("ships no other settings file (the demo store's `runtime-properties` only override these).\n\n")
                .append("**Generated; do not edit by hand.** `ConfigurationDocsTest` (plugin-core) fails when a setting is\n")
                .append("missing here or in `common.properties`, or when a default differs. To write this page again\n")
                .append("after changing `common.properties`, from the repository's root:\n\n")
                .append("```\n")
                .append("mvn -o -q -B test-compile -pl plugin-core -am\n")
                .append("java -cp plugin-core/target/test-classes io.github.cartrecovery.config.ConfigurationDocs\n")
                .append("```\n");
        String group = null;
        for (Setting setting : settings) {
            if (!setting.group().equals(group)) {
                group = setting.group();
                page.append("\n## ").append(group).append("\n\n")
                        .append("| Property | Default | Meaning |\n")
                        .append("|---|---|---|\n");
            }
            page.append(row(setting)).append('\n');
        }
        return page.toString();
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static boolean endsWithContinuation(String line) {
        int backslashes = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }
}
