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
import io.github.cartrecovery.links.StoreUrls;
import io.github.cartrecovery.site.restore.LandingPages;
import io.github.cartrecovery.tracking.TrackedMessages;

/**
 * Open and click tracking.
 * <ul>
 * <li>{@code GET /cart-recovery/open/<token>}: a 1x1 transparent GIF, always (no oracle); a valid token
 * records OPENED, unless the open pixel is switched off (then nothing is recorded).</li>
 * <li>{@code GET /cart-recovery/click/<token>?u=<url>}: the token signs the target, and the target must be
 * a URL on the store's configured hosts; then CLICKED is recorded and the shopper redirected there with
 * the UTM parameters (naming the message's channel and trigger). Anything else gets the plain invalid-link page: never an open redirect.</li>
 * </ul>
 * Both answer HEAD the same way without a body. A link-scanning gateway's visit (HEAD, a scanner's user agent, a
 * fetch within seconds of sending: {@link io.github.cartrecovery.tracking.ScannerRules}) is recorded as SCANNED,
 * never as OPENED or CLICKED; repeated visits are bounded per message ({@link TrackedMessages}).
 */
@Controller
public class TrackingController {

    public static final String OPEN_PATH = "/cart-recovery/open/{token}";
    public static final String CLICK_PATH = "/cart-recovery/click/{token}";

    /** The smallest transparent GIF (1x1, 43 bytes). */
    private static final byte[] PIXEL = {
        0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, (byte) 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
        (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x21, (byte) 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00,
        0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b
    };

    private final LinkTokens tokens;
    private final TrackedMessages messages;
    private final StoreUrls store;
    private final Clock clock;
    private final LandingResponses responses;

    @Autowired
    public TrackingController(@Qualifier("crLinkTokens") LinkTokens tokens,
                              @Qualifier("crTrackedMessages") TrackedMessages messages,
                              @Qualifier("crStoreUrls") StoreUrls store,
                              @Qualifier("crClock") Clock clock,
                              @Qualifier("crLandingPages") LandingPages pages) {
        this.tokens = tokens;
        this.messages = messages;
        this.store = store;
        this.clock = clock;
        this.responses = new LandingResponses(pages, store.homePath());
    }

    @RequestMapping(value = OPEN_PATH, method = {RequestMethod.GET, RequestMethod.HEAD})
    public void open(@PathVariable("token") String token, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (messages.tracksOpens()) {
            Long plannedMessageId = tokens.verify(token, LinkPurpose.OPEN, null, clock.instant());
            TrackedMessages.TrackedMessage message = plannedMessageId == null ? null : messages.find(plannedMessageId);
            if (message != null) {
                messages.recordVisit(message, TrackedMessages.OPENED, null, LandingResponses.visit(request, clock));
            }
        }
        LandingResponses.noStore(response);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("image/gif");
        response.setContentLength(PIXEL.length);
        response.getOutputStream().write(PIXEL);
    }

    @RequestMapping(value = CLICK_PATH, method = {RequestMethod.GET, RequestMethod.HEAD})
    public void click(@PathVariable("token") String token, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String target = request.getParameter("u");
        String allowed = store.resolve(target);
        Long plannedMessageId = allowed == null || !allowed.equals(target) ? null
                : tokens.verify(token, LinkPurpose.CLICK, target, clock.instant());
        TrackedMessages.TrackedMessage message = plannedMessageId == null ? null : messages.find(plannedMessageId);
        if (message == null) {
            responses.invalidLink(request, response);
            return;
        }
        // a scanner is redirected too: it checks the target, and a person misjudged still gets there
        messages.recordVisit(message, TrackedMessages.CLICKED, target, LandingResponses.visit(request, clock));
        responses.redirect(response, store.withUtm(target, message.getChannel(), message.getTriggerType()));
    }
}
