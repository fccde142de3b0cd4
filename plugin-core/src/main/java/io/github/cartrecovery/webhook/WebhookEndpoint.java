package io.github.cartrecovery.webhook;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.Locale;

/**
 * Where webhooks go ({@code cartrecovery.webhook.url}), checked at startup: an absolute https URL (http only with
 * {@code cartrecovery.webhook.allow-http=true}, for demos and tests), with a host, without user and password
 * (credentials in a URL end up in logs and proxies) and without a fragment. Empty: the channel is off. Immutable.
 */
public final class WebhookEndpoint {

    private static final WebhookEndpoint NONE = new WebhookEndpoint(null, null);

    private final URL url;
    private final String display;

    private WebhookEndpoint(URL url, String display) {
        this.url = url;
        this.display = display;
    }

    /**
     * The endpoint of {@code cartrecovery.webhook.url}; an unset (empty) URL is an endpoint that is not configured.
     *
     * @throws IllegalStateException the URL breaks a rule; the message names the property and the rule
     */
    public static WebhookEndpoint of(String url, boolean allowHttp) {
        String value = url == null ? "" : url.trim();
        if (value.isEmpty()) {
            return NONE;
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw invalid(value, "is not a valid URL (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"https".equals(scheme) && !"http".equals(scheme)) {
            throw invalid(value, "must be an absolute https URL, like https://hooks.example.com/cart-recovery");
        }
        if ("http".equals(scheme) && !allowHttp) {
            throw invalid(value, "must use https (documents carry carts and restore links); plain http only with "
                    + "cartrecovery.webhook.allow-http=true, for demos and tests");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw invalid(value, "has no host name");
        }
        if (uri.getRawUserInfo() != null) {
            throw invalid(value, "must not carry a user name or password: receivers check the signature instead");
        }
        if (uri.getRawFragment() != null) {
            throw invalid(value, "must not have a fragment (#...)");
        }
        try {
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            String display = scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT)
                    + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + path;
            return new WebhookEndpoint(uri.toURL(), display);
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw invalid(value, "is not a valid URL (" + e.getMessage() + ")");
        }
    }

    private static IllegalStateException invalid(String value, String rule) {
        // the query may hold a receiver's token: never repeat it
        int query = value.indexOf('?');
        String shown = query < 0 ? value : value.substring(0, query) + "?...";
        return new IllegalStateException("cartrecovery.webhook.url " + rule + "; was \"" + shown + "\"");
    }

    public boolean isConfigured() {
        return url != null;
    }

    /** The URL posted to; null when not configured. */
    public URL url() {
        return url;
    }

    /** Host name in lower case; null when not configured. */
    public String host() {
        return url == null ? null : url.getHost().toLowerCase(Locale.ROOT);
    }

    /**
     * The URL without its query, for logs, outcomes and the recipient recorded with each message (a receiver may
     * put a token in the query); null when not configured.
     */
    @Override
    public String toString() {
        return display;
    }
}
