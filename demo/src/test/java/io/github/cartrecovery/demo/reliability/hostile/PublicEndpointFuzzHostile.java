package io.github.cartrecovery.demo.reliability.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.github.cartrecovery.delivery.RecoveryLinks;

/**
 * The storefront's public endpoints (guest email capture, restore landing, open pixel, click redirect, unsubscribe
 * page, unsubscribe and one-click POST, resubscribe) fed hostile input over real HTTP, against the running demo
 * store: oversized bodies, invalid UTF-8, CR/LF in parameters and headers, path tricks, SQL and script payloads,
 * tampered and truncated tokens. Raw sockets send what an HTTP client would refuse to.
 * <p>
 * Every answer: below 500, no stack trace or exception name, no payload reflected unescaped, no injected header.
 * Every test: no row added to any CR_ table nor to BLC_ORDER, and the fuzzing shopper's cart keeps its address.
 * The variants come from a fixed seed, so a failure repeats.
 */
@ExtendWith(HostileDemo.class)
class PublicEndpointFuzzHostile {

    static final long SEED = 20_261_129L;
    static final String CAPTURE = "/cart-recovery/email";
    static final String SHOPPER_EMAIL = "fuzz-shopper@example.com";

    /** Payloads whose executable form must never come back: each is checked as sent. */
    static final String[] SCRIPTS = {
        "<script>alert('crx1')</script>",
        "\"><img src=x onerror=alert('crx2')>",
        "'><svg/onload=alert('crx3')>",
        "javascript:alert('crx4')",
        "</title><script>crx5</script>",
    };
    static final String[] SQL = {
        "' OR '1'='1",
        "1; DROP TABLE CR_CAPTURED_CART; --",
        "1' UNION SELECT EMAIL FROM CR_PLANNED_MESSAGE--",
        "x'); DELETE FROM BLC_ORDER; --",
        "1 AND SLEEP(5)",
    };

    static String restore;
    static String unsubscribe;
    static String open;
    static String click;
    static String clickTarget;
    static Shopper shopper;
    static long shopperOrderId;

    final HostileResponses answers = new HostileResponses();
    Map<String, Long> rowsBefore;
    Map<String, Object> shopperCartBefore;

    @BeforeAll
    static void realLinksAndARealShopper() throws Exception {
        List<String> links = RecoveryEmails.sendFirstEmails(List.of("fuzz-reader@example.com")).get("fuzz-reader@example.com");
        restore = RecoveryEmails.path(links, "/cart-recovery/restore/");
        unsubscribe = RecoveryEmails.path(links, "/cart-recovery/unsubscribe/");
        long messageId = HostileDemo.jdbc().queryForObject(
                "SELECT MIN(ID) FROM CR_PLANNED_MESSAGE WHERE EMAIL = 'fuzz-reader@example.com' AND STATUS = 'SENT'", Long.class);
        RecoveryLinks signed = HostileDemo.bean("crRecoveryLinks", RecoveryLinks.class);
        open = signed.openPixelUrl(messageId).replaceFirst("^https?://[^/]+", "");
        clickTarget = "http://127.0.0.1:" + HostileDemo.port() + "/products/french-press";
        click = signed.clickUrl(messageId, clickTarget).replaceFirst("^https?://[^/]+", "");

        shopper = new Shopper(HostileDemo.base());
        shopper.leavesACart("/products/milk-frother", SHOPPER_EMAIL);
        HostileDemo.flushCaptures();
        shopperOrderId = HostileDemo.jdbc().queryForObject("SELECT ORDER_ID FROM CR_CAPTURED_CART WHERE EMAIL = ?", Long.class, SHOPPER_EMAIL);
        // the links work (so the fuzz below changes one thing at a time): the page of a valid unsubscribe link
        assertThat(RawHttp.get(HostileDemo.port(), unsubscribe).status()).isEqualTo(200);
    }

    @BeforeEach
    void countRows() {
        rowsBefore = HostileDemo.rowCounts();
        shopperCartBefore = shopperCart();
    }

    @AfterEach
    void nothingWasWritten() {
        answers.expectNoNewRows(rowsBefore, HostileDemo.rowCounts());
        Map<String, Object> after = shopperCart();
        if (!after.equals(shopperCartBefore)) {
            answers.problem("the fuzzing shopper's cart changed: " + shopperCartBefore + " -> " + after);
        }
        assertThat(answers.problems()).as(answers.report()).isEmpty();
        System.out.println(getClass().getSimpleName() + ": " + answers.checked() + " hostile requests, no problem");
    }

