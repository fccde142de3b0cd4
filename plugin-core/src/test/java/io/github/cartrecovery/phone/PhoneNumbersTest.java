package io.github.cartrecovery.phone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.cartrecovery.phone.InvalidPhoneNumberException.Rule;

class PhoneNumbersTest {

    private final PhoneNumbers us = new PhoneNumbers("US");
    private final PhoneNumbers noDefault = new PhoneNumbers("");

    @ParameterizedTest(name = "{0} in {1} -> {2}")
    @CsvSource({
            "'(201) 555-0123',      US, +12015550123",
            "'07400 123456',        GB, +447400123456",
            "'01512 3456789',       DE, +4915123456789",
            "'06 12 34 56 78',      FR, +33612345678",
            "'0412 345 678',        AU, +61412345678",
            "'090-1234-5678',       JP, +819012345678",
            "'(11) 96123-4567',     BR, +5511961234567",
    })
    void readsMobileNumbersOfSeveralRegionsWithoutCountryCodeInTheCartsRegion(String typed, String region, String e164) {
        assertThat(noDefault.normalise(typed, region)).isEqualTo(e164);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"+1 201 555 0123", "+1 (201) 555-0123", "+1-201-555-0123", "+1.201.555.0123", "201/555 0123",
            "  201 555 0123\t", "2015550123", "1 201 555 0123", "201\u2013555\u20130123", "\uFF12\uFF10\uFF11\uFF15\uFF15\uFF15\uFF10\uFF11\uFF12\uFF13"})
    void acceptsSpacesDashesDotsSlashesParenthesesAndUnicodeDigits(String typed) {
        assertThat(us.normalise(typed)).isEqualTo("+12015550123");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"\u202A+1 201-555-0123\u202C", "\u200E+1 201 555 0123\u200F", "\u2066+1 (201) 555-0123\u2069",
            "+1\u200B201\u200B555\u200B0123", "\uFEFF+12015550123"})
    void ignoresTheInvisibleMarksPhonesAndChatAppsPutAroundACopiedNumber(String pasted) {
        assertThat(us.normalise(pasted)).isEqualTo("+12015550123");
    }

    @Test
    void readsAFullWidthPlusLikeThePlusItLooksLike() {
        assertThat(us.normalise("\uFF0B\uFF14\uFF14\u3000\uFF17\uFF14\uFF10\uFF10\u3000\uFF11\uFF12\uFF13\uFF14\uFF15\uFF16"))
                .as("a number typed with a Japanese input method").isEqualTo("+447400123456");
        assertThat(us.normalise("\uFF0B44 7400 123456", "DE")).isEqualTo("+447400123456");
        assertRefused(us, "201 555 \uFF0B0123", null, Rule.CHARACTERS);
        assertRefused(us, "\uFF0B+44 7400 123456", null, Rule.CHARACTERS);
    }

    @Test
    void readsPlusAndDoubleZeroAsInternationalWhateverTheRegion() {
        assertThat(us.normalise("+44 7400 123456", "DE")).isEqualTo("+447400123456");
        assertThat(us.normalise("0044 7400 123456")).as("00 where the region's own prefix is 011").isEqualTo("+447400123456");
        assertThat(noDefault.normalise("0044 7400 123456")).as("00 with no region at all").isEqualTo("+447400123456");
        assertThat(us.normalise("011 44 7400 123456")).as("the region's own international prefix").isEqualTo("+447400123456");
        assertThat(noDefault.normalise("0011 44 7400 123456", "AU")).isEqualTo("+447400123456");
    }

    @Test
    void triesTheCartsRegionBeforeTheDefaultRegion() {
        assertThat(us.normalise("07400 123456", "GB")).isEqualTo("+447400123456");
        assertThat(us.normalise("(201) 555-0123", "GB")).as("not a GB number: the default region reads it").isEqualTo("+12015550123");
    }

    @Test
    void refusesANumberWithoutCountryCodeWhenNoRegionIsKnown() {
        assertRefused(noDefault, "(201) 555-0123", null, Rule.COUNTRY_CODE);
        assertRefused(noDefault, "(201) 555-0123", "XX", Rule.COUNTRY_CODE);
    }

    @Test
    void refusesNothingTyped() {
        assertRefused(us, null, null, Rule.REQUIRED);
        assertRefused(us, "   ", null, Rule.REQUIRED);
    }

    @Test
    void refusesTooShortAndTooLongNumbers() {
        assertRefused(us, "12", null, Rule.TOO_SHORT);
        assertRefused(us, "555-0123", null, Rule.TOO_SHORT);
        assertRefused(us, "+49 1512 3456789 12345", null, Rule.TOO_LONG);
        assertRefused(us, "0151 12345678", "US", Rule.TOO_LONG);
    }

    @Test
    void refusesLettersVanityNumbersAndExtensions() {
        assertRefused(us, "1-800-FLOWERS", null, Rule.CHARACTERS);
        assertRefused(us, "+1 201 555 0123 ext 5", null, Rule.CHARACTERS);
        assertRefused(us, "201 555 0123 #5", null, Rule.CHARACTERS);
        assertRefused(us, "201\u0000555 0123", null, Rule.CHARACTERS);
        assertRefused(us, "201 555 +0123", null, Rule.CHARACTERS);
        assertRefused(us, "\u202E+1 201 555 0123 txe", null, Rule.CHARACTERS);
    }

    @Test
    void refusesAnUnknownCountryCodeAndANumberNotInUse() {
        assertRefused(us, "+999 123456789", null, Rule.COUNTRY_CODE);
        assertRefused(us, "+44 1234", null, Rule.TOO_SHORT);
        assertRefused(us, "+1 101 555 0123", null, Rule.INVALID);
    }

    @Test
    void refusesLandlinesTollFreeAndPremiumNumbersWhereThePlanTellsThemApart() {
        assertRefused(us, "0121 234 5678", "GB", Rule.NOT_MOBILE);
        assertRefused(us, "030 123456", "DE", Rule.NOT_MOBILE);
        assertRefused(us, "+44 800 123 4567", null, Rule.NOT_MOBILE);
        assertRefused(us, "+44 9065 123456", null, Rule.NOT_MOBILE);
        assertRefused(us, "+1 (800) 555-0123", null, Rule.NOT_MOBILE);
    }

    @Test
    void refusesInputLongerThanTheMaximumBeforeParsingIt() {
        String longest = "+1 (201) 555-0123" + " ".repeat(PhoneNumbers.MAX_LENGTH - 18) + "4";
        assertThat(longest.trim()).hasSize(PhoneNumbers.MAX_LENGTH);
        assertRefused(us, longest, null, Rule.TOO_LONG);
        String inner = "+1" + " ".repeat(PhoneNumbers.MAX_LENGTH - 12) + "2015550123";
        assertThat(inner).hasSize(PhoneNumbers.MAX_LENGTH);
        assertThat(us.normalise(inner)).as("the maximum itself is read").isEqualTo("+12015550123");

        assertRefused(us, inner + "4", null, Rule.MAX_LENGTH);
        assertRefused(us, "1".repeat(100_000), null, Rule.MAX_LENGTH);
        assertRefused(us, "2\u200B".repeat(50_000), null, Rule.MAX_LENGTH);
        assertRefused(us, "\u200E\u200F\u202A\u202C", null, Rule.REQUIRED);
    }

    @Test
    void theRefusalNamesTheRuleButNeverTheNumber() {
        assertThatThrownBy(() -> us.normalise("+44 1212 345 678"))
                .isInstanceOf(InvalidPhoneNumberException.class)
                .hasMessage("phone must be a mobile number that can receive text messages")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("1212"));
    }

    @Test
    void refusesAnUnknownDefaultRegionNamingTheProperty() {
        assertThatThrownBy(() -> new PhoneNumbers("USA")).hasMessageStartingWith("cartrecovery.sms.default-region: ");
        assertThat(new PhoneNumbers(" gb ").getDefaultRegion()).isEqualTo("GB");
        assertThat(new PhoneNumbers(null).getDefaultRegion()).isNull();
    }

    @Test
    void findsTheRegionOfALocaleCodeAndOfAStoredNumber() {
        assertThat(PhoneNumbers.regionOfLocale("en_US")).isEqualTo("US");
        assertThat(PhoneNumbers.regionOfLocale("de-DE")).isEqualTo("DE");
        assertThat(PhoneNumbers.regionOfLocale("en")).isNull();
        assertThat(PhoneNumbers.regionOfLocale(null)).isNull();
        assertThat(PhoneNumbers.regionOf("+447400123456")).isEqualTo("GB");
        assertThat(PhoneNumbers.regionOf("07400 123456")).isNull();
    }

    @Test
    void recognisesTheStoredForm() {
        assertThat(PhoneNumbers.isE164("+4915123456789")).isTrue();
        assertThat(PhoneNumbers.isE164("+49 151 23456789")).isFalse();
        assertThat(PhoneNumbers.isE164("004915123456789")).isFalse();
        assertThat(PhoneNumbers.isE164("+1234567890123456")).as("16 digits").isFalse();
    }

    private static void assertRefused(PhoneNumbers numbers, String typed, String region, Rule rule) {
        assertThatThrownBy(() -> numbers.normalise(typed, region))
                .isInstanceOfSatisfying(InvalidPhoneNumberException.class, e -> assertThat(e.getRule()).isEqualTo(rule));
    }
}
