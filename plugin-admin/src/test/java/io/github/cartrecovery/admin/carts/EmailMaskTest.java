package io.github.cartrecovery.admin.carts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EmailMaskTest {

    @Test
    void keepsTheFirstCharacterAndTheDomain() {
        assertThat(EmailMask.mask("jane.doe@example.com")).isEqualTo("j***@example.com");
        assertThat(EmailMask.mask(" Bob@Example.org ")).isEqualTo("B***@Example.org");
    }

    @Test
    void hidesTheLengthOfTheLocalPart() {
        assertThat(EmailMask.mask("a@example.com")).isEqualTo(EmailMask.mask("abcdefgh@example.com"))
                .isEqualTo("a***@example.com");
    }

    @Test
    void masksWhatIsNotAnAddressEntirely() {
        assertThat(EmailMask.mask("not an address")).isEqualTo("***");
        assertThat(EmailMask.mask("@example.com")).isEqualTo("***");
        assertThat(EmailMask.mask("jane@")).isEqualTo("***");
    }

    @Test
    void noAddressStaysEmpty() {
        assertThat(EmailMask.mask(null)).isNull();
        assertThat(EmailMask.mask("  ")).isNull();
    }
}
