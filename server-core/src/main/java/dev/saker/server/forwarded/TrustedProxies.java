package dev.saker.server.forwarded;

import java.net.InetAddress;
import java.util.List;

/**
 * The proxies whose forwarding fields are believed. Two forms exist because two settings feed
 * them: admission control's list of addresses and CIDR blocks ({@link #cidrs}), and the
 * {@code native} forward-headers strategy's regular expression over the textual address, the
 * form Tomcat's remote IP valve takes ({@link #matching}). Neither ever resolves a name.
 */
public interface TrustedProxies {

    /**
     * Tomcat's default internal proxies: IPv4 loopback, link-local, private and carrier-grade NAT
     * ranges; IPv6 loopback ({@code ::1}), link-local ({@code fe80::/10}) and unique local
     * ({@code fc00::/7}), as a regular expression for {@link #matching}.
     */
    String DEFAULT_PATTERN = "10\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}|"
            + "192\\.168\\.\\d{1,3}\\.\\d{1,3}|169\\.254\\.\\d{1,3}\\.\\d{1,3}|127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}|"
            + "100\\.6[4-9]{1}\\.\\d{1,3}\\.\\d{1,3}|100\\.[7-9]{1}\\d{1}\\.\\d{1,3}\\.\\d{1,3}|"
            + "100\\.1[0-1]{1}\\d{1}\\.\\d{1,3}\\.\\d{1,3}|100\\.12[0-7]{1}\\.\\d{1,3}\\.\\d{1,3}|"
            + "172\\.1[6-9]{1}\\.\\d{1,3}\\.\\d{1,3}|172\\.2[0-9]{1}\\.\\d{1,3}\\.\\d{1,3}|"
            + "172\\.3[0-1]{1}\\.\\d{1,3}\\.\\d{1,3}|0:0:0:0:0:0:0:1|::1|fe[89ab]\\p{XDigit}:.*|f[cd]\\p{XDigit}{2}:.*";

    /**
     * @param cidrs IP literals and CIDR blocks ({@code 10.0.0.0/8}, {@code 192.168.1.7}, {@code fd00::/8})
     * @throws IllegalArgumentException for an entry that is no literal or has a bad prefix length
     */
    static TrustedProxies cidrs(List<String> cidrs) {
        return new CidrBlocks(cidrs);
    }

    /** @param regex matched against the whole textual address ({@link InetAddress#getHostAddress()} form) */
    static TrustedProxies matching(String regex) {
        return new AddressPattern(regex);
    }

    /** @return whether no proxy at all is trusted */
    boolean isEmpty();

    boolean contains(InetAddress address);

    /** @param address an address as text, as a peer's or as a forwarding field wrote it */
    boolean contains(String address);
}
