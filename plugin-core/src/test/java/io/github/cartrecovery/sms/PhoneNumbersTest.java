package io.github.cartrecovery.sms;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PhoneNumbersTest {

    @Test
    void e164IsAPlusAndUpTo15DigitsWithoutLeadingZero() {
        assertThat(PhoneNumbers.isE164("+4915112345678")).isTrue();
        assertThat(PhoneNumbers.isE164("+123456789012345")).isTrue();
        assertThat(PhoneNumbers.isE164("+1234567890123456")).isFalse();
        assertThat(PhoneNumbers.isE164("+0151123")).isFalse();
        assertThat(PhoneNumbers.isE164("015112345678")).isFalse();
        assertThat(PhoneNumbers.isE164(null)).isFalse();
    }

    @Test
    void aMaskedNumberKeepsTheCountryCodeAndTheLastTwoDigits() {
        assertThat(PhoneNumbers.mask("+4915112345678")).isEqualTo("+49*********78");
        assertThat(PhoneNumbers.mask("not a number")).isEqualTo("***");
        assertThat(PhoneNumbers.mask(null)).isNull();
    }

    @Test
    void numbersInsideTextAreMasked() {
        assertThat(PhoneNumbers.maskIn("The 'To' number +4915112345678 is not a valid phone number."))
                .isEqualTo("The 'To' number +49*********78 is not a valid phone number.");
        assertThat(PhoneNumbers.maskIn("error 21211 at step 3")).isEqualTo("error 21211 at step 3");
    }
}
