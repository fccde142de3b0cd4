package io.github.cartrecovery.rendering;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import io.github.cartrecovery.coupon.IssuedCoupon;

/**
 * Everything one layout-based email says, in the order it says it: header, greeting, the cart's items with their
 * notes, the coupon, the button, recommendations and the footer (why you got this, postal address, unsubscribe).
 * The HTML part ({@code cartrecovery/email/layout/email.html}) and the text part ({@link EmailText}) are both
 * made from it, so they cannot drift apart. Words come from {@link EmailCopy}; money is formatted in the cart's
 * currency and locale; links are the message's (tracked when delivery sends it). Immutable.
 */
public final class EmailContent {

    private final String language;
    private final String subject;
    private final EmailLayout layout;
    private final String preheader;
    private final String heading;
    private final String greeting;
    private final String intro;
    private final String itemLabel;
    private final String quantityLabel;
    private final String priceLabel;
    private final String totalLabel;
    private final List<Item> items;
    private final String total;
    private final IssuedCoupon coupon;
    private final String couponIntro;
    private final String couponTerms;
    private final String couponText;
    private final String buttonLabel;
    private final String buttonUrl;
    private final String recommendationsHeading;
    private final List<Item> recommendations;
    private final String why;
    private final String unsubscribeLabel;
    private final String unsubscribeUrl;
    private final String openPixelUrl;

    EmailContent(EmailModel model, EmailLayout layout, EmailCopy.Words words) {
        RecoveryCart cart = model.getCart();
        Locale locale = EmailRenderer.locale(cart.getLocaleCode());
        String currency = cart.getCurrencyCode();
        TrackedLinks links = model.getLinks();
        this.language = words.getLanguage();
        this.subject = model.getSubject();
        this.layout = layout;
        this.preheader = words.get("preheader");
        this.heading = words.get("heading");
        this.greeting = cart.getFirstName() == null || cart.getFirstName().trim().isEmpty()
                ? words.get("greeting") : words.get("greeting.named", cart.getFirstName());
        this.intro = words.get("intro");
        this.itemLabel = words.get("label.item");
        this.quantityLabel = words.get("label.quantity");
        this.priceLabel = words.get("label.price");
        this.totalLabel = words.get("label.total");
        List<Item> items = new ArrayList<Item>();
        for (CartLine line : cart.getLines()) {
            String price = EmailRenderer.money(line.getUnitPrice(), currency, locale);
            String was = line.isPriceDrop() ? EmailRenderer.money(line.getPriceWhenAdded(), currency, locale) : null;
            items.add(new Item(line.getName(), line.getOptions(), line.getQuantity(), price, line.getImageUrl(),
                    links.click(line.getProductUrl()),
                    was == null ? null : words.get("note.price-drop", price, was),
                    was == null ? null : words.get("note.price-drop.text", was),
                    line.getStockLeft() == null ? null : words.get("note.low-stock", line.getStockLeft()),
                    line.getStockLeft() == null ? null : words.get("note.low-stock.text", line.getStockLeft())));
        }
        this.items = Collections.unmodifiableList(items);
        this.total = EmailRenderer.money(cart.total(), currency, locale);
        this.coupon = model.getCoupon();
        this.couponIntro = coupon == null ? null : words.get("coupon.intro", coupon.getDiscount());
        this.couponTerms = coupon == null ? null : words.get("coupon.terms", coupon.getExpires());
        this.couponText = coupon == null ? null
                : words.get("coupon.text", coupon.getDiscount(), coupon.getCode(), coupon.getExpires());
        this.buttonLabel = words.get("button");
        this.buttonUrl = links.getRestoreUrl();
        this.recommendationsHeading = words.get("recommendations.heading");
        List<Item> recommended = new ArrayList<Item>();
        for (Recommendation recommendation : cart.getRecommendations()) {
            if (recommended.size() == layout.getRecommendations()) {
                break;
            }
            recommended.add(new Item(recommendation.getName(), null, 0,
                    EmailRenderer.money(recommendation.getPrice(), currency, locale), recommendation.getImageUrl(),
                    links.click(recommendation.getProductUrl()), null, null, null, null));
        }
        this.recommendations = Collections.unmodifiableList(recommended);
        this.why = (layout.getWhyLine() == null ? words.get("why") : layout.getWhyLine())
                .replace("{store}", layout.getStoreName());
        this.unsubscribeLabel = words.get("unsubscribe");
        this.unsubscribeUrl = links.getUnsubscribeUrl();
        this.openPixelUrl = links.getOpenPixelUrl();
    }

