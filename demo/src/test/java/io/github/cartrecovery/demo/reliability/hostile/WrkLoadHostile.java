package io.github.cartrecovery.demo.reliability.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The two endpoints a shopper's browser hits most, under {@code wrk} on loopback for a bounded time against the
 * running demo store (Jetty, Broadleaf, the plugin, file-based HSQLDB; everything on the same two cores as wrk):
 * <ul>
 * <li>the guest email capture ({@code POST /cart-recovery/email}): real shoppers' sessions, each with a cart made by
 * adding a product over HTTP, posting the capture snippet's form (CSRF token, address, consent), each shopper's address
 * alternating between two, so every request saves Broadleaf's order and feeds the capture buffer;</li>
 * <li>the restore landing ({@code GET /cart-recovery/restore/<token>}): the restore links of real recovery emails in the
 * demo's mailbox, opened without cookies (a new device each time), so each request verifies the token and brings the cart
 * back in a new session (302 to the cart); the visits are recorded once per message (one CLICKED, and one SCANNED for
 * those within seconds of sending), however often the links are replayed.</li>
 * </ul>
 * Prints error count (non-2xx/3xx answers and socket errors), p50/p99 latency and throughput per endpoint as a table,
 * writes it to {@code target/reliability-load.md}, and fails on any error or 5xx.
 */
@ExtendWith(HostileDemo.class)
class WrkLoadHostile {

    static final int SECONDS = Integer.getInteger("hostile.load.seconds", 20);
    static final int SHOPPERS = 8;
    static final Path REPORT = Path.of("target", "reliability-load.md");
    static final Path SCRIPTS = Path.of("target", "wrk");
    static final List<Wrk.Result> RESULTS = new ArrayList<>();

    @BeforeAll
    static void installWrk() throws Exception {
        Wrk.installIfMissing();
    }

    @AfterAll
    static void writeReport() throws Exception {
        String table = Wrk.TABLE_HEAD + "\n" + RESULTS.stream().map(Wrk.Result::row).collect(Collectors.joining("\n"));
        String report = "# Load: capture endpoint and restore landing\n\n"
                + String.format(Locale.ROOT, "`wrk -t%d -c%d -d%ds --timeout 10s` on loopback against the demo store (one JVM: Jetty 9.4, "
                + "Broadleaf 3.1.15, the plugin, file-based HSQLDB), %d cores shared by wrk and the store, Java %s.%n%n",
                Wrk.THREADS, Wrk.CONNECTIONS, SECONDS, Runtime.getRuntime().availableProcessors(), Runtime.version())
                + table + "\n\n"
                + "- capture: " + SHOPPERS + " shoppers with a real cart each, the snippet's form POST (CSRF token, address, consent), "
                + "each shopper's address alternating between two (every request saves Broadleaf's order).\n"
                + "- restore: the restore links of " + SHOPPERS + " real recovery emails from the demo's mailbox, without cookies "
                + "(every request a new device: verify, record CLICKED, re-attach the cart, 302 to the cart).\n"
                + "- the demo's rate limits of the capture endpoint are raised for this run (they would answer 429 after 10 requests "
                + "a minute per session); the scheduler is off (no background jobs compete).\n";
        Files.createDirectories(REPORT.getParent());
        Files.writeString(REPORT, report, StandardCharsets.UTF_8);
        System.out.println("\n" + table + "\n(written to " + REPORT.toAbsolutePath() + ")");
    }

