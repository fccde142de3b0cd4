package io.github.cartrecovery.links;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.github.cartrecovery.delivery.RecoveryLinks;

/**
 * The plugin's {@link RecoveryLinks}: every URL carries a {@link LinkTokens} token for one planned message
 * and purpose, expiring {@code validDays} after the email is rendered (unsubscribe links live longer,
 * {@code unsubscribeValidDays}, because mail clients offer them long after the email arrived).
 * Paths (served by plugin-site): {@code /cart-recovery/restore/<t>}, {@code /cart-recovery/unsubscribe/<t>},
 * {@code /cart-recovery/open/<t>}, {@code /cart-recovery/click/<t>?u=<target>}.
 */
public class SignedRecoveryLinks implements RecoveryLinks {

    public static final String RESTORE_PATH = "/cart-recovery/restore/";
    public static final String UNSUBSCRIBE_PATH = "/cart-recovery/unsubscribe/";
    public static final String OPEN_PATH = "/cart-recovery/open/";
    public static final String CLICK_PATH = "/cart-recovery/click/";

    private final StoreUrls store;
    private final String unsubscribeMailbox;
    private final LinkTokens tokens;
    private final Clock clock;
    private final Duration validity;
    private final Duration unsubscribeValidity;
    private final boolean openPixel;

    /** With the open pixel on. */
    public SignedRecoveryLinks(StoreUrls store, String unsubscribeMailbox, LinkTokens tokens, Clock clock,
                               int validDays, int unsubscribeValidDays) {
        this(store, unsubscribeMailbox, tokens, clock, validDays, unsubscribeValidDays, true);
    }

    /** {@code openPixel} false ({@code cartrecovery.tracking.open-pixel}): emails carry no open pixel. */
    public SignedRecoveryLinks(StoreUrls store, String unsubscribeMailbox, LinkTokens tokens, Clock clock,
                               int validDays, int unsubscribeValidDays, boolean openPixel) {
        if (validDays < 1 || unsubscribeValidDays < 1) {
            throw new IllegalStateException("cartrecovery.links.valid-days and cartrecovery.links.unsubscribe-valid-days "
                    + "must be at least 1");
        }
        this.store = store;
        this.unsubscribeMailbox = unsubscribeMailbox;
        this.tokens = tokens;
        this.clock = clock;
        this.validity = Duration.ofDays(validDays);
        this.unsubscribeValidity = Duration.ofDays(unsubscribeValidDays);
        this.openPixel = openPixel;
    }

    @Override
    public String restoreUrl(long plannedMessageId, long orderId) {
        return store.baseUrl() + RESTORE_PATH + token(LinkPurpose.RESTORE, plannedMessageId, validity, null);
    }

    @Override
    public String unsubscribeUrl(long plannedMessageId) {
        return store.baseUrl() + UNSUBSCRIBE_PATH + token(LinkPurpose.UNSUBSCRIBE, plannedMessageId, unsubscribeValidity, null);
    }

    @Override
    public String unsubscribeMailto(long plannedMessageId) {
        return "mailto:" + unsubscribeMailbox + "?subject=unsubscribe-"
                + token(LinkPurpose.UNSUBSCRIBE, plannedMessageId, unsubscribeValidity, null);
    }

    @Override
    public String openPixelUrl(long plannedMessageId) {
        if (!openPixel) {
            return null; // the templates leave the <img> out
        }
        return store.baseUrl() + OPEN_PATH + token(LinkPurpose.OPEN, plannedMessageId, validity, null);
    }

    @Override
    public String clickUrl(long plannedMessageId, String target) {
        if (target == null || target.trim().isEmpty()) {
            return null;
        }
        String absolute = store.resolve(target.trim());
        if (absolute == null) {
            return target; // not a store URL: never wrapped in a redirect
        }
        return store.baseUrl() + CLICK_PATH + token(LinkPurpose.CLICK, plannedMessageId, validity, absolute)
                + "?u=" + StoreUrls.encode(absolute);
    }

    private String token(LinkPurpose purpose, long plannedMessageId, Duration valid, String target) {
        Instant expires = clock.instant().plus(valid);
        return tokens.issue(purpose, plannedMessageId, expires, target);
    }
}
