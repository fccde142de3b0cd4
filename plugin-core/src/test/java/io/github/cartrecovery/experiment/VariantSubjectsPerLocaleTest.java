package io.github.cartrecovery.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.cartrecovery.campaign.CampaignStep;

/** A step variant's subject per locale, then its default subject, then the campaign step's (issue 17). */
class VariantSubjectsPerLocaleTest {

    static CampaignStep step() {
        return new CampaignStep(1L, 1, 60, "gentle-reminder",
                Map.of("*", "Still there?", "de", "Noch da?", "de_AT", "Eh noch da?", "fr", "Toujours là ?"));
    }

    static CampaignStep applied(StepVariant variant) {
        return CampaignVariants.apply(step().copyForMessage(), variant);
    }

    @Test
    void aLocalesOwnSubjectWinsOverTheVariantsDefaultSubject() {
        CampaignStep sent = applied(StepVariant.of(1).withSubject("Default B").withSubject("de", "Variante B"));

        assertThat(sent.subjectFor("de_DE")).isEqualTo("Variante B");
        assertThat(sent.subjectFor("de")).isEqualTo("Variante B");
    }

    @Test
    void aLocaleWithoutItsOwnSubjectGetsTheVariantsDefaultSubjectNotTheCampaignStepsOne() {
        CampaignStep sent = applied(StepVariant.of(1).withSubject("Default B").withSubject("de", "Variante B"));

        assertThat(sent.subjectFor("fr_FR")).isEqualTo("Default B");
        assertThat(sent.subjectFor("en_US")).isEqualTo("Default B");
        assertThat(sent.subjectFor(null)).isEqualTo("Default B");
    }

    @Test
    void withoutADefaultSubjectTheOtherLocalesKeepTheCampaignStepsSubjects() {
        CampaignStep sent = applied(StepVariant.of(1).withSubject("es", "¿Sigues ahí?"));

        assertThat(sent.subjectFor("es_MX")).isEqualTo("¿Sigues ahí?");
        assertThat(sent.subjectFor("fr_FR")).isEqualTo("Toujours là ?");
        assertThat(sent.subjectFor("de_AT")).isEqualTo("Eh noch da?");
        assertThat(sent.subjectFor("en_GB")).isEqualTo("Still there?");
    }

    @Test
    void aVariantsLanguageSubjectWinsOverTheCampaignStepsRegionalOne() {
        CampaignStep sent = applied(StepVariant.of(1).withSubject("de", "Variante B"));

        assertThat(sent.subjectFor("de_AT")).isEqualTo("Variante B");
    }

    @Test
    void aVariantsRegionalSubjectWinsOverItsLanguageSubject() {
        CampaignStep sent = applied(StepVariant.of(1).withSubject("de", "Variante B").withSubject("de_AT", "Variante B (AT)"));

        assertThat(sent.subjectFor("de_AT")).isEqualTo("Variante B (AT)");
        assertThat(sent.subjectFor("de_CH")).isEqualTo("Variante B");
    }

    @Test
    void theCampaignStepItselfIsNotChanged() {
        CampaignStep original = step();
        CampaignVariants.apply(original.copyForMessage(), StepVariant.of(1).withSubject("de", "Variante B"));

        assertThat(original.subjectFor("de")).isEqualTo("Noch da?");
    }

    @Test
    void otherChangesKeepTheLocaleSubjects() {
        StepVariant variant = StepVariant.of(1).withSubject("fr", "Variante B").withDelayMinutes(5).withChannel("EMAIL")
                .withTemplate("last-call").withSubject("Default B").withCoupon("NONE", null, null);

        assertThat(variant.getLocaleSubjects()).containsExactly(Map.entry("fr", "Variante B"));
        assertThat(variant.withSubject("fr", null).getLocaleSubjects()).isEmpty();
    }
}
