package io.github.cartrecovery.campaign;

import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

/**
 * The shopper's time zone for quiet hours: configured per site id, then per locale ("de_AT", then "de"),
 * falling back to the store's zone. Immutable; built from properties such as
 * {@code cartrecovery.campaigns.time-zones-by-locale=de=Europe/Berlin,en_US=America/New_York}.
 */
public final class ShopperTimeZones {

    private final ZoneId storeZone;
    private final Map<String, ZoneId> byLocale;
    private final Map<Long, ZoneId> bySite;

    public ShopperTimeZones(String storeZone, String byLocale, String bySite) {
        this.storeZone = ZoneId.of(storeZone.trim());
        this.byLocale = new HashMap<String, ZoneId>();
        for (Map.Entry<String, String> entry : pairs(byLocale).entrySet()) {
            this.byLocale.put(entry.getKey().toLowerCase(java.util.Locale.ROOT), ZoneId.of(entry.getValue()));
        }
        this.bySite = new HashMap<Long, ZoneId>();
        for (Map.Entry<String, String> entry : pairs(bySite).entrySet()) {
            this.bySite.put(Long.valueOf(entry.getKey()), ZoneId.of(entry.getValue()));
        }
    }

    public ZoneId zoneFor(Long siteId, String localeCode) {
        if (siteId != null && bySite.containsKey(siteId)) {
            return bySite.get(siteId);
        }
        if (localeCode != null && !localeCode.isEmpty()) {
            String code = localeCode.replace('-', '_').toLowerCase(java.util.Locale.ROOT);
            if (byLocale.containsKey(code)) {
                return byLocale.get(code);
            }
            String language = code.split("_")[0];
            if (byLocale.containsKey(language)) {
                return byLocale.get(language);
            }
        }
        return storeZone;
    }

    private static Map<String, String> pairs(String text) {
        Map<String, String> pairs = new HashMap<String, String>();
        if (text == null) {
            return pairs;
        }
        for (String pair : text.split(",")) {
            if (pair.trim().isEmpty()) {
                continue;
            }
            String[] keyValue = pair.split("=");
            if (keyValue.length != 2) {
                throw new IllegalArgumentException("expected key=Zone/Id pairs separated by commas, not '" + pair + "'");
            }
            pairs.put(keyValue[0].trim(), keyValue[1].trim());
        }
        return pairs;
    }
}