    @Test
    void theCaptureEndpointRefusesHostileBodiesBeforeWritingAnything() throws Exception {
        int port = HostileDemo.port();
        Random random = new Random(SEED);
        List<byte[]> jsonBodies = new ArrayList<>();
        jsonBodies.add(("{\"email\":\"" + "a".repeat(2 << 20) + "@example.com\"}").getBytes(StandardCharsets.US_ASCII));
        jsonBodies.add(bytes("{\"email\":\"", new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE}, "@example.com\"}"));
        jsonBodies.add(bytes("{\"email\":\"ab", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, "@example.com\",\"consent\":true}"));
        jsonBodies.add(bytes("", new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "{\"email\":\"bom@example.com\"\u0000}"));
        jsonBodies.add("{\"email\":\"victim@example.com\\r\\nBcc: all@example.com\"}".getBytes(StandardCharsets.UTF_8));
        jsonBodies.add("{\"email\":\"victim@example.com\r\nBcc: all@example.com\"}".getBytes(StandardCharsets.UTF_8));
        jsonBodies.add("{\"email\":\"a@".getBytes(StandardCharsets.UTF_8));
        jsonBodies.add("{\"email\":1e999999999}".getBytes(StandardCharsets.UTF_8));
        jsonBodies.add("{\"email\":\"x@example.com\",\"email\":\"y@example.com\"}".getBytes(StandardCharsets.UTF_8));
        jsonBodies.add("{\"email\":\"x@example.com\",\"consent\":\"maybe\"}".getBytes(StandardCharsets.UTF_8));
        jsonBodies.add(("[".repeat(1000) + "]".repeat(1000)).getBytes(StandardCharsets.UTF_8));
        jsonBodies.add(("{\"a\":" + "{\"a\":".repeat(300) + "1" + "}".repeat(301)).getBytes(StandardCharsets.UTF_8));
        for (String script : SCRIPTS) {
            jsonBodies.add(("{\"email\":\"" + script.replace("\"", "\\\"") + "@example.com\"}").getBytes(StandardCharsets.UTF_8));
        }
        for (String sql : SQL) {
            jsonBodies.add(("{\"email\":\"" + sql + "\"}").getBytes(StandardCharsets.UTF_8));
        }
        for (int i = 0; i < 12; i++) {
            byte[] noise = new byte[1 + random.nextInt(1500)];
            random.nextBytes(noise);
            jsonBodies.add(noise);
        }
        for (int i = 0; i < jsonBodies.size(); i++) {
            RawHttp.Response answer = capture("capture JSON body #" + i, RawHttp.post(port, CAPTURE, "application/json",
                    jsonBodies.get(i), "Cookie: " + shopper.cookieHeader(), "X-CSRF-Token: " + shopper.csrfToken()),
                    SCRIPTS);
            answers.expectStatus("capture JSON body #" + i, answer, 400, 403, 413);
        }

        // The JSON endpoint needs the CSRF token as a parameter too (Broadleaf's filter reads csrfToken): a query string.
        String withToken = CAPTURE + "?csrfToken=" + URLEncoder.encode(shopper.csrfToken(), StandardCharsets.UTF_8);
        for (int i = 0; i < jsonBodies.size(); i++) {
            RawHttp.Response answer = capture("capture JSON body with token #" + i, RawHttp.post(port, withToken, "application/json",
                    jsonBodies.get(i), "Cookie: " + shopper.cookieHeader()), SCRIPTS);
            answers.expectStatus("capture JSON body with token #" + i, answer, 400, 413);
        }

