package io.portcullis.http;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A set of IPv4/IPv6 CIDR blocks parsed from numeric text only (never a DNS lookup), used to decide which
 * peers' forwarding headers are trusted.
 */
public final class CidrSet {
    public static final CidrSet EMPTY = new CidrSet(List.of());

    private final List<byte[]> networks;
    private final List<Integer> prefixes;

    private CidrSet(List<String> cidrs) {
        this.networks = new ArrayList<>();
        this.prefixes = new ArrayList<>();
        for (String cidr : cidrs) {
            int slash = cidr.indexOf('/');
            String ip = slash < 0 ? cidr : cidr.substring(0, slash);
            byte[] bytes = NetUtil.createByteArrayFromIpAddressString(ip);
            if (bytes == null) {
                throw new IllegalArgumentException("\"" + cidr + "\" is not an IP address or CIDR block");
            }
            int prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
            if (prefix < 0 || prefix > bytes.length * 8) {
                throw new IllegalArgumentException("\"" + cidr + "\" has an invalid prefix length");
            }
            networks.add(bytes);
            prefixes.add(prefix);
        }
    }

    /** Parses numeric CIDRs; throws IllegalArgumentException naming a bad entry. */
    public static CidrSet parse(List<String> cidrs) {
        return cidrs == null || cidrs.isEmpty() ? EMPTY : new CidrSet(cidrs);
    }

    public boolean isEmpty() {
        return networks.isEmpty();
    }

    public boolean contains(SocketAddress address) {
        if (networks.isEmpty() || !(address instanceof InetSocketAddress)) {
            return false;
        }
        InetAddress ip = ((InetSocketAddress) address).getAddress();
        if (ip == null) {
            return false;
        }
        byte[] bytes = ip.getAddress();
        for (int i = 0; i < networks.size(); i++) {
            if (matches(networks.get(i), prefixes.get(i), bytes)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(byte[] network, int prefix, byte[] ip) {
        if (network.length != ip.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (network[i] != ip[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (network[full] & mask) == (ip[full] & mask);
    }
}
