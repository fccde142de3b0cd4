package io.github.cartrecovery.site.web;

import java.io.IOException;
import java.time.Clock;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;

import io.github.cartrecovery.links.LinkPurpose;
import io.github.cartrecovery.links.LinkTokens;
import io.github.cartrecovery.links.ShortRestoreLinks;
import io.github.cartrecovery.links.StoreUrls;
import io.github.cartrecovery.site.restore.CartRestorer;
import io.github.cartrecovery.site.restore.LandingPages;
import io.github.cartrecovery.site.restore.RestoreOutcome;
import io.github.cartrecovery.tracking.TrackedMessages;
import io.github.cartrecovery.tracking.VisitVerdict;

/**
 * {@code GET /cart-recovery/restore/<token>}: the restore link of a recovery email. A valid token records
 * a CLICKED event and copies the cart into the visitor's own cart ({@link CartRestorer}), then redirects to the cart page with the
 * configured UTM parameters; a bought cart gets the "order complete" page; any link that is not valid gets
 * the same plain 404 page, which shows nothing of any cart.
 * <p>A link-scanning gateway ({@link io.github.cartrecovery.tracking.ScannerRules}: HEAD, a scanner's user agent or
 * address) is recorded as SCANNED and redirected to the cart page without restoring anything; a GET within seconds of
 * sending (probably a gateway, possibly a quick shopper) restores into the visitor's own session but is SCANNED too,
 * so neither counts as a click nor earns "recovered" credit. Repeated visits are bounded per message.
 * <p>{@code GET /cart-recovery/s/<token>}: the short restore link of a text message ({@link ShortRestoreLinks}),
 * handled exactly the same way once its token is verified.
 */
@Controller
public class RestoreLandingController {

    public static final String PATH = "/cart-recovery/restore/{token}";
    public static final String SHORT_PATH = "/cart-recovery/s/{token}";

    private final LinkTokens tokens;
    private final ShortRestoreLinks shortLinks;
    private final TrackedMessages messages;
    private final CartRestorer restorer;
    private final StoreUrls store;
    private final Clock clock;
    private final LandingResponses responses;

    @Autowired
    public RestoreLandingController(@Qualifier("crLinkTokens") LinkTokens tokens,
                                    @Qualifier("crShortRestoreLinks") ShortRestoreLinks shortLinks,
                                    @Qualifier("crTrackedMessages") TrackedMessages messages,
                                    @Qualifier("crCartRestorer") CartRestorer restorer,
                                    @Qualifier("crStoreUrls") StoreUrls store,
                                    @Qualifier("crClock") Clock clock,
                                    @Qualifier("crLandingPages") LandingPages pages) {
        this.tokens = tokens;
        this.shortLinks = shortLinks;
        this.messages = messages;
        this.restorer = restorer;
        this.store = store;
        this.clock = clock;
        this.responses = new LandingResponses(pages, store.homePath());
    }

    @RequestMapping(value = PATH, method = {RequestMethod.GET, RequestMethod.HEAD})
    public void restore(@PathVariable("token") String token, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        restore(tokens.verify(token, LinkPurpose.RESTORE, null, clock.instant()), request, response);
    }

    @RequestMapping(value = SHORT_PATH, method = {RequestMethod.GET, RequestMethod.HEAD})
    public void restoreShort(@PathVariable("token") String token, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        restore(shortLinks.verify(token, clock.instant()), request, response);
    }

    private void restore(Long plannedMessageId, HttpServletRequest request, HttpServletResponse response) throws IOException {
        TrackedMessages.TrackedMessage message = plannedMessageId == null ? null : messages.find(plannedMessageId);
        if (message == null) {
            responses.invalidLink(request, response);
            return;
        }
        VisitVerdict verdict = messages.recordVisit(message, TrackedMessages.CLICKED, "restore",
                LandingResponses.visit(request, clock));
        if (!verdict.mayRestore()) {
            toCart(request, response, message);
            return;
        }
        RestoreOutcome outcome = restorer.restore(message.getId(), message.getOrderId());
        if (outcome.showsCart()) {
            toCart(request, response, message);
        } else if (outcome == RestoreOutcome.PURCHASED) {
            responses.page(response, HttpServletResponse.SC_OK, "order-complete", responses.variables(request));
        } else {
            responses.page(response, HttpServletResponse.SC_OK, "nothing-to-restore", responses.variables(request));
        }
    }

    /** To the store's cart page, with the UTM parameters of the message the link came from. */
    private void toCart(HttpServletRequest request, HttpServletResponse response, TrackedMessages.TrackedMessage message)
            throws IOException {
        responses.redirect(response, store.withUtm(request.getContextPath() + store.cartPath(), message.getChannel(),
                message.getTriggerType()));
    }
}
