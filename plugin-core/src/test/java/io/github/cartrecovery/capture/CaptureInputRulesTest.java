package io.github.cartrecovery.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.cartrecovery.phone.PhoneNumbers;

class CaptureInputRulesTest {

    private final CaptureInputRules rules = new CaptureInputRules(new EmailAddressValidator());

    @Test
    void storesTheAddressInItsOneNormalisedForm() {
        CartObservation clean = rules.clean(observation(" Jane.Doe@Example.COM ", "Mug"));

        assertThat(clean.getEmail()).isEqualTo("Jane.Doe@example.com");
        assertThat(clean.getRejectedFields()).isEmpty();
    }

    @Test
    void leavesOutAnAddressLongerThan254CharactersAndSaysWhyMasked() {
        String address = "a".repeat(64) + "@" + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(58) + ".com";
        assertThat(address).hasSize(255);

        CartObservation clean = rules.clean(observation(address, "Mug"));

        assertThat(clean.getEmail()).isNull();
        assertThat(clean.getRejectedFields()).singleElement().satisfies(rejected -> {
            assertThat(rejected.getField()).isEqualTo("email");
            assertThat(rejected.getReason()).isEqualTo("max_length");
            assertThat(rejected.getMaskedValue()).startsWith("a***@bbbb").endsWith("... (255 chars)").doesNotContain("aa");
        });
    }

    @Test
    void leavesOutAnAddressWithANulOrALineBreak() {
        assertThat(rules.clean(observation("jane\u0000@example.com", "Mug")).getRejectedFields())
                .extracting(FieldRejection::getReason).containsExactly("no_control_characters");
        assertThat(rules.clean(observation("jane@example.com\r\nBcc: x@example.com", "Mug")).getEmail()).isNull();
    }

    @Test
    void rejectsA10000CharacterAddress() {
        CartObservation clean = rules.clean(observation("a".repeat(9_990) + "@example.com", "Mug"));

        assertThat(clean.getEmail()).isNull();
        assertThat(clean.getRejectedFields().get(0).getMaskedValue()).hasSizeLessThan(CaptureRejections.MASKED_VALUE);
    }

    @Test
    void stripsCharactersNoColumnCanHoldFromItemNamesAndHeaders() {
        CartObservation raw = new CartObservation(1, null, null, "en\u0000US", "USD", null,
                CartObservation.OrderState.OPEN, 1, BigDecimal.ONE, BigDecimal.ONE,
                items("Mug\u0000 with\ttab \uD83D\uDE00 and half \uD800"), Instant.EPOCH,
                "203.0.113.9", "Agent\u0000/1.0", CartOrigin.STOREFRONT);

        CartObservation clean = rules.clean(raw);

        assertThat(clean.getLocaleCode()).isEqualTo("enUS");
        assertThat(clean.getUserAgent()).isEqualTo("Agent/1.0");
        assertThat(clean.getItems().get(0).getName()).isEqualTo("Mug withtab \uD83D\uDE00 and half ");
    }

    @Test
    void cutsTextToItsColumnWithoutSplittingACharacter() {
        String name = "x".repeat(254) + "\uD83D\uDE00";

        assertThat(rules.clean(observation(null, name)).getItems().get(0).getName()).isEqualTo("x".repeat(254));
        assertThat(rules.clean(observation(null, "y".repeat(10_000))).getItems().get(0).getName()).hasSize(255);
        assertThat(CaptureInputRules.text("\uD83D\uDE00\uD83D\uDE00", 3)).isEqualTo("\uD83D\uDE00");
    }

    @Test
    void storesNoClientAddressUnlessTheIpRangeExclusionNeedsIt() {
        CartObservation raw = new CartObservation(1, null, null, "en_US", "USD", null, CartObservation.OrderState.OPEN, 1,
                BigDecimal.ONE, BigDecimal.ONE, items("Mug"), Instant.EPOCH, "203.0.113.9", "Agent/1.0", CartOrigin.STOREFRONT);

        assertThat(rules.clean(raw).getClientIp()).isNull();
        assertThat(new CaptureInputRules(new EmailAddressValidator(), " ").clean(raw).getClientIp()).isNull();
        assertThat(new CaptureInputRules(new EmailAddressValidator(), "192.0.2.0/24").clean(raw).getClientIp())
                .isEqualTo("203.0.113.9");
    }

