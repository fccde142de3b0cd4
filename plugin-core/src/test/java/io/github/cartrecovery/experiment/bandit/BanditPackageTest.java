package io.github.cartrecovery.experiment.bandit;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.base.DescribedPredicate;

import io.github.cartrecovery.testing.PackageRules;

class BanditPackageTest {

    @Test
    void dependsOnNoOtherPackageOfThePluginSoThePlannerCanCallIt() {
        String own = PackageRules.ROOT + ".experiment.bandit..";
        noClasses().that().resideInAPackage(own)
                .should().dependOnClassesThat(resideInAPackage(PackageRules.ROOT + "..")
                        .and(DescribedPredicate.not(resideInAPackage(own))))
                .because("the planner (campaign) calls the bandit; a dependency back would be a package cycle")
                .check(PackageRules.mainClasses());
    }
}
