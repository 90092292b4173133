package dev.saker.server.forwarded;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** IP literals from forwarding fields, read without ever looking up a name. */
public final class IpLiterals {

    /** A dotted-quad IPv4 literal the JDK parses without a name lookup (no leading zeros, octets up to 255). */
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    private IpLiterals() {
    }

    /**
     * @param value an IP literal, possibly with a port ({@code 192.0.2.1:4711}, {@code [2001:db8::1]:4711})
     * @return its address, or null when it is no IP literal
     */
    public static InetAddress parse(String value) {
        String host = value;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close < 0) {
                return null;
            }
            host = host.substring(1, close);
        } else if (host.indexOf(':') >= 0 && host.indexOf(':') == host.lastIndexOf(':')) {
            host = host.substring(0, host.indexOf(':'));
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(host);
        if (bytes == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            return null;
        }
    }

    /**
     * A client as a socket address: an IP literal becomes an address; anything else (an obfuscated
     * identifier such as {@code _hidden}, or {@code unknown}) stays unresolved. Never a name
     * lookup: an IPv4 literal is checked before the JDK parses it, and an IPv6 one is given in
     * brackets, which the JDK parses as a literal or refuses.
     *
     * @param client a client as {@link ForwardedOrigin#client()} names it (IPv6 without brackets)
     */
    public static InetSocketAddress socketAddress(String client, int port) {
        String literal = IPV4.matcher(client).matches() ? client : client.indexOf(':') >= 0 ? "[" + client + "]" : null;
        if (literal != null) {
            try {
                return new InetSocketAddress(InetAddress.getByName(literal), port);
            } catch (UnknownHostException notALiteral) {
                return InetSocketAddress.createUnresolved(client, port);
            }
        }
        return InetSocketAddress.createUnresolved(client, port);
    }
}
