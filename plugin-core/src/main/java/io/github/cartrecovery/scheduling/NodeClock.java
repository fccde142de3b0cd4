package io.github.cartrecovery.scheduling;

import java.time.Clock;
import java.time.Duration;

/**
 * The plugin's clock ({@code crClock}): UTC system time, shifted by {@code cartrecovery.clock.offset-seconds}.
 * The offset exists to rehearse clock skew between nodes (the reliability suite runs nodes minutes apart);
 * a real store leaves it at 0 and keeps its servers on NTP.
 */
public final class NodeClock {

    private NodeClock() {
    }

    public static Clock withOffsetSeconds(long offsetSeconds) {
        Clock system = Clock.systemUTC();
        return offsetSeconds == 0 ? system : Clock.offset(system, Duration.ofSeconds(offsetSeconds));
    }
}
