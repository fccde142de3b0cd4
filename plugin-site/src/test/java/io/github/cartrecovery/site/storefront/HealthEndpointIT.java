package io.github.cartrecovery.site.storefront;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import io.github.cartrecovery.operations.CheckResult;
import io.github.cartrecovery.operations.Health;
import io.github.cartrecovery.operations.HealthCheck;
import io.github.cartrecovery.operations.OperationsAccess;
import io.github.cartrecovery.operations.Problem;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;
import io.github.cartrecovery.testing.TestClock;

/**
 * {@code GET /cart-recovery/health} on the storefront: 200 while every check is UP, 503 once one is DOWN; the checks'
 * details for an allowed address or the bearer token, the bare status for everyone else.
 */
@BroadleafWithPlugin
class HealthEndpointIT {

    private static final String TOKEN = "ops-token-0123456789-abcdef";

    /** A check the test turns red and green. */
    private static final class Switch implements HealthCheck {
        volatile boolean down;

        @Override
        public String name() {
            return "backlog";
        }

        @Override
        public CheckResult check(Instant now) {
            return CheckResult.of(name(), down ? "late" : "nothing due", Collections.singletonMap("dueMessages", down ? 7L : 0L),
                    down ? Collections.singletonList(new Problem("backlog", "7 messages are late", null))
                            : Collections.<Problem>emptyList());
        }
    }

    @Test
    void answers200WhileHealthyAnd503WhenACheckIsDown(PluginContext broadleaf) throws Exception {
        Switch check = new Switch();
        TestClock clock = broadleaf.clock();
        try (Storefront site = storefront(broadleaf, check, clock)) {
            MockHttpServletResponse healthy = site.performAsIs(get("/cart-recovery/health"));
            assertThat(healthy.getStatus()).isEqualTo(200);
            assertThat(healthy.getContentType()).startsWith("application/json");
            assertThat(healthy.getHeader("Cache-Control")).isEqualTo("no-store");

            check.down = true;
            assertThat(site.performAsIs(get("/cart-recovery/health")).getStatus()).as("cached for 5 s").isEqualTo(200);
            clock.advance(Duration.ofSeconds(5));
            MockHttpServletResponse down = site.performAsIs(get("/cart-recovery/health"));
            assertThat(down.getStatus()).isEqualTo(503);
            assertThat(down.getContentAsString()).contains("\"status\":\"DOWN\"", "7 messages are late");

            check.down = false;
            clock.advance(Duration.ofSeconds(5));
            assertThat(site.performAsIs(get("/cart-recovery/health")).getStatus()).isEqualTo(200);
        }
    }

    @Test
    void onlyAllowedAddressesAndTheTokenSeeTheDetails(PluginContext broadleaf) throws Exception {
        Switch check = new Switch();
        check.down = true;
        try (Storefront site = storefront(broadleaf, check, broadleaf.clock())) {
            String loopback = site.performAsIs(from("127.0.0.1", get("/cart-recovery/health"))).getContentAsString();
            assertThat(loopback).contains("\"checks\":{\"backlog\":{\"status\":\"DOWN\"", "\"dueMessages\":7");

            MockHttpServletResponse stranger = site.performAsIs(from("203.0.113.9", get("/cart-recovery/health")));
            assertThat(stranger.getStatus()).isEqualTo(503);
            assertThat(stranger.getContentAsString()).isEqualTo("{\"status\":\"DOWN\"}");

            String wrongToken = site.performAsIs(from("203.0.113.9", get("/cart-recovery/health")
                    .header("Authorization", "Bearer not-the-token-at-all-000"))).getContentAsString();
            assertThat(wrongToken).isEqualTo("{\"status\":\"DOWN\"}");

            String withToken = site.performAsIs(from("203.0.113.9", get("/cart-recovery/health")
                    .header("Authorization", "Bearer " + TOKEN))).getContentAsString();
            assertThat(withToken).contains("\"checks\"", "7 messages are late");
        }
    }

    @Test
    void thePluginsOwnChecksAnswerThroughTheEndpoint(PluginContext broadleaf) throws Exception {
        try (Storefront site = new Storefront(broadleaf)) {
            MockHttpServletResponse response = site.performAsIs(get("/cart-recovery/health"));
            assertThat(response.getStatus()).isIn(200, 503);
            assertThat(response.getContentAsString()).contains("\"scheduler\":", "\"mailServer\":", "\"backlog\":",
                    "\"capture\":", "\"database\":{\"status\":\"UP\"");
        }
    }

    private static Storefront storefront(PluginContext broadleaf, HealthCheck check, TestClock clock) {
        return new Storefront(broadleaf, Map.of(
                "crHealth", new Health(Collections.singletonList(check), clock, 5),
                "crOperationsAccess", new OperationsAccess("127.0.0.1/32,::1/128", TOKEN)));
    }

    private static MockHttpServletRequestBuilder from(String address, MockHttpServletRequestBuilder request) {
        return request.with(built -> {
            built.setRemoteAddr(address);
            return built;
        });
    }
}
