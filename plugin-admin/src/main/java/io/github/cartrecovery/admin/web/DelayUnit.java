package io.github.cartrecovery.admin.web;

/** The units the campaign editor offers for a step's delay; it is stored in minutes (CR_CAMPAIGN_STEP.DELAY_MINUTES). */
public enum DelayUnit {
    MINUTES(1),
    HOURS(60),
    DAYS(24 * 60);

    final int minutes;

    DelayUnit(int minutes) {
        this.minutes = minutes;
    }

    /** Days when the delay is a whole number of days, else hours when whole hours, else minutes (0 shows in minutes). */
    public static DelayUnit largestWholeUnit(int delayMinutes) {
        if (delayMinutes != 0 && delayMinutes % DAYS.minutes == 0) {
            return DAYS;
        }
        if (delayMinutes != 0 && delayMinutes % HOURS.minutes == 0) {
            return HOURS;
        }
        return MINUTES;
    }

    public int getMinutes() {
        return minutes;
    }
}
