package io.github.cartrecovery.state;

import java.time.Clock;
import java.time.Instant;

/**
 * When the plugin was first switched on in this store (CR_SETTING.ACTIVATED_AT, written once by the
 * first node to start). Carts idle since before then belong to the store's history and are never
 * abandoned, so installing the plugin does not email every old cart.
 */
public class PluginActivation {

    static final String ACTIVATED_AT = "ACTIVATED_AT";

    private final PluginSettings settings;
    private final Clock clock;
    private volatile Instant activatedAt;

    public PluginActivation(PluginSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** The activation instant, recording now as the activation on the very first call in this store. */
    public Instant activatedAt() {
        Instant known = activatedAt;
        if (known != null) {
            return known;
        }
        String stored = settings.read(ACTIVATED_AT);
        if (stored == null) {
            settings.insertIfAbsent(ACTIVATED_AT, clock.instant().toString());
            stored = settings.read(ACTIVATED_AT); // another node may have won the insert
        }
        known = Instant.parse(stored);
        activatedAt = known;
        return known;
    }
}
