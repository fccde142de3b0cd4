package io.github.cartrecovery.site.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import io.github.cartrecovery.keys.SigningKeys;
import io.github.cartrecovery.links.LinkPurpose;
import io.github.cartrecovery.links.LinkTokens;
import io.github.cartrecovery.links.StoreUrls;
import io.github.cartrecovery.site.restore.LandingPages;
import io.github.cartrecovery.site.web.TrackingController;
import io.github.cartrecovery.tracking.ScannerRules;
import io.github.cartrecovery.tracking.TrackedMessages;

/**
 * cartrecovery.tracking.open-pixel=false: the open endpoint still answers with the image and records nothing.
 * (Outside io.github.cartrecovery.site.web, which the site servlet file scans with Java 8 ASM.)
 */
class OpenPixelSwitchedOffTest {

    static final Instant NOW = Instant.parse("2026-01-05T10:00:00Z");

    @Test
    void aValidOpenLinkRecordsNothingWhileThePixelIsOff() throws Exception {
        LinkTokens tokens = new LinkTokens(SigningKeys.parse("k1:0123456789-0123456789-0123456789"));
        DataSource database = Mockito.mock(DataSource.class); // any statement would need a connection
        TrackedMessages messages = new TrackedMessages(database, Clock.fixed(NOW, ZoneOffset.UTC),
                new ScannerRules("", "", 10), false, 5, 60);
        TrackingController controller = new TrackingController(tokens, messages,
                new StoreUrls("https://shop.example.com", "", ""), Clock.fixed(NOW, ZoneOffset.UTC), new LandingPages());
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/cart-recovery/open/t");
        request.addHeader("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/125.0");
        MockHttpServletResponse response = new MockHttpServletResponse();

        controller.open(tokens.issue(LinkPurpose.OPEN, 7, NOW.plus(Duration.ofDays(30)), null), request, response);

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentType()).isEqualTo("image/gif");
        Mockito.verifyNoInteractions(database);
    }
}
