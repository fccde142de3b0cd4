package io.github.cartrecovery.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * One version line (CHANGELOG.md, "One version line"): Maven version X.Y.Z, Liquibase release tags cartrecovery-X.Y
 * and cartrecovery-admin-X.Y, and a CHANGELOG.md section per release agree.
 */
class VersionLineTest {

    private static final Path ROOT = Paths.get(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
    private static final Pattern TAG_CHANGESET = Pattern.compile(
            "<changeSet id=\"(tag-[a-z-]*\\d+\\.\\d+)\" author=\"cartrecovery\">\\s*<tagDatabase tag=\"([^\"]+)\"/>");

    @Test
    void everyTagChangesetNamesItsReleaseAsMajorDotMinor() throws IOException {
        for (String[] tag : tags("db/changelog/cartrecovery-master.xml")) {
            assertThat(tag[1]).isEqualTo("cartrecovery-" + tag[0].substring("tag-".length()));
        }
        for (String[] tag : tags("db/changelog/cartrecovery-admin-master.xml")) {
            assertThat(tag[1]).isEqualTo("cartrecovery-admin-" + tag[0].substring("tag-admin-".length()));
        }
    }

    @Test
    void theSchemaAndTheAdminRowsAreTaggedForTheSameReleases() throws IOException {
        List<String> schema = releases("db/changelog/cartrecovery-master.xml");
        assertThat(schema).startsWith("0.0"); // the empty schema, before the admin rows exist
        assertThat(releases("db/changelog/cartrecovery-admin-master.xml")).isEqualTo(schema.subList(1, schema.size()));
    }

    @Test
    void theMavenVersionIsTheNextReleaseWhileASnapshotAndATaggedOneOtherwise() throws IOException {
        String version = mavenVersion();
        assertThat(version).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        String minor = version.replaceAll("^(\\d+\\.\\d+)\\..*$", "$1");
        List<String> released = releases("db/changelog/cartrecovery-master.xml");
        if (version.endsWith(".0-SNAPSHOT")) {
            assertThat(released).as("a minor release being made (%s) has no schema tag yet", version).doesNotContain(minor);
        } else {
            assertThat(released).as("a release or patch (%s) has its minor's schema tag cartrecovery-%s", version, minor).contains(minor);
        }
    }

    @Test
    void theChangelogHasASectionForEveryReleaseAndNamesTheOneBeingMade() throws IOException {
        String changelog = new String(Files.readAllBytes(ROOT.resolve("CHANGELOG.md")), StandardCharsets.UTF_8);
        for (String release : releases("db/changelog/cartrecovery-master.xml")) {
            if (!release.equals("0.0")) {
                assertThat(changelog).as("CHANGELOG.md section of %s", release).containsPattern("(?m)^## \\[" + Pattern.quote(release) + "\\.\\d+\\] - \\d{4}-\\d{2}-\\d{2}$");
            }
        }
        String version = mavenVersion();
        if (version.endsWith("-SNAPSHOT")) {
            assertThat(changelog).contains("## [Unreleased] - " + version.substring(0, version.length() - "-SNAPSHOT".length()));
        } else {
            assertThat(changelog).containsPattern("(?m)^## \\[" + Pattern.quote(version) + "\\] - ");
        }
    }

    /** The parent POM's version (every module inherits it). */
    private static String mavenVersion() throws IOException {
        String pom = new String(Files.readAllBytes(ROOT.resolve("pom.xml")), StandardCharsets.UTF_8);
        Matcher version = Pattern.compile("<artifactId>cart-recovery-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertThat(version.find()).as("the parent's version in pom.xml").isTrue();
        return version.group(1);
    }

    /** The releases a changelog tags, in order: "0.0", "1.0", "1.1"... */
    private static List<String> releases(String changelog) throws IOException {
        List<String> releases = new ArrayList<>();
        for (String[] tag : tags(changelog)) {
            releases.add(tag[0].replaceAll("^tag-[a-z-]*?(\\d+\\.\\d+)$", "$1"));
        }
        return releases;
    }

    /** Each tag changeset's id and tag. */
    private static List<String[]> tags(String changelog) throws IOException {
        String xml;
        try (InputStream in = VersionLineTest.class.getClassLoader().getResourceAsStream(changelog)) {
            assertThat(in).as(changelog).isNotNull();
            xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String[]> tags = new ArrayList<>();
        Matcher tag = TAG_CHANGESET.matcher(xml);
        while (tag.find()) {
            tags.add(new String[] {tag.group(1), tag.group(2)});
        }
        assertThat(tags).as("tag changesets in %s", changelog).isNotEmpty();
        return tags;
    }
}
