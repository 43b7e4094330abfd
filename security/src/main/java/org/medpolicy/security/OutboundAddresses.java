package org.medpolicy.security;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Which addresses medpolicy may call out to (PAS notification endpoints, and later EHR FHIR
 * servers): global unicast only. Every block the IANA IPv4 and IPv6 special-purpose address
 * registries list as not globally reachable is refused, and so are the blocks that embed or reach
 * another address family (IPv4-mapped and -compatible IPv6, NAT64, 6to4, Teredo's 2001::/23
 * parent): an endpoint must not reach this host, its network, or a private one by another name.
 * The table is {@link #REFUSED}; a table-driven test covers each block's edges.
 *
 * <p>Stateless and thread-safe.
 */
public final class OutboundAddresses {

    /** A refused block, and why (its registry name). */
    public record Block(String cidr, String why) {
    }

    public static final List<Block> REFUSED = List.of(
            new Block("0.0.0.0/8", "this network"),
            new Block("10.0.0.0/8", "private use"),
            new Block("100.64.0.0/10", "shared address space (carrier-grade NAT)"),
            new Block("127.0.0.0/8", "loopback"),
            new Block("169.254.0.0/16", "link local"),
            new Block("172.16.0.0/12", "private use"),
            new Block("192.0.0.0/24", "IETF protocol assignments"),
            new Block("192.0.2.0/24", "documentation (TEST-NET-1)"),
            new Block("192.88.99.0/24", "6to4 relay anycast (deprecated)"),
            new Block("192.168.0.0/16", "private use"),
            new Block("198.18.0.0/15", "benchmarking"),
            new Block("198.51.100.0/24", "documentation (TEST-NET-2)"),
            new Block("203.0.113.0/24", "documentation (TEST-NET-3)"),
            new Block("224.0.0.0/4", "multicast"),
            new Block("240.0.0.0/4", "reserved (and 255.255.255.255, limited broadcast)"),
            new Block("::/128", "unspecified"),
            new Block("::1/128", "loopback"),
            new Block("::/96", "IPv4-compatible (deprecated)"),
            new Block("::ffff:0:0/96", "IPv4-mapped"),
            new Block("64:ff9b::/96", "IPv4-IPv6 translation (NAT64)"),
            new Block("64:ff9b:1::/48", "local-use IPv4-IPv6 translation"),
            new Block("100::/64", "discard only"),
            new Block("100:0:0:1::/64", "dummy IPv6 prefix"),
            new Block("2001::/23", "IETF protocol assignments (Teredo, benchmarking, ORCHID …)"),
            new Block("2001:db8::/32", "documentation"),
            new Block("2002::/16", "6to4"),
            new Block("3fff::/20", "documentation"),
            new Block("5f00::/16", "segment routing (SRv6) SIDs"),
            new Block("fc00::/7", "unique local"),
            new Block("fe80::/10", "link local"),
            new Block("fec0::/10", "site local (deprecated)"),
            new Block("ff00::/8", "multicast"));

    private OutboundAddresses() {
    }

    /** Whether {@code address} is global unicast: in none of the refused blocks. */
    public static boolean isGlobalUnicast(InetAddress address) {
        return refusedBy(address) == null;
    }

    /**
     * The first address {@code host} resolves to now that is not global unicast, or null when all
     * are. Only an early check (when a URL is given): what is connected to is checked again then.
     *
     * @throws UnknownHostException when the host does not resolve
     */
    public static InetAddress firstRefusedAddress(String host) throws UnknownHostException {
        for (InetAddress address : InetAddress.getAllByName(host)) {
            if (!isGlobalUnicast(address)) {
                return address;
            }
        }
        return null;
    }

    /** The block that refuses {@code address}, or null when it is global unicast. */
    public static Block refusedBy(InetAddress address) {
        byte[] bytes = address.getAddress();
        for (Block block : REFUSED) {
            String[] parts = block.cidr().split("/");
            byte[] network = networkBytes(parts[0]);
            if (network.length == bytes.length && sameNetwork(bytes, network, Integer.parseInt(parts[1]))) {
                return block;
            }
        }
        return null;
    }

    /**
     * A block's network address as 4 or 16 bytes, by its notation. Not {@link InetAddress#getByName}:
     * it turns an IPv4-mapped IPv6 literal ({@code ::ffff:0:0}) into 4 bytes, so that block would
     * never match the 16-byte address a resolver can hand back for an AAAA record.
     */
    private static byte[] networkBytes(String literal) {
        if (!literal.contains(":")) {
            try {
                return InetAddress.getByName(literal).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalStateException("not an IPv4 address: " + literal, e);
            }
        }
        String[] halves = literal.split("::", -1);
        String[] head = halves[0].isEmpty() ? new String[0] : halves[0].split(":");
        String[] tail = halves.length < 2 || halves[1].isEmpty() ? new String[0] : halves[1].split(":");
        if (halves.length > 2 || (halves.length == 1 && head.length != 8) || head.length + tail.length > 8) {
            throw new IllegalStateException("not an IPv6 block address: " + literal);
        }
        byte[] bytes = new byte[16];
        for (int i = 0; i < head.length; i++) {
            putGroup(bytes, i, head[i]);
        }
        for (int i = 0; i < tail.length; i++) {
            putGroup(bytes, 8 - tail.length + i, tail[i]);
        }
        return bytes;
    }

    private static void putGroup(byte[] bytes, int group, String hex) {
        int value = Integer.parseInt(hex, 16);
        bytes[2 * group] = (byte) (value >> 8);
        bytes[2 * group + 1] = (byte) value;
    }

    private static boolean sameNetwork(byte[] address, byte[] network, int prefix) {
        int bits = address.length * 8;
        if (prefix == 0) {
            return true;
        }
        BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE).shiftRight(bits - prefix).shiftLeft(bits - prefix);
        return new BigInteger(1, address).and(mask).equals(new BigInteger(1, network).and(mask));
    }
}
