package io.github.cartrecovery.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.cartrecovery.capture.InvalidEmailAddressException.Rule;

class EmailAddressValidatorTest {

    private final EmailAddressValidator validator = new EmailAddressValidator();

    @Test
    void acceptsAPlainAddress() {
        assertThat(validator.normalise("shopper@example.com")).isEqualTo("shopper@example.com");
    }

    @Test
    void trimsSurroundingSpaces() {
        assertThat(validator.normalise("  shopper@example.com ")).isEqualTo("shopper@example.com");
    }

    @Test
    void lowerCasesTheDomainButNotTheLocalPart() {
        assertThat(validator.normalise("Jane.Doe@Example.COM")).isEqualTo("Jane.Doe@example.com");
    }

    @Test
    void acceptsPlusTagsAndSubdomains() {
        assertThat(validator.normalise("jane+carts@mail.shop.example.co.uk")).isEqualTo("jane+carts@mail.shop.example.co.uk");
    }

    @Test
    void acceptsInternationalAddresses() {
        assertThat(validator.normalise("jürgen@bücher.example")).isEqualTo("jürgen@bücher.example");
        assertThat(validator.normalise("o'brien@shop.xn--p1ai")).isEqualTo("o'brien@shop.xn--p1ai");
    }

    @Test
    void refusesHalfASurrogatePair() {
        assertRule("ab\uD800@example.com", Rule.SYNTAX);
        assertRule("ab\uDC00@example.com", Rule.SYNTAX);
        assertRule("ab@example.com\uD83D", Rule.SYNTAX);
    }

    @Test
    void requiresAnAddress() {
        assertRule(null, Rule.REQUIRED);
        assertRule("", Rule.REQUIRED);
        assertRule("   ", Rule.REQUIRED);
    }

    @Test
    void acceptsExactly254Characters() {
        String address = "a@" + label(63) + "." + label(63) + "." + label(63) + "." + label(56) + ".com";
        assertThat(address).hasSize(254);
        assertThat(validator.normalise(address)).isEqualTo(address);
    }

    @Test
    void refusesMoreThan254Characters() {
        assertRule("a@" + label(63) + "." + label(63) + "." + label(63) + "." + label(57) + ".com", Rule.MAX_LENGTH);
        assertRule(repeat('x', 10 * 1024) + "@example.com", Rule.MAX_LENGTH);
    }

    @ParameterizedTest
    @ValueSource(strings = {"shopper@example.com\r\nBcc: victim@example.com", "shopper@example.com\n",
            "shopper@example.com\r", "shop\u0000per@example.com", "shopper@exa\tmple.com", "shopper@example.com\u2028"})
    void refusesControlCharactersEvenAtTheEnds(String address) {
        assertRule(address, Rule.NO_CONTROL_CHARACTERS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"shopper@example.com, victim@example.com", "Shopper <shopper@example.com>",
            "\"quoted,local\"@example.com", "shop per@example.com", "shopper@example.com;x", "user@[127.0.0.1]"})
    void refusesCharactersWithAMeaningInMailHeaders(String address) {
        assertRule(address, Rule.NO_HEADER_SPECIALS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"shopper", "shopper@", "@example.com", "shopper@@example.com", "shopper@example",
            "shopper@localhost", "shopper@example..com", ".shopper@example.com", "shopper@-example.com",
            "shop..per@example.com", "shopper.@example.com", "shopper@example.123", "shopper@example.c",
            "shopper@exam_ple.com", "shopper@example-.com", "shopper@example.com.",
            "a12345678901234567890123456789012345678901234567890123456789012345@example.com"})
    void refusesWhatIsNotAnAddress(String address) {
        assertRule(address, Rule.SYNTAX);
    }

    @Test
    void namesTheFieldAndRuleInItsMessage() {
        assertThatThrownBy(() -> validator.normalise("nope"))
                .isInstanceOf(InvalidEmailAddressException.class)
                .hasMessage("email must be an address like name@example.com");
    }

    private void assertRule(String address, Rule rule) {
        assertThatThrownBy(() -> validator.normalise(address))
                .isInstanceOfSatisfying(InvalidEmailAddressException.class, e -> assertThat(e.getRule()).isEqualTo(rule));
    }

    private static String label(int length) {
        return repeat('a', length);
    }

    private static String repeat(char c, int times) {
        StringBuilder out = new StringBuilder(times);
        for (int i = 0; i < times; i++) {
            out.append(c);
        }
        return out.toString();
    }
}
