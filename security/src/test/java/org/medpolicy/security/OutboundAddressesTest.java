package org.medpolicy.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every special-purpose block is refused at its first and last address; global unicast on either side is let through. */
class OutboundAddressesTest {

    @ParameterizedTest(name = "{0} refused ({2})")
    @CsvSource({
            "0.0.0.0, 0.255.255.255, this network",
            "10.0.0.0, 10.255.255.255, private use",
            "100.64.0.0, 100.127.255.255, shared address space",
            "127.0.0.1, 127.255.255.255, loopback",
            "169.254.0.0, 169.254.255.255, link local",
            "172.16.0.0, 172.31.255.255, private use",
            "192.0.0.0, 192.0.0.255, IETF protocol assignments",
            "192.0.2.0, 192.0.2.255, TEST-NET-1",
            "192.88.99.0, 192.88.99.255, 6to4 relay",
            "192.168.0.0, 192.168.255.255, private use",
            "198.18.0.0, 198.19.255.255, benchmarking",
            "198.51.100.0, 198.51.100.255, TEST-NET-2",
            "203.0.113.0, 203.0.113.255, TEST-NET-3",
            "224.0.0.0, 239.255.255.255, multicast",
            "240.0.0.0, 255.255.255.255, reserved",
            "::, ::, unspecified",
            "::1, ::1, loopback",
            "::0.0.0.2, ::255.255.255.255, IPv4-compatible",
            "::ffff:0:0, ::ffff:ffff:ffff, IPv4-mapped",
            "64:ff9b::, 64:ff9b::ffff:ffff, NAT64",
            "64:ff9b:1::, 64:ff9b:1:ffff:ffff:ffff:ffff:ffff, local-use NAT64",
            "100::, 100::ffff:ffff:ffff:ffff, discard only",
            "100:0:0:1::, 100:0:0:1:ffff:ffff:ffff:ffff, dummy prefix",
            "2001::, 2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff, IETF protocol assignments",
            "2001:db8::, 2001:db8:ffff:ffff:ffff:ffff:ffff:ffff, documentation",
            "2002::, 2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff, 6to4",
            "3fff::, 3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff, documentation",
            "5f00::, 5f00:ffff:ffff:ffff:ffff:ffff:ffff:ffff, SRv6",
            "fc00::, fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, unique local",
            "fe80::, febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff, link local",
            "fec0::, feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, site local",
            "ff00::, ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, multicast"})
    void theBlockIsRefusedAtBothEnds(String first, String last, String why) throws Exception {
        assertThat(OutboundAddresses.isGlobalUnicast(address(first))).as(first).isFalse();
        assertThat(OutboundAddresses.isGlobalUnicast(address(last))).as(last).isFalse();
    }

    /**
     * IPv4-mapped addresses as 16 bytes, as a resolver can return them for an AAAA record
     * ({@code InetAddress.getByName} would turn the literal into 4 bytes, and the IPv4 blocks would
     * refuse it for the wrong reason).
     */
    @ParameterizedTest(name = "::ffff:{0} refused")
    @CsvSource({"127.0.0.1", "10.1.2.3", "8.8.8.8", "0.0.0.0", "255.255.255.255"})
    void anIpv4MappedAddressIsRefusedWhateverItMaps(String ipv4) throws Exception {
        InetAddress mapped = mapped(InetAddress.getByName(ipv4));
        assertThat(mapped.getAddress()).hasSize(16);
        assertThat(OutboundAddresses.refusedBy(mapped)).isNotNull()
                .extracting(OutboundAddresses.Block::why).isEqualTo("IPv4-mapped");
    }

    /** An address literal; an IPv4-mapped one kept as the 16 bytes it names. */
    private static InetAddress address(String literal) throws Exception {
        InetAddress parsed = InetAddress.getByName(literal);
        return literal.contains(":") && parsed.getAddress().length == 4 ? mapped(parsed) : parsed;
    }

    /** {@code ipv4} as the IPv4-mapped IPv6 address {@code ::ffff:a.b.c.d}, 16 bytes. */
    private static InetAddress mapped(InetAddress ipv4) throws Exception {
        byte[] bytes = new byte[16];
        bytes[10] = (byte) 0xff;
        bytes[11] = (byte) 0xff;
        System.arraycopy(ipv4.getAddress(), 0, bytes, 12, 4);
        return Inet6Address.getByAddress(null, bytes, -1);
    }

    @ParameterizedTest(name = "{0} allowed")
    @CsvSource({"1.1.1.1", "8.8.8.8", "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0", "172.15.255.255", "172.32.0.0",
            "192.0.3.0", "192.167.255.255", "192.169.0.0", "198.17.255.255", "198.20.0.0", "223.255.255.255",
            "2606:4700:4700::1111", "2001:200::1", "2003::1", "2620:fe::fe", "fbff:ffff::1"})
    void globalUnicastIsAllowed(String address) throws Exception {
        assertThat(OutboundAddresses.isGlobalUnicast(InetAddress.getByName(address))).as(address).isTrue();
    }
}
