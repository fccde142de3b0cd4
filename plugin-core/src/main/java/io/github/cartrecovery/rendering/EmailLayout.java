package io.github.cartrecovery.rendering;

import java.util.regex.Pattern;

import io.github.cartrecovery.config.ExampleDefaultsWarning;

/**
 * The store's look and legal footer, shared by every recovery email ({@code cartrecovery.email.*}): store name,
 * logo, brand colour, postal address (CAN-SPAM requires one in every commercial email), the "why you got this"
 * line and how many recommendations to show. Validated when built, so a bad setting stops the start with the
 * setting's name and the rule it broke. Immutable.
 */
public final class EmailLayout {

    /** The default of cartrecovery.email.postal-address: warned about at start-up until the store sets its own. */
    public static final String EXAMPLE_POSTAL_ADDRESS = ExampleDefaultsWarning.EXAMPLE_POSTAL_ADDRESS;
    public static final String DEFAULT_BRAND_COLOUR = "#1a73e8";
    public static final int DEFAULT_RECOMMENDATIONS = 3;
    public static final int MAX_RECOMMENDATIONS = 12;

    private static final Pattern COLOUR = Pattern.compile("#[0-9a-fA-F]{6}");

    private final String storeName;
    private final String logoUrl;
    private final String brandColour;
    private final String postalAddress;
    private final String whyLine;
    private final String placeholderImageUrl;
    private final int recommendations;
    /** The layout's inline styles that carry the brand colour, joined once here rather than in the template (below). */
    private final String cardStyle;
    private final String couponFrameStyle;
    private final String buttonStyle;

    /**
     * @param storeName           shown in the header (when there is no logo), the footer and the why line; required
     * @param logoUrl             absolute http(s) URL of the logo, or empty for the store name in text
     * @param brandColour         #rrggbb of the header rule, the button and the coupon frame
     * @param postalAddress       the store's postal address, required
     * @param whyLine             the "why you got this" line, or empty for the localized default ({store} is the store name)
     * @param placeholderImageUrl absolute URL shown for a product without an image, or empty for a plain block
     * @param recommendations     at most this many recommended products (0: none)
     */
    public EmailLayout(String storeName, String logoUrl, String brandColour, String postalAddress, String whyLine,
                       String placeholderImageUrl, int recommendations) {
        this.storeName = required("cartrecovery.email.store-name", storeName);
        this.logoUrl = url("cartrecovery.email.logo-url", logoUrl);
        this.brandColour = colour(brandColour);
        this.postalAddress = required("cartrecovery.email.postal-address", postalAddress);
        this.whyLine = blankToNull(whyLine);
        this.placeholderImageUrl = url("cartrecovery.email.placeholder-image-url", placeholderImageUrl);
        if (recommendations < 0 || recommendations > MAX_RECOMMENDATIONS) {
            throw new IllegalArgumentException("cartrecovery.email.recommendations: must be from 0 to "
                    + MAX_RECOMMENDATIONS + " (was " + recommendations + ")");
        }
        this.recommendations = recommendations;
        // Thymeleaf 2.1 evaluates 'text' + ${colour} by trying each operand as a number first (a BigDecimal and its
        // NumberFormatException per operand): eight exceptions per message, about 2% of a preparing thread's CPU.
        this.cardStyle = "width:100%;max-width:600px;background-color:#ffffff;font-family:Arial,Helvetica,sans-serif;"
                + "color:#222222;border-top:4px solid " + this.brandColour + ";";
        this.couponFrameStyle = "border:2px dashed " + this.brandColour + ";font-size:16px;line-height:24px;";
        this.buttonStyle = "border-radius:4px;background-color:" + this.brandColour + ";";
    }

    /** The defaults of common.properties, with this store name. */
    public static EmailLayout defaults(String storeName) {
        return new EmailLayout(storeName, "", DEFAULT_BRAND_COLOUR, EXAMPLE_POSTAL_ADDRESS, "", "",
                DEFAULT_RECOMMENDATIONS);
    }

    /** As the settings give them: an empty store name means the sender's name ({@code fromName}). */
    public static EmailLayout of(String storeName, String fromName, String logoUrl, String brandColour,
                                 String postalAddress, String whyLine, String placeholderImageUrl, int recommendations) {
        boolean unset = storeName == null || storeName.trim().isEmpty();
        return new EmailLayout(unset ? fromName : storeName, logoUrl, brandColour, postalAddress, whyLine,
                placeholderImageUrl, recommendations);
    }

    public String getStoreName() { return storeName; }
    /** Null when the header shows the store name instead. */
    public String getLogoUrl() { return logoUrl; }
    public String getBrandColour() { return brandColour; }
    public String getPostalAddress() { return postalAddress; }
    /** Null for the localized default. */
    public String getWhyLine() { return whyLine; }
    /** Null for a plain block. */
    public String getPlaceholderImageUrl() { return placeholderImageUrl; }
    public int getRecommendations() { return recommendations; }
    /** The card's style: white, the brand colour's rule on top. */
    public String getCardStyle() { return cardStyle; }
    /** The coupon's dashed frame in the brand colour. */
    public String getCouponFrameStyle() { return couponFrameStyle; }
    /** The button cell's background in the brand colour. */
    public String getButtonStyle() { return buttonStyle; }

    private static String required(String setting, String value) {
        if (value == null || value.trim().isEmpty()) {
            throw new IllegalArgumentException(setting + ": required, may not be empty");
        }
        return value.trim();
    }

    private static String url(String setting, String value) {
        String url = blankToNull(value);
        if (url != null && !url.matches("(?i)https?://[^\\s\"'<>]+")) {
            throw new IllegalArgumentException(setting + ": must be an absolute http(s) URL without spaces or quotes"
                    + " (was '" + url + "')");
        }
        return url;
    }

    private static String colour(String value) {
        String colour = value == null ? "" : value.trim();
        if (!COLOUR.matcher(colour).matches()) {
            throw new IllegalArgumentException("cartrecovery.email.brand-colour: must be a colour written #rrggbb, e.g. "
                    + DEFAULT_BRAND_COLOUR + " (was '" + value + "')");
        }
        return colour.toLowerCase(java.util.Locale.ROOT);
    }

    private static String blankToNull(String value) {
        return value == null || value.trim().isEmpty() ? null : value.trim();
    }
}
