package io.github.cartrecovery.tracking;

import java.time.Instant;

/**
 * One request on a tracked link (open pixel, click, restore) as the scanner rules see it. The client address is
 * held for the rules of this request only and never stored.
 */
public final class LinkVisit {

    private final String method;
    private final String userAgent;
    private final String remoteAddress;
    private final Instant at;

    public LinkVisit(String method, String userAgent, String remoteAddress, Instant at) {
        this.method = method;
        this.userAgent = userAgent;
        this.remoteAddress = remoteAddress;
        this.at = at;
    }

    public String getMethod() { return method; }
    public String getUserAgent() { return userAgent; }
    public String getRemoteAddress() { return remoteAddress; }
    public Instant getAt() { return at; }
}
