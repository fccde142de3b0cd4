package io.github.cartrecovery.testing;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package rules every plugin module keeps, checked by each module's {@code ArchitectureTest} with ArchUnit on
 * the module's own main classes.
 */
public final class PackageRules {

    public static final String ROOT = "io.github.cartrecovery";

    private PackageRules() {
    }

    /** The main classes of the module under test ({@code target/classes}), without its tests. */
    public static JavaClasses mainClasses() {
        return new ClassFileImporter().importPath(ClassFileLevel.mainClasses());
    }

    /**
     * No package of the plugin depends on another that depends back on it, directly or through others: each
     * package is a step a reader can understand from the packages below it. A type two packages share goes to
     * the package that owns it or to a small neutral one (state, keys, formatting...).
     */
    public static ArchRule noPackageCycles() {
        return slices().matching(ROOT + ".(**)").namingSlices("$1")
                .should().beFreeOfCycles()
                .because("each package of the plugin builds on the ones below it (no two-way dependencies)");
    }
}
