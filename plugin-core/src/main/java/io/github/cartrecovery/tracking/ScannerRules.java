package io.github.cartrecovery.tracking;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import inet.ipaddr.IPAddress;
import io.github.cartrecovery.config.ListSetting;

/**
 * Tells link-scanning gateways (Microsoft Safe Links / Defender, Mimecast, Proofpoint, Barracuda, Cisco, ...) from
 * people, so that their visits are neither opens nor clicks nor "recovered" credit. In this order:
 * <ol>
 *   <li>a request that is not a GET (HEAD, OPTIONS): browsers following a link send GET;</li>
 *   <li>no User-Agent, or one containing one of {@code cartrecovery.tracking.scanner-user-agents} (case-insensitive);</li>
 *   <li>a client address within {@code cartrecovery.tracking.scanner-ip-ranges};</li>
 *   <li>a GET within {@code cartrecovery.tracking.scanner-window-seconds} of the message being sent: gateways fetch
 *       every link as the message arrives, often with a browser's user agent; people are not that quick. This
 *       one is an {@link VisitVerdict.Kind#EARLY early} verdict: not counted, but the restore link still works.</li>
 * </ol>
 * Stateless and thread-safe; the address is only compared, never kept.
 */
public class ScannerRules {

    private final List<String> userAgents;
    private final List<IPAddress> ranges;
    private final Duration window;

    public ScannerRules(String userAgents, String ipRanges, int windowSeconds) {
        if (windowSeconds < 0) {
            throw new IllegalArgumentException("cartrecovery.tracking.scanner-window-seconds must be 0 or more, was "
                    + windowSeconds);
        }
        this.userAgents = ListSetting.lowerCase(userAgents);
        this.ranges = ListSetting.ipRanges("cartrecovery.tracking.scanner-ip-ranges", ipRanges);
        this.window = Duration.ofSeconds(windowSeconds);
    }

    /** The verdict on one visit to a link of a message sent at {@code sentAt} (null: not sent, no time rule). */
    public VisitVerdict classify(LinkVisit visit, Instant sentAt) {
        String method = visit.getMethod() == null ? "" : visit.getMethod().toUpperCase(Locale.ROOT);
        if (!"GET".equals(method)) {
            return VisitVerdict.scanner(method.isEmpty() ? "no request method" : method + " request");
        }
        String agent = visit.getUserAgent() == null ? "" : visit.getUserAgent().trim();
        if (agent.isEmpty()) {
            return VisitVerdict.scanner("no user agent");
        }
        String lower = agent.toLowerCase(Locale.ROOT);
        for (String scanner : userAgents) {
            if (lower.contains(scanner)) {
                return VisitVerdict.scanner("scanner user agent (" + scanner + ")");
            }
        }
        IPAddress address = ranges.isEmpty() ? null : IpAddresses.parse(visit.getRemoteAddress());
        if (address != null) {
            for (IPAddress range : ranges) {
                if (range.contains(address)) {
                    return VisitVerdict.scanner("address in scanner range " + range.toCanonicalString());
                }
            }
        }
        if (sentAt != null && visit.getAt() != null && !window.isZero()
                && visit.getAt().isBefore(sentAt.plus(window))) {
            long seconds = Math.max(0, Duration.between(sentAt, visit.getAt()).getSeconds());
            return VisitVerdict.early("within " + seconds + " s of sending");
        }
        return VisitVerdict.person();
    }
}
