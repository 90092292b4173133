package dev.saker.server.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Loopback facts and one-shot exchanges for tests that bind IPv4 and IPv6 addresses. */
public final class Loopback {

    private Loopback() {
    }

    /** @return whether this host can bind {@code ::1} (some containers have no IPv6) */
    public static boolean hasIpv6() {
        try (ServerSocket listener = new ServerSocket()) {
            listener.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Sends {@code GET path} with {@code Connection: close} to {@code address:port} and reads until
     * the server closes: the whole response, as ISO-8859-1 text.
     */
    public static String fetch(InetAddress address, int port, String path) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 5_000);
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
