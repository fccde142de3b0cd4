package io.github.cartrecovery.rendering;

/**
 * The links of one message as templates use them: {@code ${restoreUrl}}, {@code ${unsubscribeUrl}},
 * {@code ${openPixelUrl}} (null: no pixel) and {@code ${links.click(line.productUrl)}} for any other link.
 */
public interface TrackedLinks {

    String getRestoreUrl();

    String getUnsubscribeUrl();

    /** Null when the message has no open tracking (previews). */
    String getOpenPixelUrl();

    /** A tracked link to {@code target}; the target itself when it cannot be tracked; null for null. */
    String click(String target);
}
