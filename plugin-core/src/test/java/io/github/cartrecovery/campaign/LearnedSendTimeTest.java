package io.github.cartrecovery.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Collections;

import org.junit.jupiter.api.Test;

import io.github.cartrecovery.experiment.bandit.EngagementHours;
import io.github.cartrecovery.experiment.bandit.SendTimeChoice;

/** The planner's learned send time: up to a few hours later, at the hour the shopper engaged, never in quiet hours. */
class LearnedSendTimeTest {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final ShopperTimeZones ZONES = new ShopperTimeZones("Europe/Berlin", "", "");
    /** 10:00 in Berlin. */
    static final Instant ABANDONED = Instant.parse("2026-03-02T09:00:00Z");

    LearnedSendTime learned = new LearnedSendTime(true, 3, 12, 60, ZONES);

    @Test
    void aStepGoesOutAtTheHourTheShopperOpenedEarlierMessages() {
        EngagementHours shopper = EngagementHours.of(Arrays.asList(14, 14, 14, 9));

        SendTimeChoice choice = learned.choose(ABANDONED, BERLIN, 60, shopper, EngagementHours.none(), QuietHours.none());

        assertThat(choice.getSendAt().atZone(BERLIN).getHour()).isEqualTo(14);
        assertThat(choice.getDelayMinutes()).isEqualTo(4 * 60);
        assertThat(choice.getBasis()).isEqualTo(SendTimeChoice.Basis.SHOPPER);
    }

    @Test
    void quietHoursStillWin() {
        EngagementHours lateNight = EngagementHours.of(Arrays.asList(22, 22, 22, 23, 23));

        SendTimeChoice choice = learned.choose(ABANDONED, BERLIN, 60, lateNight, EngagementHours.none(),
                QuietHours.parse("21:00-08:00"));

        int hour = choice.getSendAt().atZone(BERLIN).getHour();
        assertThat(hour).isBetween(8, 20);
        assertThat(choice.getSendAt().atZone(BERLIN).toLocalTime()).isNotNull();
    }

    @Test
    void aShopperWithTooFewEngagementsIsJudgedByTheirSegment() {
        SendTimeChoice choice = learned.choose(ABANDONED, BERLIN, 60, EngagementHours.of(Collections.singletonList(20)),
                EngagementHours.of(Arrays.asList(16, 16, 16)), QuietHours.none());

        assertThat(choice.getSendAt().atZone(BERLIN).getHour()).isEqualTo(16);
        assertThat(choice.getBasis()).isEqualTo(SendTimeChoice.Basis.SEGMENT);
    }

    @Test
    void aShiftBeyondTheSettingIsRefusedWithTheSettingsName() {
        assertThatThrownBy(() -> new LearnedSendTime(true, 3, 24, 60, ZONES))
                .hasMessageContaining("cartrecovery.send-time.learned.max-shift-hours: 1 to 23 (was 24)");
    }
}
