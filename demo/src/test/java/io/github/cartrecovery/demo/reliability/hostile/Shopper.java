package io.github.cartrecovery.demo.reliability.hostile;

import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A shopper's browser without the browser: keeps cookies, posts forms with the page's CSRF token, sends a desktop
 * User-Agent (the plugin drops carts of bots). Used to prepare real carts over HTTP and to sign in to the admin.
 */
final class Shopper {

    static final String USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36";
    private static final Pattern CSRF = Pattern.compile("name=\"csrfToken\" value=\"([^\"]+)\"");

    private final String base;
    private final CookieManager cookies = new CookieManager();
    private final HttpClient client;
    private String csrfToken;

    Shopper(String base) {
        this.base = base;
        this.client = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create(url(path))).header("User-Agent", USER_AGENT)
                .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
        Matcher csrf = CSRF.matcher(page.body());
        if (csrf.find()) {
            csrfToken = csrf.group(1);
        }
        return page;
    }

    /** GET, following redirects. */
    HttpResponse<String> open(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = get(path);
        for (int hop = 0; hop < 5 && response.statusCode() / 100 == 3; hop++) {
            response = get(response.headers().firstValue("Location").orElseThrow());
        }
        return response;
    }

    /** Posts the fields (in order) with the CSRF token of the last page that had one. */
    HttpResponse<String> post(String path, Map<String, String> fields) throws IOException, InterruptedException {
        Map<String, String> all = new LinkedHashMap<>();
        if (csrfToken != null) {
            all.put("csrfToken", csrfToken);
        }
        all.putAll(fields);
        return postRaw(path, form(all));
    }

    HttpResponse<String> postRaw(String path, String formBody) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(url(path))).header("User-Agent", USER_AGENT)
                .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(formBody)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** A cart with one product and an email at checkout, as a shopper leaves it: returns nothing, the cookie holds it. */
    void leavesACart(String productPath, String email) throws IOException, InterruptedException {
        String product = get(productPath).body();
        HttpResponse<String> added = post("/cart/add", Map.of("productId", hidden(product, "productId"), "skuId", hidden(product, "skuId"),
                "quantity", "1"));
        if (added.statusCode() != 302) {
            throw new IllegalStateException("add to cart answered " + added.statusCode());
        }
        get("/checkout");
        HttpResponse<String> saved = post("/checkout/email", Map.of("emailAddress", email));
        if (saved.statusCode() / 100 != 3 && saved.statusCode() != 200) {
            throw new IllegalStateException("the checkout email answered " + saved.statusCode());
        }
        get("/checkout"); // the page with the capture snippet: its CSRF token is the one the snippet sends
    }

    String csrfToken() {
        return csrfToken;
    }

    /** The storefront's session cookie, as a Cookie header value. */
    String sessionCookie() {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("JSESSIONID"))
                .map(HttpCookie::toString).findFirst().orElseThrow(() -> new IllegalStateException("no session cookie"));
    }

    /** A Cookie header with every cookie this shopper holds. */
    String cookieHeader() {
        return cookies.getCookieStore().getCookies().stream().map(HttpCookie::toString).collect(Collectors.joining("; "));
    }

    static String hidden(String page, String name) {
        Matcher matcher = Pattern.compile("name=\"" + Pattern.quote(name) + "\" value=\"(\\d+)\"").matcher(page);
        if (!matcher.find()) {
            throw new IllegalStateException("no hidden field " + name);
        }
        return matcher.group(1);
    }

    private String url(String path) {
        return path.startsWith("http") ? path : base + path;
    }
}
