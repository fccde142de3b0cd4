package io.github.cartrecovery.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

class QuietHoursTest {

    private final QuietHours nights = QuietHours.parse("21:00-08:00");

    @Test
    void leavesADueTimeOutsideQuietHoursAlone() {
        Instant noon = Instant.parse("2026-01-05T12:00:00Z");
        assertThat(nights.nextAllowed(noon, ZoneId.of("UTC"))).isEqualTo(noon);
    }

    @Test
    void movesALateEveningDueTimeToTheNextMorning() {
        assertThat(nights.nextAllowed(Instant.parse("2026-01-05T22:30:00Z"), ZoneId.of("UTC")))
                .isEqualTo(Instant.parse("2026-01-06T08:00:00Z"));
    }

    @Test
    void movesAnEarlyMorningDueTimeToEightTheSameDay() {
        assertThat(nights.nextAllowed(Instant.parse("2026-01-06T03:10:00Z"), ZoneId.of("UTC")))
                .isEqualTo(Instant.parse("2026-01-06T08:00:00Z"));
    }

    @Test
    void usesTheShoppersTimeZone() {
        // 14:00 UTC is 23:00 in Tokyo: quiet there, moved to 08:00 Tokyo = 23:00 UTC.
        assertThat(nights.nextAllowed(Instant.parse("2026-01-05T14:00:00Z"), ZoneId.of("Asia/Tokyo")))
                .isEqualTo(Instant.parse("2026-01-05T23:00:00Z"));
    }

    @Test
    void emptyConfigurationMeansNoQuietHours() {
        Instant midnight = Instant.parse("2026-01-05T00:00:00Z");
        assertThat(QuietHours.parse("").nextAllowed(midnight, ZoneId.of("UTC"))).isEqualTo(midnight);
    }

    @Test
    void rejectsMalformedConfiguration() {
        assertThatThrownBy(() -> QuietHours.parse("21:00")).hasMessageContaining("21:00-08:00");
    }

    @Test
    void detectsOverlappingWindows() {
        assertThat(nights.overlaps(QuietHours.parse("07:00-09:00"))).isTrue();
        assertThat(nights.overlaps(QuietHours.parse("12:00-13:00"))).isFalse();
    }

    @Test
    void honoursSeveralWindows() {
        QuietHours nightsAndLunch = QuietHours.parse("21:00-08:00, 12:30-13:30");
        assertThat(nightsAndLunch.nextAllowed(Instant.parse("2026-01-05T12:45:00Z"), ZoneId.of("UTC")))
                .isEqualTo(Instant.parse("2026-01-05T13:30:00Z"));
        assertThat(nightsAndLunch.nextAllowed(Instant.parse("2026-01-05T22:00:00Z"), ZoneId.of("UTC")))
                .isEqualTo(Instant.parse("2026-01-06T08:00:00Z"));
    }

    @Test
    void followsWindowsThatTouch() {
        QuietHours touching = QuietHours.parse("21:00-23:00, 23:00-06:00");
        assertThat(touching.nextAllowed(Instant.parse("2026-01-05T22:00:00Z"), ZoneId.of("UTC")))
                .isEqualTo(Instant.parse("2026-01-06T06:00:00Z"));
    }

    @Test
    void rejectsOverlappingWindowsNamingBoth() {
        assertThatThrownBy(() -> QuietHours.parse("21:00-08:00, 07:00-09:00"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cartrecovery.campaigns.quiet-hours")
                .hasMessageContaining("21:00-08:00 and 07:00-09:00 overlap");
    }

    @Test
    void rejectsATimeThatIsNotATimeOfDay() {
        assertThatThrownBy(() -> QuietHours.parse("21:00-25:00"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'25:00' is not a time of day");
    }
}
