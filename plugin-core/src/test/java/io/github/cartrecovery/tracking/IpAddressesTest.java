package io.github.cartrecovery.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IpAddressesTest {

    @Test
    void anIpv4AddressIsCutToItsSlash24() {
        assertThat(IpAddresses.truncate("203.0.113.77")).isEqualTo("203.0.113.0/24");
        assertThat(IpAddresses.truncate(" 198.51.100.255 ")).isEqualTo("198.51.100.0/24");
    }

    @Test
    void anIpv6AddressIsCutToItsSlash48() {
        assertThat(IpAddresses.truncate("2001:db8:85a3:8d3:1319:8a2e:370:7348")).isEqualTo("2001:db8:85a3::/48");
        assertThat(IpAddresses.truncate("2001:DB8:1::1")).isEqualTo("2001:db8:1::/48");
    }

    @Test
    void anIpv4AddressMappedIntoIpv6IsCutAsIpv4() {
        assertThat(IpAddresses.truncate("::ffff:203.0.113.77")).isEqualTo("203.0.113.0/24");
    }

    @Test
    void aZoneIsDropped() {
        assertThat(IpAddresses.truncate("fe80::1:2:3:4%eth0")).isEqualTo("fe80::/48");
    }

    @Test
    void nothingThatIsNotOneAddressIsKept() {
        assertThat(IpAddresses.truncate(null)).isNull();
        assertThat(IpAddresses.truncate("")).isNull();
        assertThat(IpAddresses.truncate("unknown")).isNull();
        assertThat(IpAddresses.truncate("10.0.0.0/8")).isNull();
        assertThat(IpAddresses.truncate("203.0.113.77, 10.0.0.1")).isNull();
    }
}
