package dev.saker.server.lifecycle;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;

/**
 * The socket address a listener binds. No host means every interface: the IPv6 wildcard {@code ::},
 * which on Linux, macOS and Windows also accepts IPv4 (as IPv4-mapped addresses), so the server is
 * reachable on both {@code 127.0.0.1} and {@code ::1}; IPv4's {@code 0.0.0.0} only where the JVM has
 * no IPv6 (none in the OS, or {@code -Djava.net.preferIPv4Stack=true}).
 */
final class BindAddress {

    private static final InetAddress WILDCARD = wildcard();

    private BindAddress() {
    }

    static InetSocketAddress of(String host, int port) {
        return host == null ? new InetSocketAddress(WILDCARD, port) : new InetSocketAddress(host, port);
    }

    /** @return how a host is shown in messages: {@code *} for the wildcard */
    static String describe(String host) {
        return host == null ? "*" : host;
    }

    private static InetAddress wildcard() {
        try {
            return InetAddress.getByAddress(ipv6Available() ? new byte[16] : new byte[4]);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** Opening an IPv6 socket is the JVM's own answer, and honours {@code java.net.preferIPv4Stack}. */
    private static boolean ipv6Available() {
        try (ServerSocketChannel probe = ServerSocketChannel.open(StandardProtocolFamily.INET6)) {
            return true;
        } catch (UnsupportedOperationException | IOException e) {
            return false;
        }
    }
}
