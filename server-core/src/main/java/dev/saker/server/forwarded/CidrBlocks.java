package dev.saker.server.forwarded;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Trusted proxies as addresses or CIDR blocks (for example {@code 10.0.0.0/8},
 * {@code 192.168.1.7}, {@code fd00::/8}). Literals only: nothing here ever resolves a name.
 */
final class CidrBlocks implements TrustedProxies {

    private final List<byte[]> networks = new ArrayList<>();
    private final List<Integer> prefixes = new ArrayList<>();

    CidrBlocks(List<String> cidrs) {
        for (String cidr : cidrs) {
            String spec = cidr.trim();
            int slash = spec.indexOf('/');
            byte[] network = NetUtil.createByteArrayFromIpAddressString(slash < 0 ? spec : spec.substring(0, slash));
            if (network == null) {
                throw new IllegalArgumentException("not an IP address or CIDR block: " + cidr);
            }
            int prefix = network.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(spec.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad CIDR prefix length: " + cidr);
                }
                if (prefix < 0 || prefix > network.length * 8) {
                    throw new IllegalArgumentException("CIDR prefix length out of range: " + cidr);
                }
            }
            networks.add(network);
            prefixes.add(prefix);
        }
    }

    @Override
    public boolean isEmpty() {
        return networks.isEmpty();
    }

    /** A name or anything else that is no IP literal is never a trusted proxy. */
    @Override
    public boolean contains(String address) {
        InetAddress literal = IpLiterals.parse(address);
        return literal != null && contains(literal);
    }

    @Override
    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        for (int i = 0; i < networks.size(); i++) {
            if (matches(networks.get(i), prefixes.get(i), bytes)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(byte[] network, int prefix, byte[] address) {
        if (network.length != address.length) {
            return false;
        }
        int whole = prefix / 8;
        for (int i = 0; i < whole; i++) {
            if (network[i] != address[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xFF << (8 - rest) & 0xFF;
        return (network[whole] & mask) == (address[whole] & mask);
    }
}