    @Test
    void theCaptureEndpointAnswersEveryRequestUnderLoad() throws Exception {
        List<String> shoppers = new ArrayList<>();
        for (int i = 0; i < SHOPPERS; i++) {
            Shopper shopper = new Shopper(HostileDemo.base());
            shopper.leavesACart(RecoveryEmails.PRODUCTS[i % RecoveryEmails.PRODUCTS.length], "load-shopper-" + i + "@example.com");
            shoppers.add("{" + Wrk.lua(shopper.sessionCookie()) + ", " + Wrk.lua(URLEncoder.encode(shopper.csrfToken(), StandardCharsets.UTF_8)) + "}");
        }
        long before = capturedAddressChanges();
        Path script = Wrk.script(SCRIPTS, "capture", String.join("\n",
                "local shoppers = {" + String.join(",\n  ", shoppers) + "}",
                "wrk.method = 'POST'",
                "function request()",
                "  n = n + " + Wrk.THREADS,
                "  local i = (n % #shoppers) + 1",
                "  local s = shoppers[i]",
                "  local variant = (math.floor(n / #shoppers) % 2 == 0) and 'a' or 'b'",
                "  local body = 'csrfToken=' .. s[2] .. '&email=load-shopper-' .. (i - 1) .. '-' .. variant .. '%40example.com&consent=on'",
                "  return wrk.format('POST', '/cart-recovery/email', {['Cookie'] = s[1], ['User-Agent'] = " + Wrk.lua(Shopper.USER_AGENT)
                        + ", ['Content-Type'] = 'application/x-www-form-urlencoded'}, body)",
                "end"));

        Wrk.Result result = Wrk.run("POST /cart-recovery/email (capture)", HostileDemo.base(), script, SECONDS);
        RESULTS.add(result);

        assertThat(result.fivexx()).as("5xx answers: " + result).isZero();
        assertThat(result.errors()).as("non-2xx/3xx answers and socket errors: " + result).isZero();
        assertThat(result.requests()).as("requests answered").isGreaterThan(SECONDS);
        // the load did the work: every shopper's cart now carries one of its two load addresses
        HostileDemo.flushCaptures();
        for (int i = 0; i < SHOPPERS; i++) {
            assertThat(HostileDemo.jdbc().queryForObject("SELECT COUNT(*) FROM BLC_ORDER WHERE EMAIL_ADDRESS IN (?, ?)", Integer.class,
                    "load-shopper-" + i + "-a@example.com", "load-shopper-" + i + "-b@example.com")).as("shopper " + i).isEqualTo(1);
        }
        assertThat(capturedAddressChanges()).isGreaterThan(before);
    }

    @Test
    void theRestoreLandingAnswersEveryRequestUnderLoad() throws Exception {
        List<String> addresses = IntStream.range(0, SHOPPERS).mapToObj(i -> "load-reader-" + i + "@example.com").toList();
        Map<String, List<String>> links = RecoveryEmails.sendFirstEmails(addresses);
        List<String> restores = new ArrayList<>();
        for (List<String> email : links.values()) {
            restores.add(Wrk.lua(RecoveryEmails.path(email, "/cart-recovery/restore/")));
        }
        long trackedBefore = tracked();
        Path script = Wrk.script(SCRIPTS, "restore", String.join("\n",
                "local links = {" + String.join(",\n  ", restores) + "}",
                "function request()",
                "  n = n + " + Wrk.THREADS,
                "  return wrk.format('GET', links[(n % #links) + 1], {['User-Agent'] = " + Wrk.lua(Shopper.USER_AGENT) + "})",
                "end"));

        Wrk.Result result = Wrk.run("GET /cart-recovery/restore/<token> (restore landing)", HostileDemo.base(), script, SECONDS);
        RESULTS.add(result);

        assertThat(result.fivexx()).as("5xx answers: " + result).isZero();
        assertThat(result.errors()).as("non-2xx/3xx answers and socket errors: " + result).isZero();
        assertThat(result.requests()).as("requests answered").isGreaterThan(SECONDS);
        // every link was recorded, and replaying it added nothing more: at most one CLICKED and one SCANNED per message
        assertThat(tracked() - trackedBefore).as("CLICKED and SCANNED events recorded for " + SHOPPERS + " links")
                .isBetween((long) SHOPPERS, 2L * SHOPPERS);
    }

    private static long tracked() {
        return HostileDemo.jdbc().queryForObject("SELECT COUNT(*) FROM CR_MESSAGE_EVENT WHERE EVENT_TYPE IN ('CLICKED', 'SCANNED')",
                Long.class);
    }

    /** A rough witness that captures reached the plugin's record: the captured carts' last activity moves. */
    private static long capturedAddressChanges() {
        return HostileDemo.jdbc().queryForObject("SELECT COUNT(*) FROM CR_CAPTURED_CART WHERE EMAIL LIKE 'load-shopper-%-_@example.com'", Long.class);
    }
}
