package io.github.cartrecovery.tracking;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.ipv6.IPv6Address;

/**
 * Truncates client addresses before anything stores them: an IPv4 address to its /24 network, an IPv6 address to
 * its /48 (an IPv4 address mapped into IPv6 counts as IPv4). A network is enough to recognise a gateway, an office
 * or a country, and no longer names one household. Full addresses are only kept in memory (rate limits, the
 * scanner rules of one request).
 */
public final class IpAddresses {

    public static final int IPV4_PREFIX = 24;
    public static final int IPV6_PREFIX = 48;

    private IpAddresses() {
    }

    /** "203.0.113.77" -> "203.0.113.0/24", "2001:db8:1234:5678::1" -> "2001:db8:1234::/48"; null when not an address. */
    public static String truncate(String address) {
        IPAddress ip = parse(address);
        if (ip == null) {
            return null;
        }
        return ip.toPrefixBlock(ip.isIPv4() ? IPV4_PREFIX : IPV6_PREFIX).toCanonicalString();
    }

    /** The address without zone, an IPv4-mapped IPv6 address as IPv4; null for null, blank, ranges and garbage. */
    static IPAddress parse(String address) {
        if (address == null || address.trim().isEmpty()) {
            return null;
        }
        IPAddress ip = new IPAddressString(address.trim()).getAddress();
        if (ip == null || ip.isMultiple() || ip.isPrefixed()) {
            return null;
        }
        if (ip.isIPv6()) {
            IPv6Address v6 = ip.toIPv6().removeZone();
            return v6.isIPv4Mapped() ? v6.getEmbeddedIPv4Address() : v6;
        }
        return ip;
    }
}
