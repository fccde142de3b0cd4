package io.github.cartrecovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.cartrecovery.testing.ClassFileLevel;

class MainCodeIsJava8Test {

    @Test
    void everyMainClassIsJava8Bytecode() {
        assertThat(ClassFileLevel.newerThan(ClassFileLevel.mainClasses(), ClassFileLevel.JAVA_8)).isEmpty();
    }

    @Test
    void aClassCompiledForJava17IsCaught(@TempDir Path dir) throws Exception {
        Path source = dir.resolve("Newer.java");
        Files.write(source, "public class Newer {}".getBytes());
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int exit = javac.run(null, null, null, Arrays.asList("--release", "17", "-d", dir.toString(), source.toString()).toArray(new String[0]));
        assertThat(exit).isZero();

        assertThat(ClassFileLevel.newerThan(dir, ClassFileLevel.JAVA_8)).containsExactly("Newer.class (class file version 61)");
    }
}
