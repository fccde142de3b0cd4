package io.github.cartrecovery.demotest;

import java.io.IOException;
import java.net.CookieManager;
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

/** A cookie-keeping HTTP client that posts forms with the page's CSRF token, as a browser would. */
final class Browserless {

    static final String USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36";
    private static final Pattern CSRF = Pattern.compile("name=\"csrfToken\" value=\"([^\"]+)\"");

    final String baseUrl;
    private final HttpClient client;

    Browserless(String baseUrl) {
        this.baseUrl = baseUrl;
        this.client = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(url(path))).header("User-Agent", USER_AGENT)
                .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GET, following redirects within the demo. */
    HttpResponse<String> open(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = get(path);
        for (int hop = 0; hop < 5 && response.statusCode() / 100 == 3; hop++) {
            response = get(response.headers().firstValue("Location").orElseThrow());
        }
        return response;
    }

    /** Posts the fields with the CSRF token found on {@code formPage}. */
    HttpResponse<String> post(String path, String formPage, Map<String, String> fields) throws IOException, InterruptedException {
        Map<String, String> all = new LinkedHashMap<>();
        Matcher csrf = CSRF.matcher(formPage);
        if (csrf.find()) {
            all.put("csrfToken", csrf.group(1));
        }
        all.putAll(fields);
        String body = all.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return client.send(HttpRequest.newBuilder(URI.create(url(path))).header("User-Agent", USER_AGENT)
                .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String url(String path) {
        return path.startsWith("http") ? path : baseUrl + path;
    }
}
