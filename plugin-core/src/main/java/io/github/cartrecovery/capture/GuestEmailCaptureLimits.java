package io.github.cartrecovery.capture;

/**
 * What the storefront capture endpoint lets one shopper send: the largest request body it reads and
 * the two rate limits (per session, per client IP). Declared in the core patch file so the values come
 * from {@code blConfiguration} and the limiters are shared by every request on this node.
 */
public class GuestEmailCaptureLimits {

    private final int maxBodyBytes;
    private final RequestRateLimiter perSession;
    private final RequestRateLimiter perClientIp;

    public GuestEmailCaptureLimits(int maxBodyBytes, RequestRateLimiter perSession, RequestRateLimiter perClientIp) {
        if (maxBodyBytes < 64) {
            throw new IllegalArgumentException("cartrecovery.capture.email.max-body-bytes must be at least 64, was "
                    + maxBodyBytes);
        }
        this.maxBodyBytes = maxBodyBytes;
        this.perSession = perSession;
        this.perClientIp = perClientIp;
    }

    public int getMaxBodyBytes() { return maxBodyBytes; }
    public RequestRateLimiter getPerSession() { return perSession; }
    public RequestRateLimiter getPerClientIp() { return perClientIp; }
}
