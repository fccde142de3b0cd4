package io.github.cartrecovery.links;

import io.github.cartrecovery.keys.SigningKeys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import io.github.cartrecovery.testing.TestClock;

class ShortRestoreLinksTest {

    private static final String OLD = "k2025:old-secret-0123456789-0123456789-abcdef";
    private static final String NEW = "k2026:new-secret-0123456789-0123456789-abcdef";
    private static final Instant NOW = Instant.parse("2026-01-05T10:00:00Z");

    private final TestClock clock = new TestClock(NOW);
    private final StoreUrls store = new StoreUrls("https://shop.example.com", "", "");
    private final ShortRestoreLinks links = new ShortRestoreLinks(store, SigningKeys.parse(NEW), clock, 30);

    private String tokenOf(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    @Test
    void aShortLinkNamesItsMessageIn24Characters() {
        String url = links.url(42);

        assertThat(url).startsWith("https://shop.example.com/cart-recovery/s/");
        assertThat(tokenOf(url)).hasSize(24).matches("[A-Za-z0-9_-]+");
        assertThat(links.verify(tokenOf(url), NOW)).isEqualTo(42L);
        assertThat(links.verify(tokenOf(links.url(281_474_976_710_655L)), NOW)).isEqualTo(281_474_976_710_655L);
    }

    @Test
    void itExpiresAtTheEndOfTheDayValidDaysLater() {
        String token = tokenOf(links.url(42));

        assertThat(links.verify(token, NOW.plus(Duration.ofDays(30)))).isEqualTo(42L);
        assertThat(links.verify(token, Instant.parse("2026-02-04T23:59:59Z"))).isEqualTo(42L);
        assertThat(links.verify(token, Instant.parse("2026-02-05T00:00:00Z"))).isNull();
    }

    @Test
    void everyFlippedBitIsRejected() {
        byte[] bytes = Base64.getUrlDecoder().decode(tokenOf(links.url(42)));
        for (int bit = 0; bit < bytes.length * 8; bit++) {
            byte[] flipped = bytes.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThat(links.verify(Base64.getUrlEncoder().withoutPadding().encodeToString(flipped), NOW)).as("bit %d", bit).isNull();
        }
    }

    @Test
    void garbageIsRejectedWithoutThrowing() {
        for (String token : new String[] {null, "", "x", "A".repeat(24), "!".repeat(24), tokenOf(links.url(42)) + "A"}) {
            assertThat(links.verify(token, NOW)).isNull();
        }
    }

    @Test
    void anEmailRestoreTokenIsNoShortLinkAndViceVersa() {
        SigningKeys keys = SigningKeys.parse(NEW);
        String emailToken = new LinkTokens(keys).issue(LinkPurpose.RESTORE, 42, NOW.plus(Duration.ofDays(30)), null);
        assertThat(links.verify(emailToken, NOW)).isNull();
        assertThat(new LinkTokens(keys).verify(tokenOf(links.url(42)), LinkPurpose.RESTORE, null, NOW)).isNull();
    }

    @Test
    void rotatedKeysStillVerifyOlderLinks() {
        String signedWithOld = tokenOf(new ShortRestoreLinks(store, SigningKeys.parse(OLD), clock, 30).url(42));

        assertThat(new ShortRestoreLinks(store, SigningKeys.parse(NEW + "," + OLD), clock, 30).verify(signedWithOld, NOW)).isEqualTo(42L);
        assertThat(links.verify(signedWithOld, NOW)).isNull();
    }

    @Test
    void messageZeroIsNeverValid() {
        assertThat(links.verify(tokenOf(links.url(0)), NOW)).isNull();
        assertThatThrownBy(() -> links.url(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
