package io.github.cartrecovery.formatting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Timestamp;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class StoreTimeTest {

    private static final Instant MOMENT = Instant.parse("2026-07-01T22:30:15Z");

    @Test
    void showsAMomentInTheStoresZoneWhateverTheServersZone() {
        StoreTime berlin = new StoreTime("Europe/Berlin");

        assertThat(berlin.minutes(MOMENT)).isEqualTo("2026-07-02 00:30");
        assertThat(berlin.seconds(Timestamp.from(MOMENT))).isEqualTo("2026-07-02 00:30:15");
        assertThat(berlin.zoneName()).isEqualTo("Europe/Berlin");
    }

    @Test
    void showsNothingForAMissingMoment() {
        assertThat(new StoreTime("UTC").minutes(null)).isEmpty();
    }

    @Test
    void refusesAnUnknownZoneNamingTheSetting() {
        assertThatThrownBy(() -> new StoreTime("Mars/Olympus")).hasMessageContaining("cartrecovery.campaigns.store-time-zone");
    }
}
