package io.github.cartrecovery.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.cartrecovery.config.ConfigurationDocs.Setting;

/** docs/configuration.md names every setting of common.properties with its default, and nothing else. */
class ConfigurationDocsTest {

    private static final Path ROOT = Paths.get(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
    private static final String REGENERATE = "\nWrite the page again from the repository's root:\n"
            + "  mvn -o -q -B test-compile -pl plugin-core -am\n"
            + "  java -cp plugin-core/target/test-classes io.github.cartrecovery.config.ConfigurationDocs\n";

    @Test
    void everySettingOfCommonPropertiesIsOnThePage() throws IOException {
        Map<String, String> documented = ConfigurationDocs.documented(ROOT.resolve(ConfigurationDocs.PAGE));
        List<Setting> missing = settings().stream().filter(s -> !documented.containsKey(s.key())).collect(Collectors.toList());

        assertThat(missing).as("settings missing from docs/configuration.md; their rows:\n%s%s",
                missing.stream().map(ConfigurationDocs::row).collect(Collectors.joining("\n")), REGENERATE).isEmpty();
    }

    @Test
    void thePageNamesNoSettingThatCommonPropertiesLacks() throws IOException {
        List<String> keys = settings().stream().map(Setting::key).collect(Collectors.toList());
        List<String> extra = ConfigurationDocs.documented(ROOT.resolve(ConfigurationDocs.PAGE)).keySet().stream()
                .filter(key -> !keys.contains(key)).collect(Collectors.toList());

        assertThat(extra).as("docs/configuration.md names settings that common.properties does not have%s", REGENERATE).isEmpty();
    }

    @Test
    void thePageShowsEachSettingsDefault() throws IOException {
        Map<String, String> documented = ConfigurationDocs.documented(ROOT.resolve(ConfigurationDocs.PAGE));
        List<String> wrong = settings().stream()
                .filter(s -> documented.containsKey(s.key()))
                .filter(s -> !documented.get(s.key()).equals(ConfigurationDocs.defaultCell(s.defaultValue())))
                .map(s -> s.key() + ": page " + documented.get(s.key()) + ", common.properties " + ConfigurationDocs.defaultCell(s.defaultValue()))
                .collect(Collectors.toList());

        assertThat(wrong).as("defaults that differ%s", REGENERATE).isEmpty();
    }

    @Test
    void aCommentDescribesTheRunOfSettingsBelowItWithinItsGroup(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("common.properties");
        Files.write(file, String.join("\n",
                "###", "# header", "###", "",
                "# --- Capture ----------", "# How often and how many.", "a.interval=60", "a.batch=500", "",
                "a.alone=", "# ----- Privacy (docs/privacy.md) -----", "# Kept | hashed <always>.",
                "b.list=x,\\", "  y,\\", "  z", "b.after=1").getBytes(StandardCharsets.ISO_8859_1));

        List<Setting> settings = ConfigurationDocs.read(file);

        assertThat(settings).containsExactly(
                new Setting("Capture", "a.interval", "60", "How often and how many."),
                new Setting("Capture", "a.batch", "500", "How often and how many."),
                new Setting("Capture", "a.alone", "", ""),
                new Setting("Privacy (docs/privacy.md)", "b.list", "x,y,z", "Kept | hashed <always>."),
                new Setting("Privacy (docs/privacy.md)", "b.after", "1", "Kept | hashed <always>."));
        assertThat(ConfigurationDocs.row(settings.get(3))).isEqualTo("| `b.list` | `x,y,z` | Kept \\| hashed &lt;always&gt;. |");
        assertThat(ConfigurationDocs.row(settings.get(2))).isEqualTo("| `a.alone` | (empty) |  |");
    }

    @Test
    void theGeneratedPageReadsBackAsTheSettings(@TempDir Path dir) throws IOException {
        List<Setting> settings = settings();
        Path page = dir.resolve("configuration.md");
        Files.write(page, ConfigurationDocs.page(settings).getBytes(StandardCharsets.UTF_8));

        Map<String, String> documented = ConfigurationDocs.documented(page);

        assertThat(documented.keySet()).containsExactlyElementsOf(settings.stream().map(Setting::key).collect(Collectors.toList()));
        settings.forEach(s -> assertThat(documented.get(s.key())).isEqualTo(ConfigurationDocs.defaultCell(s.defaultValue())));
    }

    private static List<Setting> settings() throws IOException {
        List<Setting> settings = ConfigurationDocs.read(ROOT.resolve(ConfigurationDocs.PROPERTIES));
        assertThat(settings).as("settings read from common.properties").hasSizeGreaterThan(100);
        return settings;
    }
}
