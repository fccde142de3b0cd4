package io.github.cartrecovery.admin;

import org.junit.jupiter.api.Test;

import io.github.cartrecovery.testing.PackageRules;

/** The back-office module's packages form no cycle (the engine's own rules are checked in plugin-core). */
class ArchitectureTest {

    @Test
    void noPackageCycles() {
        PackageRules.noPackageCycles().check(PackageRules.mainClasses());
    }
}
