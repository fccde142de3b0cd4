package io.github.cartrecovery.links;

import java.io.UnsupportedEncodingException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The store's own URLs: its base URL ({@code cartrecovery.links.base-url}), the hosts a tracked link may
 * redirect to ({@code cartrecovery.links.store-hosts}; the base URL's host is always one) and the UTM
 * parameters added to landing redirects ({@code cartrecovery.links.utm-parameters}, where {@code {channel}} and
 * {@code {trigger}} stand for the message's channel and trigger, so a store's analytics tell a text from an email
 * and a price-drop alert from a cart reminder), and the cart and home pages the storefront landings send shoppers to. Redirects go only to
 * {@link #resolve(String)}'s answers, so no endpoint of the plugin is an open redirect.
 */
public final class StoreUrls {

    /** Stands for the message's channel in the UTM parameters: {@code email}, {@code sms}, {@code webhook}, ... */
    public static final String CHANNEL = "{channel}";
    /** Stands for the message's trigger: {@code abandoned-cart}, {@code price-drop}, {@code post-purchase}, ... */
    public static final String TRIGGER = "{trigger}";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{[^}]*\\}?");

    private final String baseUrl;
    private final Set<String> hosts = new LinkedHashSet<String>();
    private final String utmParameters;
    private final String cartPath;
    private final String homePath;

    public StoreUrls(String baseUrl, String storeHosts, String utmParameters) {
        this(baseUrl, storeHosts, utmParameters, "/cart", "/");
    }

    public StoreUrls(String baseUrl, String storeHosts, String utmParameters, String cartPath, String homePath) {
        this.cartPath = sitePath(cartPath, "cartrecovery.site.cart-path");
        this.homePath = sitePath(homePath, "cartrecovery.site.home-path");
        URI base = parse(baseUrl == null ? "" : baseUrl.trim());
        if (base == null || !isHttp(base) || base.getHost() == null) {
            throw new IllegalStateException("cartrecovery.links.base-url must be the store's absolute http(s) URL, "
                    + "like https://shop.example.com, not \"" + baseUrl + "\"");
        }
        String trimmed = baseUrl.trim();
        this.baseUrl = trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
        hosts.add(base.getHost().toLowerCase(Locale.ROOT));
        if (storeHosts != null) {
            for (String host : storeHosts.split(",")) {
                if (!host.trim().isEmpty()) {
                    hosts.add(host.trim().toLowerCase(Locale.ROOT));
                }
            }
        }
        this.utmParameters = utmParameters == null ? "" : utmParameters.trim().replaceFirst("^[?&]+", "");
        Matcher placeholder = PLACEHOLDER.matcher(this.utmParameters);
        while (placeholder.find()) {
            if (!CHANNEL.equals(placeholder.group()) && !TRIGGER.equals(placeholder.group())) {
                throw new IllegalStateException("cartrecovery.links.utm-parameters may hold " + CHANNEL + " and " + TRIGGER
                        + " and nothing else in braces, not \"" + placeholder.group() + "\" (in \"" + utmParameters + "\")");
            }
        }
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** The site-relative path of the cart page ({@code cartrecovery.site.cart-path}). */
    public String cartPath() {
        return cartPath;
    }

    /** The site-relative path of the store's home page ({@code cartrecovery.site.home-path}). */
    public String homePath() {
        return homePath;
    }

    private static String sitePath(String path, String property) {
        String trimmed = path == null ? "" : path.trim();
        if (!trimmed.startsWith("/") || trimmed.startsWith("//")) {
            throw new IllegalStateException(property + " must be a path on the store starting with one '/', like /cart, not \""
                    + path + "\"");
        }
        return trimmed;
    }

    /**
     * The absolute URL for a store path ("/cart") or a store URL on one of the configured hosts; null for
     * anything else (other hosts, other schemes, user info, protocol-relative "//host", backslashes,
     * control characters).
     */
    public String resolve(String target) {
        if (target == null || target.isEmpty() || target.length() > 2000) {
            return null;
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c == 0x7f || c == '\\') {
                return null;
            }
        }
        if (target.startsWith("/")) {
            if (target.startsWith("//")) {
                return null;
            }
            return parse(target) == null ? null : baseUrl + target;
        }
        URI uri = parse(target);
        if (uri == null || !isHttp(uri) || uri.getRawUserInfo() != null || uri.getHost() == null
                || !hosts.contains(uri.getHost().toLowerCase(Locale.ROOT))) {
            return null;
        }
        return target;
    }

    /**
     * The URL with the configured UTM parameters added (before any fragment), {@value #CHANNEL} and {@value #TRIGGER}
     * filled in from the message the link came from: lower case, underscores as hyphens ({@code PRICE_DROP} is
     * {@code price-drop}). A message without a channel counts as email, one without a trigger as an abandoned cart
     * (rows planned before either existed).
     */
    public String withUtm(String url, String channel, String trigger) {
        if (utmParameters.isEmpty()) {
            return url;
        }
        String parameters = utmParameters.replace(CHANNEL, slug(channel, "email")).replace(TRIGGER, slug(trigger, "abandoned-cart"));
        int hash = url.indexOf('#');
        String main = hash < 0 ? url : url.substring(0, hash);
        String fragment = hash < 0 ? "" : url.substring(hash);
        return main + (main.indexOf('?') < 0 ? "?" : "&") + parameters + fragment;
    }

    private static String slug(String name, String otherwise) {
        String trimmed = name == null ? "" : name.trim();
        return trimmed.isEmpty() ? otherwise : encode(trimmed.toLowerCase(Locale.ROOT).replace('_', '-'));
    }

    static String encode(String value) {
        try {
            return URLEncoder.encode(value, "UTF-8");
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isHttp(URI uri) {
        String scheme = uri.getScheme();
        return scheme != null && ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme));
    }

    private static URI parse(String value) {
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
