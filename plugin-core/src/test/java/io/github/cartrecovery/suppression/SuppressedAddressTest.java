package io.github.cartrecovery.suppression;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;

import org.junit.jupiter.api.Test;

class SuppressedAddressTest {

    @Test
    void everyCasingOfAnAddressHasOneKey() {
        assertThat(SuppressedAddress.of("Jane.Doe@Example.com"))
                .isEqualTo(SuppressedAddress.of("jane.doe@example.com"))
                .isEqualTo(SuppressedAddress.of("JANE.DOE@EXAMPLE.COM"))
                .isEqualTo("jane.doe@example.com");
    }

    @Test
    void surroundingBlanksAreNotPartOfTheKey() {
        assertThat(SuppressedAddress.of("  Jane.Doe@Example.com\t")).isEqualTo("jane.doe@example.com");
    }

    @Test
    void nonAsciiCapitalsAreLowerCasedToo() {
        assertThat(SuppressedAddress.of("JÖRG@BEISPIEL.DE")).isEqualTo("jörg@beispiel.de");
    }

    @Test
    void theServersLocaleDoesNotChangeTheKey() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(new Locale("tr", "TR")); // where "I".toLowerCase() is a dotless i
            assertThat(SuppressedAddress.of("INFO@EXAMPLE.COM")).isEqualTo("info@example.com");
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void noAddressHasNoKey() {
        assertThat(SuppressedAddress.of(null)).isNull();
    }
}
