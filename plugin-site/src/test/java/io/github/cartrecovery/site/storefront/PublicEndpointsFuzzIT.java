package io.github.cartrecovery.site.storefront;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import javax.annotation.Resource;

import org.broadleafcommerce.core.order.domain.Order;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.http.HttpMethod;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import io.github.cartrecovery.delivery.RecoveryLinks;
import io.github.cartrecovery.testing.BroadleafWithPlugin;
import io.github.cartrecovery.testing.PluginContext;

/**
 * Thousands of random and malformed requests against the public endpoints (restore, open, click,
 * unsubscribe, resubscribe): mutated real tokens, random bytes, odd encodings, huge values, every method,
 * random bodies. None may answer 5xx or show a stack trace, and none may write anything.
 */
@BroadleafWithPlugin
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PublicEndpointsFuzzIT {

    private static final int CASES = 3000;
    private static final String[] PATHS = {"/cart-recovery/restore/", "/cart-recovery/open/", "/cart-recovery/click/",
        "/cart-recovery/unsubscribe/", "/cart-recovery/resubscribe/"};
    private static final HttpMethod[] METHODS = {HttpMethod.GET, HttpMethod.GET, HttpMethod.POST, HttpMethod.POST,
        HttpMethod.HEAD, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.OPTIONS};

    @Resource(name = "crRecoveryLinks")
    RecoveryLinks links;

    Storefront site;
    List<String> realTokens = new ArrayList<>();

    @BeforeAll
    void openTheStore(PluginContext broadleaf) {
        site = new Storefront(broadleaf);
        Order cart = broadleaf.store().add(broadleaf.store().cartWithEmail("fuzz@example.com"),
                broadleaf.store().product("Fuzz Mug", "1.00"), 1);
        site.flushCaptures();
        long message = site.pendingMessage(cart.getId(), "fuzz@example.com", 1);
        for (String url : new String[] {links.restoreUrl(message, cart.getId()), links.unsubscribeUrl(message),
                links.openPixelUrl(message), links.clickUrl(message, "/products/fuzz").replaceFirst("\\?.*", "")}) {
            realTokens.add(url.substring(url.lastIndexOf('/') + 1));
        }
    }

    @AfterAll
    void closeTheStore() {
        site.close();
    }

    @Test
    void randomAndMalformedRequestsNeverFailAndNeverWrite() throws Exception {
        String before = snapshot();
        Random random = new Random(20261129L);
        for (int i = 0; i < CASES; i++) {
            String path = PATHS[random.nextInt(PATHS.length)];
            String token = mutatedToken(random);
            HttpMethod method = METHODS[random.nextInt(METHODS.length)];
            if (realTokens.contains(asSpringMatchesIt(token))) {
                continue; // "<real>;x" or "<real>.x" is the real link to Spring (path parameter, suffix): not invalid input
            }
            MockHttpServletRequestBuilder request = request(method, path + "{token}", token);
            if (random.nextBoolean()) {
                request.param("u", randomTarget(random));
            }
            if (method == HttpMethod.POST || method == HttpMethod.PUT) {
                request.contentType(random.nextBoolean() ? org.springframework.http.MediaType.APPLICATION_FORM_URLENCODED
                        : org.springframework.http.MediaType.parseMediaType("multipart/form-data; boundary=b" + random.nextInt(1_000_000)));
                request.content(random.nextBoolean() ? "List-Unsubscribe=One-Click".getBytes(StandardCharsets.US_ASCII) : randomBytes(random));
            }
            String described = method + " " + path + token;
            MockHttpServletResponse response;
            try {
                response = site.perform(request);
            } catch (Exception e) {
                throw new AssertionError("case " + i + " threw: " + described, e);
            }
            assertThat(response.getStatus()).as("case %d: %s", i, described).isLessThan(500);
            String body = response.getContentAsString();
            assertThat(body).as(described).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("fuzz@example.com");
        }
        assertThat(snapshot()).as("nothing written by invalid input").isEqualTo(before);
    }

    /** The path variable Spring 3.2 binds for this token: path parameters (";...") and a suffix (".ext") removed. */
    private static String asSpringMatchesIt(String token) {
        String bound = token.contains(";") ? token.substring(0, token.indexOf(';')) : token;
        return bound.contains(".") ? bound.substring(0, bound.lastIndexOf('.')) : bound;
    }

    private String mutatedToken(Random random) {
        String real = realTokens.get(random.nextInt(realTokens.size()));
        switch (random.nextInt(9)) {
            case 0: {
                byte[] bytes = Base64.getUrlDecoder().decode(real);
                bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            }
            case 1: return real.substring(0, random.nextInt(real.length()));
            case 2: return real + randomText(random, 1 + random.nextInt(4));
            case 3: return randomText(random, random.nextInt(120));
            case 4: return Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(random));
            case 5: return "x".repeat(random.nextInt(4000));
            case 6: return real.replace(real.charAt(random.nextInt(real.length())), '~');
            case 7: return new String(randomBytes(random), StandardCharsets.ISO_8859_1).replace('/', '_');
            default: return real.substring(1) + real.charAt(0);
        }
    }

    private static String randomTarget(Random random) {
        String[] targets = {"https://evil.example.net/", "//evil.example.net", "/\\evil.example.net", "javascript:alert(1)",
            "https://shop.example.com/products/fuzz", "/products/fuzz", "", "%0d%0aSet-Cookie:x=1", "\r\nLocation: x",
            "https://shop.example.com@evil.example.net", "x".repeat(3000)};
        return random.nextInt(3) == 0 ? randomText(random, random.nextInt(50)) : targets[random.nextInt(targets.length)];
    }

    private static String randomText(Random random, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append((char) (random.nextInt(3) == 0 ? random.nextInt(0x800) : 0x20 + random.nextInt(0x5f)));
        }
        return text.toString();
    }

    private static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[random.nextInt(200)];
        random.nextBytes(bytes);
        return bytes;
    }

    private String snapshot() {
        return site.jdbc.queryForList("SELECT COUNT(*) AS N FROM CR_MESSAGE_EVENT").toString()
                + site.jdbc.queryForList("SELECT COUNT(*) AS N FROM CR_SUPPRESSION")
                + site.jdbc.queryForList("SELECT STATUS, COUNT(*) AS N FROM CR_PLANNED_MESSAGE GROUP BY STATUS ORDER BY STATUS")
                + site.jdbc.queryForList("SELECT COUNT(*) AS N FROM BLC_ORDER")
                + site.jdbc.queryForList("SELECT COUNT(*) AS N FROM BLC_ORDER_ITEM");
    }
}