    @Test
    void namesAnItemWithoutAName() {
        assertThat(rules.clean(observation(null, null)).getItems().get(0).getName()).isEqualTo(CaptureInputRules.UNNAMED_ITEM);
        assertThat(rules.clean(observation(null, "\u0000")).getItems().get(0).getName()).isEqualTo(CaptureInputRules.UNNAMED_ITEM);
    }

    @Test
    void keepsTheRestOfTheObservation() {
        CartObservation raw = observation("jane@example.com", "Mug").withOrderState(CartObservation.OrderState.SUBMITTED);

        CartObservation clean = rules.clean(raw);

        assertThat(clean).usingRecursiveComparison().ignoringFields("items").isEqualTo(raw);
    }

    @Test
    void storesABroadleafPhoneInE164ReadInTheCartsLocaleCountry() {
        CartObservation clean = rules.clean(observation(null, "Mug").withPhone("(201) 555-0123"));

        assertThat(clean.getPhone()).isEqualTo("+12015550123");
        assertThat(clean.getRejectedFields()).isEmpty();
    }

    @Test
    void readsABroadleafPhoneInTheDefaultRegionWhenTheCartHasNoCountry() {
        CartObservation raw = new CartObservation(1, null, null, "en", "GBP", null, CartObservation.OrderState.OPEN, 1,
                BigDecimal.ONE, BigDecimal.ONE, items("Mug"), Instant.EPOCH).withPhone("07400 123456");

        assertThat(rules.clean(raw).getPhone()).as("no region at all: left out").isNull();
        assertThat(new CaptureInputRules(new EmailAddressValidator(), "", new PhoneNumbers("GB")).clean(raw).getPhone())
                .isEqualTo("+447400123456");
    }

    @Test
    void leavesOutAnInvalidBroadleafPhoneAndSaysWhyMasked() {
        CartObservation clean = rules.clean(observation("jane@example.com", "Mug").withPhone("201-555-CALL"));

        assertThat(clean.getPhone()).isNull();
        assertThat(clean.getEmail()).as("the rest of the cart is kept").isEqualTo("jane@example.com");
        assertThat(clean.getRejectedFields()).singleElement().satisfies(rejected -> {
            assertThat(rejected.getField()).isEqualTo("phone");
            assertThat(rejected.getReason()).isEqualTo("characters");
            assertThat(rejected.getMaskedValue()).isEqualTo("***55");
        });
    }

    @Test
    void leavesOutALandlineWithoutReportingIt() {
        CartObservation raw = new CartObservation(1, null, null, "en_GB", "GBP", null, CartObservation.OrderState.OPEN, 1,
                BigDecimal.ONE, BigDecimal.ONE, items("Mug"), Instant.EPOCH).withPhone("0121 234 5678");

        CartObservation clean = rules.clean(raw);

        assertThat(clean.getPhone()).isNull();
        assertThat(clean.getRejectedFields()).isEmpty();
    }

    @Test
    void choosesTheFirstBroadleafPhoneThatCanReceiveTexts() {
        assertThat(rules.choosePhone(Arrays.asList("0121 234 5678", " ", "07400 123456", "07400 654321"), "en_GB"))
                .isEqualTo("+447400123456");
        assertThat(rules.choosePhone(Arrays.asList(null, "0121 234 5678"), "en_GB")).as("none can: the first, to report")
                .isEqualTo("0121 234 5678");
        assertThat(rules.choosePhone(Collections.<String>emptyList(), "en_GB")).isNull();
    }

    private static CartObservation observation(String email, String itemName) {
        return new CartObservation(1, 5L, email, "en_US", "USD", null, CartObservation.OrderState.OPEN, 1,
                BigDecimal.ONE, BigDecimal.ONE, items(itemName), Instant.EPOCH);
    }

    private static List<CartItemSnapshot> items(String name) {
        return Collections.singletonList(new CartItemSnapshot(10L, 20L, name, null, null, 1, BigDecimal.ONE, null, null));
    }

}
