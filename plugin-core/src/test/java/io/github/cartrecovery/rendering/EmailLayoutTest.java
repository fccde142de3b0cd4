package io.github.cartrecovery.rendering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EmailLayoutTest {

    private static EmailLayout withColour(String colour) {
        return new EmailLayout("Shop", "", colour, "1 Main St, Austin, TX 78701, USA", "", "", 3);
    }

    @Test
    void acceptsABrandColourWrittenRrggbbAndKeepsItLowerCase() {
        assertThat(withColour("#C0FFEE").getBrandColour()).isEqualTo("#c0ffee");
    }

    @Test
    void refusesABrandColourNotWrittenRrggbbNamingTheSettingAndTheRule() {
        for (String bad : new String[] {"red", "#fff", "c0ffee", "#c0ffeeff", "#c0ffe;", "", "#12345g"}) {
            assertThatThrownBy(() -> withColour(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("cartrecovery.email.brand-colour: must be a colour written #rrggbb")
                    .hasMessageEndingWith("(was '" + bad + "')");
        }
    }

    @Test
    void requiresAPostalAddress() {
        assertThatThrownBy(() -> new EmailLayout("Shop", "", "#000000", "  ", "", "", 3))
                .hasMessage("cartrecovery.email.postal-address: required, may not be empty");
    }

    @Test
    void refusesALogoThatIsNotAnAbsoluteHttpUrl() {
        assertThatThrownBy(() -> new EmailLayout("Shop", "/img/logo.png", "#000000", "1 Main St", "", "", 3))
                .hasMessageStartingWith("cartrecovery.email.logo-url: must be an absolute http(s) URL");
        assertThatThrownBy(() -> new EmailLayout("Shop", "https://x.test/a\" onerror=\"x", "#000000", "1 Main St", "", "", 3))
                .hasMessageStartingWith("cartrecovery.email.logo-url:");
    }

    @Test
    void limitsRecommendations() {
        assertThatThrownBy(() -> new EmailLayout("Shop", "", "#000000", "1 Main St", "", "", 13))
                .hasMessage("cartrecovery.email.recommendations: must be from 0 to 12 (was 13)");
    }

    @Test
    void anEmptyStoreNameIsTheSendersName() {
        assertThat(EmailLayout.of("", "Our Shop", "", "#000000", "1 Main St", "", "", 3).getStoreName()).isEqualTo("Our Shop");
        assertThat(EmailLayout.of("Tea &amp; Co", "Our Shop", "", "#000000", "1 Main St", "", "", 3).getStoreName())
                .isEqualTo("Tea &amp; Co");
    }
}
