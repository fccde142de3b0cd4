package io.github.cartrecovery.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;

import io.github.cartrecovery.architecture.fixture.cycle.a.Upstream;
import io.github.cartrecovery.architecture.fixture.cycle.b.Downstream;
import io.github.cartrecovery.architecture.fixture.web.ReadsTheRequest;
import io.github.cartrecovery.coupon.IssuedCoupon;
import io.github.cartrecovery.rendering.CartLine;
import io.github.cartrecovery.rendering.EditedCopy;
import io.github.cartrecovery.rendering.RecoveryCart;
import io.github.cartrecovery.rendering.TrackedLinks;
import io.github.cartrecovery.testing.PackageRules;

/**
 * The engine's package rules: no package cycles, no web or admin code in the engine (one named host edge
 * aside), and a channel SPI that knows only the values a message is made of.
 */
class ArchitectureTest {

    /** Servlet, Spring MVC, Broadleaf web and admin code, and the plugin's own storefront and admin modules. */
    static final String[] WEB_AND_ADMIN = {"javax.servlet..", "org.springframework.web..",
            "org.broadleafcommerce.openadmin..", "org.broadleafcommerce.core.web..",
            "io.github.cartrecovery.site..", "io.github.cartrecovery.admin.."};

    /**
     * The one engine class allowed to read the current request: capture's host edge, called from Broadleaf's
     * OrderPersistedEvent on the shopper's request thread, records the client IP, user agent and storefront/admin
     * origin the exclusion rules need. It reads the thread-bound request only (javax.servlet.http and Spring's
     * RequestContextHolder) and nothing of the site or admin.
     */
    static final String REQUEST_READER = "io.github.cartrecovery.capture.ShopperRequest";

    /**
     * The small neutral packages the capabilities share: each stands alone, so no cycle can form through them and a
     * shared type moved here to break one stays free of the engine.
     */
    static final String[] FOUNDATIONS = {"config", "database", "formatting", "keys", "metrics", "personaldata", "state", "suppression"};

    private static final JavaClasses ENGINE = PackageRules.mainClasses();

    static ArchRule engineIsFreeOfWebAndAdminCode() {
        return noClasses().that().resideInAPackage(PackageRules.ROOT + "..")
                .and().doNotHaveFullyQualifiedName(REQUEST_READER)
                .should().dependOnClassesThat().resideInAnyPackage(WEB_AND_ADMIN)
                .because("the engine runs without a request (scheduled work, other nodes) and is tested without a web "
                        + "context; web and admin code lives in plugin-site and plugin-admin");
    }

    static ArchRule requestReaderReadsOnlyTheRequest() {
        return noClasses().that().haveFullyQualifiedName(REQUEST_READER)
                .should().dependOnClassesThat(resideInAnyPackage(WEB_AND_ADMIN)
                        .and(not(resideInAnyPackage("javax.servlet.http..", "org.springframework.web.context.request.."))))
                .because("capture's host edge only reads the client IP and user agent of the current request");
    }

    static ArchRule channelKnowsOnlyTheMessageValues() {
        return noClasses().that().resideInAPackage(PackageRules.ROOT + ".channel")
                .should().dependOnClassesThat(resideInAPackage(PackageRules.ROOT + "..")
                        .and(not(resideInAPackage(PackageRules.ROOT + ".channel")))
                        .and(not(belongToAnyOf(IssuedCoupon.class, RecoveryCart.class, CartLine.class, TrackedLinks.class,
                                EditedCopy.class))))
                .because("a store implements a channel against the SPI alone: the engine gives it a message made of "
                        + "the cart, its links, its coupon and the email template's words edited in the admin, nothing else");
    }

    static ArchRule foundationsStandAlone(String foundation) {
        String own = PackageRules.ROOT + "." + foundation + "..";
        return noClasses().that().resideInAPackage(own)
                .should().dependOnClassesThat(resideInAPackage(PackageRules.ROOT + "..").and(not(resideInAPackage(own))))
                .because(foundation + " is shared by the capabilities and builds on none of them");
    }

    @Test
    void foundationPackagesDependOnNoOtherPackageOfThePlugin() {
        for (String foundation : FOUNDATIONS) {
            foundationsStandAlone(foundation).check(ENGINE);
        }
    }

    @Test
    void noPackageCycles() {
        PackageRules.noPackageCycles().check(ENGINE);
    }

    @Test
    void engineDependsOnNoWebOrAdminCode() {
        engineIsFreeOfWebAndAdminCode().check(ENGINE);
        requestReaderReadsOnlyTheRequest().check(ENGINE);
    }

    @Test
    void channelDependsOnlyOnTheValuesOfAMessage() {
        channelKnowsOnlyTheMessageValues().check(ENGINE);
    }

    @Test
    void aCycleBetweenTwoPackagesIsCaught() {
        JavaClasses cycle = new ClassFileImporter().importClasses(Upstream.class, Downstream.class);

        assertThat(PackageRules.noPackageCycles().evaluate(cycle).hasViolation()).isTrue();
    }

    @Test
    void engineCodeReadingARequestIsCaught() {
        JavaClasses web = new ClassFileImporter().importClasses(ReadsTheRequest.class);

        assertThat(engineIsFreeOfWebAndAdminCode().evaluate(web).hasViolation()).isTrue();
    }
}
