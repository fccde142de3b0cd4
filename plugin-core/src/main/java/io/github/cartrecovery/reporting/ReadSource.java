package io.github.cartrecovery.reporting;

/**
 * Which database a read went to, and why: the read replica (with the age of its heartbeat), the primary because no
 * replica is configured, or the primary because the replica is unreachable, refused the read or lags too far behind
 * (a fallback, with the reason the admin page shows). Immutable.
 */
public final class ReadSource {

    private static final ReadSource PRIMARY_ONLY = new ReadSource(false, false, null, null);

    private final boolean replica;
    private final boolean fallback;
    private final Long lagSeconds;
    private final String reason;

    private ReadSource(boolean replica, boolean fallback, Long lagSeconds, String reason) {
        this.replica = replica;
        this.fallback = fallback;
        this.lagSeconds = lagSeconds;
        this.reason = reason;
    }

    /** No replica is configured: everything reads the primary, and there is nothing to say about it. */
    public static ReadSource primaryOnly() {
        return PRIMARY_ONLY;
    }

    static ReadSource replica(long lagSeconds) {
        return new ReadSource(true, false, lagSeconds, null);
    }

    static ReadSource fallback(String reason) {
        return new ReadSource(false, true, null, reason);
    }

    /** The read went to the replica. */
    public boolean isReplica() { return replica; }
    /** A replica is configured, but the read went to the primary; {@link #getReason()} says why. */
    public boolean isFallback() { return fallback; }
    /** Reading the replica: how old its newest heartbeat was at the last check (an upper bound of its lag), in seconds. */
    public Long getLagSeconds() { return lagSeconds; }
    /** Falling back: why the replica was not used (unreachable, refused the read, or lagging). */
    public String getReason() { return reason; }

    /** One line for a response header or a log: {@code replica (heartbeat 12 s old)}, {@code primary (fallback: ...)} or {@code primary}. */
    public String describe() {
        if (replica) {
            return "replica (heartbeat " + lagSeconds + " s old)";
        }
        return fallback ? "primary (fallback: " + reason + ")" : "primary";
    }

    @Override
    public String toString() {
        return describe();
    }
}
