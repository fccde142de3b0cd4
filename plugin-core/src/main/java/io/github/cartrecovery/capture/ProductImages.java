package io.github.cartrecovery.capture;

import java.util.Map;

import org.broadleafcommerce.common.media.domain.Media;
import org.broadleafcommerce.core.catalog.domain.Product;
import org.broadleafcommerce.core.catalog.domain.Sku;

/**
 * Host edge: the image an email shows for a product, from Broadleaf's media: the SKU's "primary" media (else
 * its first), else the product's default SKU's (Broadleaf 3.1 {@code Media#getUrl}). A relative URL is made
 * absolute against {@code cartrecovery.email.image-base-url} (empty: the links' base URL), since a mail client
 * has no page to resolve it against. Broadleaf serves its static assets (URLs whose path contains the
 * static-asset prefix, {@code /cmsstatic/} by default) through its image artifact processor, which resizes
 * on query parameters ({@code resize-width-amount}, {@code resize-height-amount}, ...; its {@code Resize}
 * filter); those URLs get {@code cartrecovery.email.image-resize} appended so the email loads a small image,
 * not the product page's original. Other URLs are left as they are and sized by the email's width/height.
 * Media are read through the entities the order holds (Broadleaf caches them in its second-level cache); when
 * they cannot be loaded (no open session) the line simply has no image. Thread-safe.
 */
public class ProductImages {

    /** Longer URLs do not fit CR_CAPTURED_CART_ITEM.IMAGE_URL; an image cut short would be broken, so none. */
    static final int MAX_URL = CaptureInputRules.ITEM_URL;

    private final String baseUrl;
    private final String staticAssetPrefix;
    private final String resizeQuery;

    /**
     * @param baseUrl           the store's base URL for relative media URLs (no trailing slash needed)
     * @param staticAssetPrefix path part marking Broadleaf's static assets, e.g. "/cmsstatic/"; empty: never resize
     * @param resizeQuery       query appended to static-asset URLs, e.g. "resize-width-amount=128&..."; empty: none
     */
    public ProductImages(String baseUrl, String staticAssetPrefix, String resizeQuery) {
        String base = baseUrl == null ? "" : baseUrl.trim();
        if (!base.matches("(?i)https?://[^\\s\"'<>]+")) {
            throw new IllegalArgumentException("cartrecovery.email.image-base-url: must be an absolute http(s) URL"
                    + " (was '" + baseUrl + "')");
        }
        this.baseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.staticAssetPrefix = staticAssetPrefix == null ? "" : staticAssetPrefix.trim();
        this.resizeQuery = resizeQuery == null ? "" : resizeQuery.trim();
    }

    /** As the settings give them: an empty {@code imageBaseUrl} means the links' base URL. */
    public static ProductImages of(String imageBaseUrl, String linksBaseUrl, String staticAssetPrefix, String resizeQuery) {
        boolean unset = imageBaseUrl == null || imageBaseUrl.trim().isEmpty();
        return new ProductImages(unset ? linksBaseUrl : imageBaseUrl, staticAssetPrefix, resizeQuery);
    }

    /** The email image of this SKU (or its product's default SKU), absolute and sized; null when it has none. */
    public String imageUrl(Sku sku, Product product) {
        String url;
        try {
            url = mediaUrl(sku);
            if (url == null && product != null) {
                url = mediaUrl(product.getDefaultSku());
            }
        } catch (RuntimeException notLoadable) { // e.g. Hibernate's LazyInitializationException outside a session
            return null;
        }
        return url == null ? null : emailUrl(url);
    }

    /** A media URL made absolute and, for Broadleaf's static assets, sized for email; null for a blank or too long one. */
    public String emailUrl(String mediaUrl) {
        String url = mediaUrl == null ? "" : mediaUrl.trim();
        if (url.isEmpty() || url.matches(".*[\\s\"'<>].*")) {
            return null;
        }
        if (url.startsWith("//")) {
            url = "https:" + url;
        } else if (!url.matches("(?i)https?://.*")) {
            url = baseUrl + (url.startsWith("/") ? "" : "/") + url;
        }
        if (!staticAssetPrefix.isEmpty() && !resizeQuery.isEmpty() && url.contains(staticAssetPrefix)) {
            url = url + (url.contains("?") ? "&" : "?") + resizeQuery;
        }
        return url.length() > MAX_URL ? null : url;
    }

    private static String mediaUrl(Sku sku) {
        if (sku == null) {
            return null;
        }
        Map<String, Media> media = sku.getSkuMedia();
        if (media == null || media.isEmpty()) {
            return null;
        }
        Media primary = media.get("primary");
        if (primary != null && primary.getUrl() != null && !primary.getUrl().trim().isEmpty()) {
            return primary.getUrl();
        }
        for (Media any : media.values()) {
            if (any != null && any.getUrl() != null && !any.getUrl().trim().isEmpty()) {
                return any.getUrl();
            }
        }
        return null;
    }
}