        // chunked, without a declared length: 1 MB of JSON
        ByteArrayOutputStream chunked = new ByteArrayOutputStream();
        byte[] slice = "{\"email\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < (1 << 20) / slice.length; i++) {
            chunked.writeBytes((Integer.toHexString(slice.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            chunked.writeBytes(slice);
            chunked.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        chunked.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        RawHttp.Response big = capture("capture, 1 MB chunked JSON", RawHttp.request(port, "POST " + withToken + " HTTP/1.1",
                List.of("Host: 127.0.0.1:" + port, "Content-Type: application/json", "Transfer-Encoding: chunked",
                        "Cookie: " + shopper.cookieHeader(), "Connection: close"), chunked.toByteArray()));
        answers.expectStatus("capture, 1 MB chunked JSON", big, 400, 413);

        // form posts: CR/LF, invalid UTF-8, scripts and SQL in the address, repeated fields, oversized bodies
        List<String> formBodies = new ArrayList<>(List.of(
                "email=victim%40example.com%0d%0aBcc%3a%20all%40example.com",
                "email=victim%40example.com%0aTo%3a%20all%40example.com&consent=on",
                "email=%FF%FE%40example.com",
                "email=%C0%AF%40example.com",
                "email=%ED%A0%80%40example.com",
                "email=a%00b%40example.com",
                "email=a%40example.com&email=b%40example.com",
                "email=a%40example.com&consent=maybe",
                "email=" + "a".repeat(300) + "%40example.com",
                "email=",
                "consent=on",
                "email=%",
                "email=%zz%40example.com",
                "email[]=a%40example.com",
                "=&&&=="));
        for (String script : SCRIPTS) {
            formBodies.add("email=" + URLEncoder.encode(script + "@example.com", StandardCharsets.UTF_8));
        }
        for (String sql : SQL) {
            formBodies.add("email=" + URLEncoder.encode(sql, StandardCharsets.UTF_8));
        }
        for (int i = 0; i < formBodies.size(); i++) {
            String body = "csrfToken=" + URLEncoder.encode(shopper.csrfToken(), StandardCharsets.UTF_8) + "&" + formBodies.get(i);
            RawHttp.Response answer = capture("capture form " + formBodies.get(i), RawHttp.post(port, CAPTURE,
                    "application/x-www-form-urlencoded", body.getBytes(StandardCharsets.ISO_8859_1), "Cookie: " + shopper.cookieHeader()),
                    SCRIPTS);
            answers.expectStatus("capture form " + formBodies.get(i), answer, 400, 413);
        }
        byte[] rawInvalid = bytes("csrfToken=" + URLEncoder.encode(shopper.csrfToken(), StandardCharsets.UTF_8) + "&email=",
                new byte[] {(byte) 0xFF, (byte) 0xC3, 0x28, '@', 'x', '.', 'c', 'o', 'm'}, "");
        answers.expectStatus("capture form, raw invalid UTF-8", capture("capture form, raw invalid UTF-8",
                RawHttp.post(port, CAPTURE, "application/x-www-form-urlencoded; charset=UTF-8", rawInvalid, "Cookie: " + shopper.cookieHeader())),
                400);
        byte[] hugeForm = ("csrfToken=" + URLEncoder.encode(shopper.csrfToken(), StandardCharsets.UTF_8) + "&email=x%40example.com&pad="
                + "p".repeat(3 << 20)).getBytes(StandardCharsets.US_ASCII);
        answers.expectStatus("capture form, 3 MB", capture("capture form, 3 MB", RawHttp.post(port, CAPTURE,
                "application/x-www-form-urlencoded", hugeForm, "Cookie: " + shopper.cookieHeader())), 400, 413);
        answers.expectStatus("capture, declared length far above the body", capture("capture, declared length far above the body",
                RawHttp.request(port, "POST " + withToken + " HTTP/1.1", List.of("Host: 127.0.0.1:" + port, "Content-Type: application/json",
                        "Content-Length: 99999999999", "Cookie: " + shopper.cookieHeader(), "Connection: close"),
                        "{\"email\":\"x@example.com\"}".getBytes(StandardCharsets.US_ASCII))), 400, 413);
        answers.expectStatus("capture, other content types", capture("capture, other content types", RawHttp.post(port, withToken,
                "text/xml", "<email>x@example.com</email>".getBytes(StandardCharsets.US_ASCII), "Cookie: " + shopper.cookieHeader())), 415);

        // without the session (a bot) and without the CSRF token (a cross-site post): refused, nothing written
        answers.expectStatus("capture without a session", capture("capture without a session", RawHttp.post(port, withToken,
                "application/json", "{\"email\":\"bot@example.com\"}".getBytes(StandardCharsets.US_ASCII))), 403);
        answers.expectStatus("capture without the CSRF token", capture("capture without the CSRF token", RawHttp.post(port, CAPTURE,
                "application/x-www-form-urlencoded", "email=csrf%40example.com".getBytes(StandardCharsets.US_ASCII),
                "Cookie: " + shopper.cookieHeader())), 403);
    }

    @Test
    void tamperedTruncatedAndForeignTokensAreInvalidLinksEverywhere() throws Exception {
        Random random = new Random(SEED + 1);
        List<String> tokens = new ArrayList<>();
        for (String valid : List.of(token(restore), token(unsubscribe), token(open), token(click))) {
            for (int i = 0; i < 4; i++) {
                tokens.add(valid.substring(0, 1 + random.nextInt(valid.length() - 1))); // truncated
            }
            char[] flipped = valid.toCharArray();
            int at = random.nextInt(valid.length() - 1);
            flipped[at] = flipped[at] == 'A' ? 'B' : 'A';
            tokens.add(new String(flipped));
            tokens.add(valid + "AAAA");
            tokens.add(valid + "==");
            tokens.add(valid.toUpperCase());
        }
        tokens.addAll(List.of("A", "AAAA", "-_-_", "null", "0", "-1", "%00", "%20", "%2F", "%5C", "%FF%FE", "%C0%AE%C0%AE",
                "A".repeat(129), "A".repeat(4000), "eyJhbGciOiJub25lIn0.eyJpZCI6MX0.", token(restore).repeat(3)));
        for (String script : SCRIPTS) {
            tokens.add(URLEncoder.encode(script, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        for (String sql : SQL) {
            tokens.add(URLEncoder.encode(sql, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        int port = HostileDemo.port();
        for (String token : tokens) {
            String what = " with token " + (token.length() > 60 ? token.substring(0, 60) + "..." : token);
            answers.expectStatus("restore" + what, answers.check("restore" + what,
                    RawHttp.get(port, "/cart-recovery/restore/" + token), SCRIPTS), 400, 404);
            answers.expectStatus("open" + what, answers.check("open" + what,
                    RawHttp.get(port, "/cart-recovery/open/" + token), SCRIPTS), 200, 400, 404);
            answers.expectStatus("click" + what, answers.check("click" + what,
                    RawHttp.get(port, "/cart-recovery/click/" + token + "?u=" + URLEncoder.encode(clickTarget, StandardCharsets.UTF_8)), SCRIPTS),
                    400, 404);
            answers.expectStatus("unsubscribe page" + what, answers.check("unsubscribe page" + what,
                    RawHttp.get(port, "/cart-recovery/unsubscribe/" + token), SCRIPTS), 400, 404);
            answers.expectStatus("unsubscribe" + what, answers.check("unsubscribe" + what, RawHttp.post(port, "/cart-recovery/unsubscribe/" + token,
                    "application/x-www-form-urlencoded", new byte[0]), SCRIPTS), 400, 404);
            answers.expectStatus("one-click" + what, answers.check("one-click" + what, RawHttp.post(port, "/cart-recovery/unsubscribe/" + token,
                    "application/x-www-form-urlencoded", "List-Unsubscribe=One-Click".getBytes(StandardCharsets.US_ASCII)), SCRIPTS), 400, 404);
            answers.expectStatus("resubscribe" + what, answers.check("resubscribe" + what, RawHttp.post(port, "/cart-recovery/resubscribe/" + token,
                    "application/x-www-form-urlencoded", new byte[0]), SCRIPTS), 400, 404);
        }
        // a valid token for another purpose is not valid here
        answers.expectStatus("restore with the unsubscribe token", answers.check("restore with the unsubscribe token",
                RawHttp.get(port, "/cart-recovery/restore/" + token(unsubscribe))), 404);
        answers.expectStatus("unsubscribe with the restore token", answers.check("unsubscribe with the restore token",
                RawHttp.post(port, "/cart-recovery/unsubscribe/" + token(restore), "application/x-www-form-urlencoded",
                        "List-Unsubscribe=One-Click".getBytes(StandardCharsets.US_ASCII))), 404);
        answers.expectStatus("click with the restore token", answers.check("click with the restore token",
                RawHttp.get(port, "/cart-recovery/click/" + token(restore) + "?u=" + URLEncoder.encode(clickTarget, StandardCharsets.UTF_8))), 404);
    }

    @Test
    void theClickRedirectFollowsOnlyTheSignedTarget() throws Exception {
        int port = HostileDemo.port();
        String token = token(click);
        List<String> targets = new ArrayList<>(List.of(
                "https://evil.example/", "//evil.example/", "/\\evil.example", "http://127.0.0.1:" + port + "@evil.example/",
                clickTarget + "%0d%0aX-Injected:%20crlf", clickTarget + "%0d%0aSet-Cookie:%20crinjected=1",
                clickTarget + "\r\nX-Injected: raw", clickTarget + "#<script>alert('crx1')</script>",
                clickTarget + "?q=<script>alert('crx1')</script>", "javascript:alert('crx4')", "data:text/html,<script>alert('crx1')</script>",
                clickTarget.toUpperCase(), clickTarget + "/../../admin", "http://127.0.0.1:" + port + "/%2e%2e/admin",
                "%FF%FE", "", "u".repeat(5000)));
        for (String sql : SQL) {
            targets.add(clickTarget + "?id=" + sql);
        }
        for (String target : targets) {
            String encoded = target.contains("%0d") || target.contains("%FF") ? target : URLEncoder.encode(target, StandardCharsets.UTF_8);
            String what = "click to " + (target.length() > 60 ? target.substring(0, 60) + "..." : target);
            RawHttp.Response answer = answers.check(what, RawHttp.get(port, "/cart-recovery/click/" + token + "?u=" + encoded), SCRIPTS);
            answers.expectStatus(what, answer, 400, 404);
        }
        // the raw bytes: a CR, a LF, a CR/LF inside the request line's query (an HTTP client refuses to send them). Cut at
        // the line break, the request line has no version: HTTP/0.9, which Jetty refuses with 505 (HTTP Version Not
        // Supported) before any application code runs; that protocol answer is the only 5xx accepted here.
        for (String lineBreak : List.of("\r", "\n", "\r\n")) {
            RawHttp.Response answer = RawHttp.exchange(port, ("GET /cart-recovery/click/" + token + "?u=" + clickTarget + lineBreak
                    + "X-Injected: crlf HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), null);
            if (answer.status() == 505 && answer.text().contains("HTTP/0.9 not supported")) {
                continue;
            }
            answers.expectStatus("click with a raw line break in the query", answers.check("click with a raw line break in the query", answer), 400);
        }
        // a repeated u: never the second one
        answers.expectStatus("click with two targets", answers.check("click with two targets", RawHttp.get(port, "/cart-recovery/click/" + token
                + "?u=https%3A%2F%2Fevil.example%2F&u=" + URLEncoder.encode(clickTarget, StandardCharsets.UTF_8))), 404);
    }

    @Test
    void pathTricksReachNothingAndLongPathsAreRefused() throws Exception {
        int port = HostileDemo.port();
        String[] prefixes = {"/cart-recovery/restore/", "/cart-recovery/open/", "/cart-recovery/click/", "/cart-recovery/unsubscribe/",
            "/cart-recovery/resubscribe/", "/cart-recovery/"};
        String[] tricks = {"../../WEB-INF/web.xml", "..%2F..%2FWEB-INF%2Fweb.xml", "%2e%2e/%2e%2e/WEB-INF/web.xml",
            "%252e%252e%252f%252e%252e%252fWEB-INF%252fweb.xml", "..;/..;/WEB-INF/web.xml", "..%3B/..%3B/WEB-INF/web.xml",
            "%c0%ae%c0%ae/%c0%ae%c0%ae/WEB-INF/web.xml", "..\\..\\WEB-INF\\web.xml", "..%5c..%5cWEB-INF%5cweb.xml",
            ".%00./WEB-INF/web.xml", "%2e%2e%2f%2e%2e%2fadmin%2f", "//..//..//admin/", "./././", "%00", ";jsessionid=crinjected",
            "x;/..;/..;/admin/", "%u002e%u002e/WEB-INF/web.xml", "..%252f..%252fadmin"};
        for (String prefix : prefixes) {
            for (String trick : tricks) {
                String what = "GET " + prefix + trick;
                RawHttp.Response answer = answers.check(what, RawHttp.get(port, prefix + trick));
                if (answer.text().contains("<web-app") || answer.text().contains("patchConfigLocation")) {
                    answers.problem(what + ": served web.xml");
                }
                answers.expectStatus(what, answer, 200, 400, 404, 405);
                // Jetty decodes %2e%2e%2f into ../ and normalises: /cart-recovery/x/%2e%2e%2f%2e%2e%2fadmin%2f is the
                // admin's public login page, as /admin/ is; anything else answered 200 is a problem
                boolean adminLogin = answer.text().contains("name=\"j_password\"");
                if (answer.status() == 200 && !prefix.equals("/cart-recovery/open/") && !adminLogin) {
                    answers.problem(what + ": 200 for a trick path: " + answer);
                }
            }
            answers.expectStatus("a 20 KB path under " + prefix, answers.check("a 20 KB path under " + prefix,
                    RawHttp.get(port, prefix + "a".repeat(20_000))), 400, 404, 414, 431);
            answers.expectStatus("a 1 MB path under " + prefix, answers.check("a 1 MB path under " + prefix,
                    RawHttp.get(port, prefix + "%2e".repeat(1 << 18))), 400, 404, 414, 431);
            answers.expectStatus("a deep path under " + prefix, answers.check("a deep path under " + prefix,
                    RawHttp.get(port, prefix + "a/".repeat(2000))), 400, 404, 414);
        }
        // invalid UTF-8 straight in the request line (bytes 0xFF, 0xC3 0x28), which no HTTP client sends
        for (String prefix : prefixes) {
            answers.check("raw invalid UTF-8 under " + prefix, RawHttp.exchange(port, ("GET " + prefix + "\u00ff\u00c3(\u00fe HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), null));
        }
    }

    @Test
    void hostileHeadersAndQueryStringsChangeNothingAndComeBackEscapedOrNotAtAll() throws Exception {
        int port = HostileDemo.port();
        String[] targets = {"/cart-recovery/restore/" + token(restore).substring(0, 20), open.substring(0, open.length() - 2),
            "/cart-recovery/unsubscribe/" + token(unsubscribe).substring(0, 30), "/cart-recovery/capture.js"};
        List<String[]> headerSets = new ArrayList<>();
        for (String script : SCRIPTS) {
            headerSets.add(new String[] {"Referer: " + script, "User-Agent: " + script, "X-Forwarded-For: " + script});
        }
        for (String sql : SQL) {
            headerSets.add(new String[] {"Referer: " + sql, "Cookie: JSESSIONID=" + sql, "Accept-Language: " + sql});
        }
        headerSets.add(new String[] {"X-Forwarded-Host: evil.example", "X-Forwarded-Proto: javascript", "Forwarded: for=\"<script>\""});
        headerSets.add(new String[] {"Accept-Language: " + "de-DE;q=0.9,".repeat(400)});
        headerSets.add(new String[] {"Cookie: " + "a=b; ".repeat(1500)});
        headerSets.add(new String[] {"X-Long: " + "x".repeat(20_000)});
        headerSets.add(new String[] {"Accept: application/json"}); // Jetty's error pages answer JSON with the exception for this
        headerSets.add(new String[] {"Accept: text/plain"});
        headerSets.add(new String[] {"Referer: http://127.0.0.1/\u00ff\u00fe"});
        headerSets.add(new String[] {"X-Folded: first", " X-Injected: folded"}); // obsolete line folding
        headerSets.add(new String[] {"X-Bare-LF: a\nX-Injected: bare"});
        headerSets.add(new String[] {"X-Bare-CR: a\rX-Injected: bare"});
        headerSets.add(new String[] {"Content-Length: -1"});
        headerSets.add(new String[] {"Transfer-Encoding: chunked, identity"});
        for (String target : targets) {
            for (String[] headers : headerSets) {
                answers.check("GET " + target + " with " + String.join(" | ", headers).substring(0, Math.min(80, String.join(" | ", headers).length())),
                        RawHttp.get(port, target, headers), SCRIPTS);
            }
            answers.check("Host header injection on " + target, RawHttp.request(port, "GET " + target + " HTTP/1.1",
                    List.of("Host: evil.example\r\nX-Injected: host", "Connection: close"), null), SCRIPTS);
            answers.check("two Host headers on " + target, RawHttp.request(port, "GET " + target + " HTTP/1.1",
                    List.of("Host: 127.0.0.1", "Host: evil.example", "Connection: close"), null), SCRIPTS);
            answers.check("HTTP/1.0 without Host on " + target, RawHttp.request(port, "GET " + target + " HTTP/1.0", List.of(), null), SCRIPTS);
            answers.check("a garbage method on " + target, RawHttp.request(port, "<SCRIPT> " + target + " HTTP/1.1",
                    List.of("Host: 127.0.0.1", "Connection: close"), null), SCRIPTS);
            for (String script : SCRIPTS) {
                answers.check("query on " + target, RawHttp.get(port, target + "?q=" + URLEncoder.encode(script, StandardCharsets.UTF_8)
                        + "&u=" + URLEncoder.encode(script, StandardCharsets.UTF_8)), SCRIPTS);
            }
            answers.check("query with CR/LF on " + target, RawHttp.get(port, target + "?u=%0d%0aX-Injected:%20crlf&v=%0aSet-Cookie:%20crinjected=1"));
            answers.check("query with invalid UTF-8 on " + target, RawHttp.get(port, target + "?u=%FF%FE&v=%C0%AF&w=%ED%A0%80"));
            answers.check("query with a bad escape on " + target, RawHttp.get(port, target + "?u=%&v=%zz"));
        }
    }

    @Test
    void unsubscribeRefusesOversizedAndMalformedBodiesForInvalidLinks() throws Exception {
        int port = HostileDemo.port();
        String badToken = "/cart-recovery/unsubscribe/" + token(unsubscribe).substring(1);
        List<Object[]> bodies = List.of(
                new Object[] {"application/x-www-form-urlencoded", ("List-Unsubscribe=One-Click&pad=" + "p".repeat(5 << 20)).getBytes(StandardCharsets.US_ASCII)},
                new Object[] {"multipart/form-data; boundary=xyz", ("--xyz\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--xyz\r\n"
                        + "Content-Disposition: form-data; name=\"f\"; filename=\"../../x.jsp\"\r\n\r\n" + "x".repeat(3 << 20) + "\r\n--xyz--\r\n").getBytes(StandardCharsets.US_ASCII)},
                new Object[] {"multipart/form-data; boundary=", "--\r\n\r\n".getBytes(StandardCharsets.US_ASCII)},
                new Object[] {"multipart/form-data", "garbage".getBytes(StandardCharsets.US_ASCII)},
                new Object[] {"application/x-www-form-urlencoded", bytes("List-Unsubscribe=", new byte[] {(byte) 0xFF, (byte) 0xFE, 0}, "One-Click")},
                new Object[] {"application/x-www-form-urlencoded", "List-Unsubscribe=One-Click%0d%0aX-Injected:%201".getBytes(StandardCharsets.US_ASCII)},
                new Object[] {"application/json", "{\"List-Unsubscribe\":\"One-Click\"}".getBytes(StandardCharsets.US_ASCII)},
                new Object[] {"text/plain; charset=\"><script>alert('crx1')</script>", "List-Unsubscribe=One-Click".getBytes(StandardCharsets.US_ASCII)});
        for (Object[] body : bodies) {
            String what = "POST " + body[0] + " (" + ((byte[]) body[1]).length + " bytes)";
            answers.expectStatus(what, answers.check(what, RawHttp.post(port, badToken, (String) body[0], (byte[]) body[1]), SCRIPTS), 400, 404, 413);
        }
    }

    /** Checks a capture answer, and that the shopper's cart still has its address (Broadleaf saves it at once). */
    private RawHttp.Response capture(String what, RawHttp.Response response, String... reflected) {
        answers.check(what, response, reflected);
        String address = HostileDemo.jdbc().queryForObject("SELECT EMAIL_ADDRESS FROM BLC_ORDER WHERE ORDER_ID = ?", String.class, shopperOrderId);
        if (!SHOPPER_EMAIL.equals(address)) {
            answers.problem(what + ": the shopper's cart now has the address '" + address + "' (" + response + ")");
            HostileDemo.jdbc().update("UPDATE BLC_ORDER SET EMAIL_ADDRESS = ? WHERE ORDER_ID = ?", SHOPPER_EMAIL, shopperOrderId);
        }
        return response;
    }

    private static String token(String path) {
        String token = path.substring(path.lastIndexOf('/') + 1);
        int query = token.indexOf('?');
        return query < 0 ? token : token.substring(0, query);
    }

    private static Map<String, Object> shopperCart() {
        return HostileDemo.jdbc().queryForMap("SELECT C.EMAIL, C.MARKETING_CONSENT, C.STATUS, O.EMAIL_ADDRESS FROM CR_CAPTURED_CART C "
                + "JOIN BLC_ORDER O ON O.ORDER_ID = C.ORDER_ID WHERE C.ORDER_ID = ?", shopperOrderId);
    }

    private static byte[] bytes(String before, byte[] middle, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(middle);
        out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
