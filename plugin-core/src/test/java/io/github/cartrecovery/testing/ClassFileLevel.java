package io.github.cartrecovery.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads class-file versions. A module's main classes must all be Java 8 (major 52) or older, because
 * Broadleaf 3.1 stores run on Java 8 and Spring 3.2's ASM cannot parse newer class files.
 */
public final class ClassFileLevel {

    public static final int JAVA_8 = 52;

    private ClassFileLevel() {
    }

    /** The module's compiled main classes, as Maven lays them out. */
    public static Path mainClasses() {
        return Paths.get(System.getProperty("basedir", "."), "target", "classes");
    }

    /** Every class file under {@code root} newer than {@code maxMajor}, with its version. */
    public static List<String> newerThan(Path root, int maxMajor) {
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("no compiled classes at " + root);
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(file -> file.toString().endsWith(".class"))
                    .filter(file -> major(file) > maxMajor)
                    .map(file -> root.relativize(file) + " (class file version " + major(file) + ")")
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int major(Path classFile) {
        try (InputStream in = Files.newInputStream(classFile); DataInputStream data = new DataInputStream(in)) {
            if (data.readInt() != 0xCAFEBABE) {
                throw new IllegalArgumentException(classFile + " is not a class file");
            }
            data.readUnsignedShort();
            return data.readUnsignedShort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
