package io.github.cartrecovery.operations;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import io.github.cartrecovery.config.ListSetting;

/**
 * Who may read the operations endpoints' details (the health checks, the metrics): a request from one of
 * {@code cartrecovery.operations.allowed-addresses} (IP addresses or CIDR ranges; default loopback only), or one that
 * carries {@code Authorization: Bearer <cartrecovery.operations.token>} (no token set: this way is closed). Anyone else
 * gets the bare status only. The address is the servlet's remote address: behind a proxy, let the container resolve
 * the client (Tomcat's RemoteIpValve) rather than trusting a forwarded header here. One bean for the cluster's
 * storefront and admin: {@code crOperationsAccess}.
 */
public final class OperationsAccess {

    private final List<IPAddress> allowed;
    private final byte[] token;

    public OperationsAccess(String allowedAddresses, String token) {
        this.allowed = ListSetting.ipRanges("cartrecovery.operations.allowed-addresses", allowedAddresses);
        String trimmed = token == null ? "" : token.trim();
        if (!trimmed.isEmpty() && trimmed.length() < 16) {
            throw new IllegalArgumentException("cartrecovery.operations.token must have at least 16 characters (or be empty)");
        }
        this.token = trimmed.isEmpty() ? null : trimmed.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Whether a request may see details, not only the bare status: {@code remoteAddress} is the servlet's
     * {@code getRemoteAddr()}, {@code authorization} its Authorization header (or null).
     */
    public boolean allowsDetails(String remoteAddress, String authorization) {
        return fromAllowedAddress(remoteAddress) || carriesToken(authorization);
    }

    boolean fromAllowedAddress(String remoteAddress) {
        if (remoteAddress == null) {
            return false;
        }
        IPAddress address = new IPAddressString(remoteAddress.trim()).getAddress();
        if (address == null) {
            return false;
        }
        if (address.isIPv6() && address.toIPv6().isIPv4Mapped()) {
            address = address.toIPv6().getEmbeddedIPv4Address();
        }
        for (IPAddress range : allowed) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    boolean carriesToken(String authorization) {
        if (token == null || authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(token, given); // constant time for equal lengths
    }
}