    /** The language of the words (the html element's lang). */
    public String getLanguage() { return language; }
    public String getSubject() { return subject; }
    public EmailLayout getLayout() { return layout; }
    /** The line mail clients show after the subject. */
    public String getPreheader() { return preheader; }
    public String getHeading() { return heading; }
    public String getGreeting() { return greeting; }
    public String getIntro() { return intro; }
    public String getItemLabel() { return itemLabel; }
    public String getQuantityLabel() { return quantityLabel; }
    public String getPriceLabel() { return priceLabel; }
    public String getTotalLabel() { return totalLabel; }
    /** False for a list of products rather than a cart (a template whose copy leaves label.total empty). */
    public boolean isShowTotal() { return totalLabel != null && !totalLabel.trim().isEmpty(); }
    public List<Item> getItems() { return items; }
    public String getTotal() { return total; }
    /** Null when the message has no coupon. */
    public IssuedCoupon getCoupon() { return coupon; }
    public String getCouponIntro() { return couponIntro; }
    public String getCouponTerms() { return couponTerms; }
    /** The coupon in one sentence, for the text part. */
    public String getCouponText() { return couponText; }
    public String getButtonLabel() { return buttonLabel; }
    public String getButtonUrl() { return buttonUrl; }
    public String getRecommendationsHeading() { return recommendationsHeading; }
    /** At most {@link EmailLayout#getRecommendations()}. */
    public List<Item> getRecommendations() { return recommendations; }
    public String getWhy() { return why; }
    public String getUnsubscribeLabel() { return unsubscribeLabel; }
    public String getUnsubscribeUrl() { return unsubscribeUrl; }
    /** Null: no open pixel (previews). */
    public String getOpenPixelUrl() { return openPixelUrl; }

    /** A cart item or a recommended product as the email shows it. Immutable. */
    public static final class Item {
        private final String name;
        private final String options;
        private final int quantity;
        private final String price;
        private final String imageUrl;
        private final String link;
        private final String priceNote;
        private final String priceNoteText;
        private final String stockNote;
        private final String stockNoteText;

        Item(String name, String options, int quantity, String price, String imageUrl, String link, String priceNote,
             String priceNoteText, String stockNote, String stockNoteText) {
            this.name = name;
            this.options = options;
            this.quantity = quantity;
            this.price = price;
            this.imageUrl = imageUrl;
            this.link = link;
            this.priceNote = priceNote;
            this.priceNoteText = priceNoteText;
            this.stockNote = stockNote;
            this.stockNoteText = stockNoteText;
        }

        /** Also the image's alt text. */
        public String getName() { return name; }
        public String getOptions() { return options; }
        public int getQuantity() { return quantity; }
        public String getPrice() { return price; }
        /** Null: the layout shows the placeholder. */
        public String getImageUrl() { return imageUrl; }
        /** The (tracked) product link, null when the product has no page. */
        public String getLink() { return link; }
        /** "Now $8.00, was $10.00", null without a price drop. */
        public String getPriceNote() { return priceNote; }
        public String getPriceNoteText() { return priceNoteText; }
        /** "Only 3 left", null unless stock is low. */
        public String getStockNote() { return stockNote; }
        public String getStockNoteText() { return stockNoteText; }
    }
}
