package io.github.cartrecovery.schema;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.junit.jupiter.api.Test;

/** The libraries Liquibase needs are checked before anything starts, naming the jar that is too old. */
class LiquibaseLibrariesTest {

    /** commons-io 2.1 and commons-lang3 3.3.2, as a Heat Clinic 3.1 WAR has them (copied by the build). */
    private static final Path OLD = Paths.get("target", "broadleaf-3.1-libraries");

    @Test
    void acceptsTheVersionsLiquibaseDeclares() {
        assertThatCode(() -> new LiquibaseLibraries().check()).doesNotThrowAnyException();
    }

    @Test
    void refusesBroadleafsCommonsIoNamingTheJarAndThePin() throws Exception {
        try (URLClassLoader heatClinic = classpath(OLD.resolve("commons-io-2.1.jar"), jarOf(org.apache.commons.lang3.StringUtils.class))) {
            assertThatThrownBy(() -> new LiquibaseLibraries(heatClinic).check())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("commons-io:commons-io 2.19.0 or newer is needed")
                    .hasMessageContaining("org.apache.commons.io.ByteOrderMark.UTF_32LE is missing")
                    .hasMessageContaining("commons-io-2.1.jar")
                    .hasMessageContaining("docs/install.md")
                    .satisfies(e -> org.assertj.core.api.Assertions.assertThat(e.getMessage()).doesNotContain("commons-lang3 3.17.0"));
        }
    }

    @Test
    void refusesBroadleafsCommonsLang3() throws Exception {
        try (URLClassLoader heatClinic = classpath(jarOf(org.apache.commons.io.IOUtils.class), OLD.resolve("commons-lang3-3.3.2.jar"))) {
            assertThatThrownBy(() -> new LiquibaseLibraries(heatClinic).check())
                    .hasMessageContaining("org.apache.commons:commons-lang3 3.17.0 or newer is needed")
                    .hasMessageContaining("commons-lang3-3.3.2.jar");
        }
    }

    @Test
    void namesAMissingLibrary() throws Exception {
        try (URLClassLoader empty = classpath(jarOf(org.apache.commons.io.IOUtils.class))) {
            assertThatThrownBy(() -> new LiquibaseLibraries(empty).check())
                    .hasMessageContaining("no org.apache.commons:commons-lang3");
        }
    }

    private static URLClassLoader classpath(Path... jars) throws Exception {
        URL[] urls = new URL[jars.length];
        for (int i = 0; i < jars.length; i++) {
            if (!Files.isRegularFile(jars[i])) {
                throw new IllegalStateException(jars[i] + " is missing: run the build's generate-test-resources phase");
            }
            urls[i] = jars[i].toUri().toURL();
        }
        return new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
    }

    private static Path jarOf(Class<?> type) throws Exception {
        return Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
