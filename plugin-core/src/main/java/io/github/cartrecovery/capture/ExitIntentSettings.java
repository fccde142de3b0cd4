package io.github.cartrecovery.capture;

/**
 * The exit-intent dialog's settings ({@code cartrecovery.capture.exit-intent.*}), read once at start-up. The storefront
 * ({@code site.web.ExitIntentOffers}) decides per page whether the dialog is offered at all.
 */
public final class ExitIntentSettings {

    private final boolean enabled;
    private final int mobileIdleSeconds;

    /**
     * @throws IllegalArgumentException naming the setting when the idle time is negative
     */
    public ExitIntentSettings(boolean enabled, int mobileIdleSeconds) {
        if (mobileIdleSeconds < 0) {
            throw new IllegalArgumentException("cartrecovery.capture.exit-intent.mobile-idle-seconds must be 0 or more, was "
                    + mobileIdleSeconds);
        }
        this.enabled = enabled;
        this.mobileIdleSeconds = mobileIdleSeconds;
    }

    public boolean isEnabled() {
        return enabled;
    }

    /** Touch devices: how long the page must have been left untouched before hiding it counts as leaving. */
    public int getMobileIdleSeconds() {
        return mobileIdleSeconds;
    }
}
