package io.github.cartrecovery.experiment.stats;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;

import io.github.cartrecovery.reporting.SpreadsheetText;
import io.github.cartrecovery.testing.ClassFileLevel;

/** The statistics work on counts alone: no database, no Spring, no Broadleaf, no clock. */
class StatisticsArePureTest {

    static final ArchRule PURE = classes().that().resideInAPackage("io.github.cartrecovery.experiment.stats")
            .should().onlyDependOnClassesThat(resideInAnyPackage("java.lang..", "java.math..", "java.util..", "java.io..",
                    "org.apache.commons.math3..", "org.apache.commons.csv..", "io.github.cartrecovery.experiment",
                    "io.github.cartrecovery.experiment.stats").or(belongToAnyOf(SpreadsheetText.class)))
            .because("the statistics are computed from the arms' counts alone and tested without any context");

    @Test
    void dependOnlyOnTheJdkCommonsMathCommonsCsvAndTheArmCounts() {
        JavaClasses stats = new ClassFileImporter()
                .importPath(ClassFileLevel.mainClasses().resolve("io/github/cartrecovery/experiment/stats"));

        assertThat(stats).isNotEmpty();
        PURE.check(stats);
    }

    @Test
    void aDependencyOnAnythingElseIsCaught() {
        JavaClasses test = new ClassFileImporter().importClasses(StatisticsArePureTest.class);

        assertThat(PURE.evaluate(test).hasViolation()).isTrue();
    }
}
