package io.github.cartrecovery.operations;

import java.time.Instant;

/**
 * Something wrong that an operator should hear about: the reason a check is DOWN, or a delivery-quality threshold
 * crossed. {@code key} names the incident it belongs to ({@code mail-server}, {@code job-stalled:<job>}...), so the
 * same trouble seen on every node and in every run is one incident. {@code since}: when it started, if known.
 */
public final class Problem {

    private final String key;
    private final String summary;
    private final Instant since;

    public Problem(String key, String summary, Instant since) {
        if (key == null || !key.matches("[a-z0-9:._-]{1,160}")) {
            throw new IllegalArgumentException("problem key must be 1-160 lowercase letters, digits or :._- : " + key);
        }
        this.key = key;
        this.summary = summary;
        this.since = since;
    }

    public String getKey() { return key; }
    public String getSummary() { return summary; }
    /** When the trouble started, or null when the check cannot tell. */
    public Instant getSince() { return since; }

    @Override
    public String toString() {
        return key + ": " + summary;
    }
}
