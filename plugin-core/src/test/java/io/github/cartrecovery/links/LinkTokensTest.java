package io.github.cartrecovery.links;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import io.github.cartrecovery.keys.SigningKeys;

class LinkTokensTest {

    private static final String OLD = "k2025:old-secret-0123456789-0123456789-abcdef";
    private static final String NEW = "k2026:new-secret-0123456789-0123456789-abcdef";
    private static final Instant NOW = Instant.parse("2026-01-05T10:00:00Z");
    private static final Instant IN_30_DAYS = NOW.plus(Duration.ofDays(30));

    private final LinkTokens tokens = new LinkTokens(SigningKeys.parse(NEW));

    @Test
    void aTokenVerifiesForItsMessageAndPurpose() {
        String token = tokens.issue(LinkPurpose.RESTORE, 42, IN_30_DAYS, null);
        assertThat(tokens.verify(token, LinkPurpose.RESTORE, null, NOW)).isEqualTo(42L);
        assertThat(token).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void everyFlippedBitIsRejected() {
        byte[] bytes = Base64.getUrlDecoder().decode(tokens.issue(LinkPurpose.RESTORE, 42, IN_30_DAYS, null));
        for (int bit = 0; bit < bytes.length * 8; bit++) {
            byte[] flipped = bytes.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            String tampered = Base64.getUrlEncoder().withoutPadding().encodeToString(flipped);
            assertThat(tokens.verify(tampered, LinkPurpose.RESTORE, null, NOW)).as("bit %d", bit).isNull();
        }
    }

    @Test
    void aChangedCharacterIsRejected() {
        String token = tokens.issue(LinkPurpose.RESTORE, 42, IN_30_DAYS, null);
        for (int i = 0; i < token.length(); i++) {
            char other = token.charAt(i) == 'A' ? 'B' : 'A';
            String changed = token.substring(0, i) + other + token.substring(i + 1);
            assertThat(tokens.verify(changed, LinkPurpose.RESTORE, null, NOW)).as("position %d", i).isNull();
        }
    }

    @Test
    void truncatedOrExtendedTokensAreRejected() {
        String token = tokens.issue(LinkPurpose.RESTORE, 42, IN_30_DAYS, null);
        for (int length = 0; length < token.length(); length++) {
            assertThat(tokens.verify(token.substring(0, length), LinkPurpose.RESTORE, null, NOW)).as("length %d", length).isNull();
        }
        assertThat(tokens.verify(token + "A", LinkPurpose.RESTORE, null, NOW)).isNull();
        assertThat(tokens.verify(token + "=", LinkPurpose.RESTORE, null, NOW)).isNull();
    }

    @Test
    void anotherMessagesTokenNamesThatMessageOnly() {
        String other = tokens.issue(LinkPurpose.RESTORE, 43, IN_30_DAYS, null);
        assertThat(tokens.verify(other, LinkPurpose.RESTORE, null, NOW)).isEqualTo(43L).isNotEqualTo(42L);
    }

    @Test
    void aTokenForAnotherPurposeIsRejected() {
        String open = tokens.issue(LinkPurpose.OPEN, 42, IN_30_DAYS, null);
        assertThat(tokens.verify(open, LinkPurpose.UNSUBSCRIBE, null, NOW)).isNull();
        assertThat(tokens.verify(open, LinkPurpose.RESTORE, null, NOW)).isNull();
        assertThat(tokens.verify(open, LinkPurpose.OPEN, null, NOW)).isEqualTo(42L);
    }

    @Test
    void aClickTokenIsBoundToItsTarget() {
        String click = tokens.issue(LinkPurpose.CLICK, 42, IN_30_DAYS, "https://shop.example.com/mugs");
        assertThat(tokens.verify(click, LinkPurpose.CLICK, "https://shop.example.com/mugs", NOW)).isEqualTo(42L);
        assertThat(tokens.verify(click, LinkPurpose.CLICK, "https://evil.example.net/", NOW)).isNull();
        assertThat(tokens.verify(click, LinkPurpose.CLICK, null, NOW)).isNull();
    }

    @Test
    void anExpiredTokenIsRejectedFromItsExpiryOn() {
        String token = tokens.issue(LinkPurpose.RESTORE, 42, IN_30_DAYS, null);
        assertThat(tokens.verify(token, LinkPurpose.RESTORE, null, IN_30_DAYS.minusSeconds(1))).isEqualTo(42L);
        assertThat(tokens.verify(token, LinkPurpose.RESTORE, null, IN_30_DAYS)).isNull();
        assertThat(tokens.verify(token, LinkPurpose.RESTORE, null, IN_30_DAYS.plus(Duration.ofDays(365)))).isNull();
    }

    @Test
    void afterRotationNewTokensUseTheNewKeyAndOldTokensVerifyUntilTheOldKeyIsRemoved() {
        LinkTokens before = new LinkTokens(SigningKeys.parse(OLD));
        String oldToken = before.issue(LinkPurpose.RESTORE, 42, IN_30_DAYS, null);

        LinkTokens rotated = new LinkTokens(SigningKeys.parse(NEW + "," + OLD));
        String newToken = rotated.issue(LinkPurpose.RESTORE, 43, IN_30_DAYS, null);
        assertThat(rotated.verify(oldToken, LinkPurpose.RESTORE, null, NOW)).isEqualTo(42L);
        assertThat(rotated.verify(newToken, LinkPurpose.RESTORE, null, NOW)).isEqualTo(43L);
        assertThat(before.verify(newToken, LinkPurpose.RESTORE, null, NOW)).as("signed with the new key").isNull();

        LinkTokens oldKeyRemoved = new LinkTokens(SigningKeys.parse(NEW));
        assertThat(oldKeyRemoved.verify(oldToken, LinkPurpose.RESTORE, null, NOW)).isNull();
        assertThat(oldKeyRemoved.verify(newToken, LinkPurpose.RESTORE, null, NOW)).isEqualTo(43L);
    }

    @Test
    void aTokenSignedWithAnotherSecretUnderTheSameKeyIdIsRejected() {
        LinkTokens forger = new LinkTokens(SigningKeys.parse("k2026:guessed-secret-0123456789-0123456789-abc"));
        String forged = forger.issue(LinkPurpose.RESTORE, 42, IN_30_DAYS, null);
        assertThat(tokens.verify(forged, LinkPurpose.RESTORE, null, NOW)).isNull();
    }

    @Test
    void garbageIsRejectedWithoutAnException() {
        for (String garbage : new String[] {null, "", "%00", "../../etc/passwd", "a.b.c", "====", "!!!!", "AAAA",
                "x".repeat(5000), "\u00e9\u00e9", "AQ", "AXIF"}) {
            assertThat(tokens.verify(garbage, LinkPurpose.RESTORE, null, NOW)).as(String.valueOf(garbage)).isNull();
        }
    }

    @Test
    void aMissingKeyIsAStartupErrorThatSaysHowToSetIt() {
        for (String missing : new String[] {null, "", "   ", "${cartrecovery.links.signing-keys}"}) {
            assertThatThrownBy(() -> SigningKeys.parse(missing))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cartrecovery.links.signing-keys is not set")
                    .hasMessageContaining("no default key")
                    .hasMessageContaining("at least 32 characters");
        }
    }

    @Test
    void unusableKeysAreRefusedWithTheRuleTheyBreak() {
        assertThatThrownBy(() -> SigningKeys.parse("k1:short")).hasMessageContaining("at least 32 characters");
        assertThatThrownBy(() -> SigningKeys.parse("justasecretwithoutanid-0123456789-0123456789"))
                .hasMessageContaining("must be <id>:<secret>");
        assertThatThrownBy(() -> SigningKeys.parse("bad id!:0123456789-0123456789-0123456789"))
                .hasMessageContaining("key id \"bad id!\"");
        assertThatThrownBy(() -> SigningKeys.parse(NEW + "," + NEW)).hasMessageContaining("listed twice");
    }
}
