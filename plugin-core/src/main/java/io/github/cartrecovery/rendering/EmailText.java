package io.github.cartrecovery.rendering;

/**
 * The plain-text part of a layout-based email, written from the same {@link EmailContent} as its HTML part:
 * the same words, items, notes, coupon, links, recommendations and footer, in the same order. Nothing is
 * escaped (plain text is not HTML).
 */
final class EmailText {

    private EmailText() {
    }

    static String of(EmailContent content) {
        StringBuilder text = new StringBuilder();
        text.append(content.getGreeting()).append("\n\n");
        text.append(content.getHeading()).append('\n');
        text.append(content.getIntro()).append("\n\n");
        for (EmailContent.Item item : content.getItems()) {
            text.append("- ").append(item.getName()).append(" x ").append(item.getQuantity()).append(": ")
                    .append(item.getPrice());
            if (item.getPriceNoteText() != null) {
                text.append(' ').append(item.getPriceNoteText());
            }
            if (item.getStockNoteText() != null) {
                text.append(" - ").append(item.getStockNoteText());
            }
            text.append('\n');
            if (item.getOptions() != null) {
                text.append("  ").append(item.getOptions()).append('\n');
            }
            if (item.getLink() != null) {
                text.append("  ").append(item.getLink()).append('\n');
            }
        }
        if (content.isShowTotal()) {
            text.append('\n').append(content.getTotalLabel()).append(": ").append(content.getTotal()).append("\n\n");
        } else {
            text.append('\n');
        }
        if (content.getCouponText() != null) {
            text.append(content.getCouponText()).append("\n\n");
        }
        text.append(content.getButtonLabel()).append(": ").append(content.getButtonUrl()).append("\n\n");
        if (!content.getRecommendations().isEmpty()) {
            text.append(content.getRecommendationsHeading()).append('\n');
            for (EmailContent.Item item : content.getRecommendations()) {
                text.append("- ").append(item.getName()).append(": ").append(item.getPrice());
                if (item.getLink() != null) {
                    text.append("  ").append(item.getLink());
                }
                text.append('\n');
            }
            text.append('\n');
        }
        text.append("--\n");
        text.append(content.getWhy()).append('\n');
        text.append(content.getLayout().getStoreName()).append(", ").append(content.getLayout().getPostalAddress())
                .append('\n');
        text.append(content.getUnsubscribeLabel()).append(": ").append(content.getUnsubscribeUrl()).append('\n');
        return text.toString();
    }
}
