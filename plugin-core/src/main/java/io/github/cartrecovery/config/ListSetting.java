package io.github.cartrecovery.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;

/** Reads the comma-separated settings of common.properties (lists of domains, user agents, IP ranges...). */
public final class ListSetting {

    private ListSetting() {
    }

    /** The trimmed, non-empty values of a comma-separated setting; empty for null. */
    public static List<String> values(String csv) {
        List<String> values = new ArrayList<String>();
        if (csv != null) {
            for (String value : csv.split(",")) {
                if (!value.trim().isEmpty()) {
                    values.add(value.trim());
                }
            }
        }
        return values;
    }

    /** {@link #values} in lower case (for case-insensitive matching). */
    public static List<String> lowerCase(String csv) {
        List<String> values = new ArrayList<String>();
        for (String value : values(csv)) {
            values.add(value.toLowerCase(Locale.ROOT));
        }
        return Collections.unmodifiableList(values);
    }

    /**
     * IP addresses or CIDR ranges (IPv4 or IPv6) as prefix blocks; a value that is neither is refused with the
     * setting's name, so a typo stops startup instead of silently matching nothing.
     */
    public static List<IPAddress> ipRanges(String setting, String csv) {
        List<IPAddress> ranges = new ArrayList<IPAddress>();
        for (String value : values(csv)) {
            IPAddress range = new IPAddressString(value).getAddress();
            if (range == null) {
                throw new IllegalArgumentException(setting + ": '" + value + "' is not an IP address or CIDR range");
            }
            ranges.add(range.toPrefixBlock());
        }
        return Collections.unmodifiableList(ranges);
    }
}
