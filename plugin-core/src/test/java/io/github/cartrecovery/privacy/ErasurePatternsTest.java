package io.github.cartrecovery.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.cartrecovery.keys.SigningKeys;

/** The pieces of erasure that need no database: what counts as the address in a text, the keyed hash, input rules. */
class ErasurePatternsTest {

    @Test
    void findsTheAddressInAnyCasingInsideText() {
        assertThat(PersonalDataErasure.occurrence("jane@example.com").matcher("550 <Jane@EXAMPLE.com>: unknown").replaceAll("[erased]"))
                .isEqualTo("550 <[erased]>: unknown");
    }

    @Test
    void leavesLongerAddressesThatContainItAlone() {
        assertThat(PersonalDataErasure.occurrence("ane@example.com").matcher("jane@example.com, ane@example.com.au, x.ane@example.com")
                .find()).isFalse();
        assertThat(PersonalDataErasure.occurrence("ane@example.com").matcher("to ane@example.com.").replaceAll("[erased]"))
                .isEqualTo("to [erased].");
    }

    @Test
    void findsTheAddressAsAQueryParameter() {
        assertThat(PersonalDataErasure.occurrence("jane%40example.com").matcher("/cart?email=jane%40example.com&x=1").replaceAll("[erased]"))
                .isEqualTo("/cart?email=[erased]&x=1");
    }

    @Test
    void alsoSearchesTheUrlEncodedForm() {
        assertThat(PersonalDataErasure.forms("jane+1@example.com")).containsExactly("jane+1@example.com", "jane%2b1%40example.com");
    }

    @Test
    void likePatternsEscapeWildcardsInAddresses() {
        assertThat(PersonalDataErasure.likeLiteral("a_b%c!@x.com")).isEqualTo("a!_b!%c!!@x.com");
    }

    @Test
    void theKeyedHashIgnoresCasingOnlyThroughNormalisationAndDependsOnTheKey() {
        EmailHashes derived = EmailHashes.of("", SigningKeys.parse("k1:0123456789abcdef0123456789abcdef"));
        EmailHashes other = EmailHashes.of("", SigningKeys.parse("k2:fedcba9876543210fedcba9876543210"));
        String email = ShopperEmail.normalise(" Jane.Doe@Example.COM ");

        assertThat(derived.current(email)).isEqualTo(derived.current("jane.doe@example.com")).hasSize(64).doesNotContain("jane");
        assertThat(other.current(email)).isNotEqualTo(derived.current(email));
        assertThat(derived.currentKeyId()).isEqualTo("links-k1");
    }

    @Test
    void aConfiguredHashKeyComesFirstAndDerivedKeysStillMatch() {
        SigningKeys signing = SigningKeys.parse("k1:0123456789abcdef0123456789abcdef");
        EmailHashes derivedOnly = EmailHashes.of("", signing);
        EmailHashes configured = EmailHashes.of("a-privacy-key-of-at-least-32-characters!", signing);

        assertThat(configured.currentKeyId()).isEqualTo("privacy");
        assertThat(configured.all("jane@example.com")).contains(derivedOnly.current("jane@example.com"));
    }

    @Test
    void refusesAShortHashKeyNamingTheProperty() {
        assertThatThrownBy(() -> EmailHashes.of("short", SigningKeys.parse("k1:0123456789abcdef0123456789abcdef")))
                .hasMessageStartingWith("cartrecovery.privacy.hash-key: must be at least 32 characters");
    }

    @Test
    void theSummaryAddsUpRowsPerTable() {
        Map<String, Integer> rows = new LinkedHashMap<>();
        rows.put("CR_CAPTURED_CART", 2);
        rows.put("CR_COUPON", 1);

        ErasureSummary summary = new ErasureSummary("jane@example.com", rows, 1, 0, true);

        assertThat(summary.getTotalRows()).isEqualTo(3);
        assertThat(summary.toString()).isEqualTo("erased 3 rows {CR_CAPTURED_CART=2, CR_COUPON=1}, stopped 1 messages, still suppressed");
        assertThat(new ErasureSummary("x@y", Collections.emptyMap(), 0, 0, false).getTotalRows()).isZero();
    }
}
