package io.github.cartrecovery.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;

import org.junit.jupiter.api.Test;

class ShopperTimeZonesTest {

    private final ShopperTimeZones zones = new ShopperTimeZones("Europe/London", "de=Europe/Berlin,en_US=America/New_York", "7=Asia/Tokyo");

    @Test
    void siteWinsOverLocale() {
        assertThat(zones.zoneFor(7L, "de_DE")).isEqualTo(ZoneId.of("Asia/Tokyo"));
    }

    @Test
    void fullLocaleThenLanguage() {
        assertThat(zones.zoneFor(null, "en_US")).isEqualTo(ZoneId.of("America/New_York"));
        assertThat(zones.zoneFor(null, "de_AT")).isEqualTo(ZoneId.of("Europe/Berlin"));
    }

    @Test
    void fallsBackToTheStoresZone() {
        assertThat(zones.zoneFor(1L, "fr_FR")).isEqualTo(ZoneId.of("Europe/London"));
        assertThat(zones.zoneFor(null, null)).isEqualTo(ZoneId.of("Europe/London"));
    }
}
