package dev.saker.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.testing.Loopback;
import dev.saker.server.transport.TransportKind;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** What a server binds: the dual-stack wildcard by default, nothing for port -1, and clear failures. */
class BindingTest {

    private static ServerConfig.Builder config() {
        return ServerConfig.builder().port(0).ioThreads(2).dispatchMode(DispatchMode.EVENT_LOOP);
    }

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"EPOLL", "NIO"})
    void noHostBindsTheWildcardOfIpv6AndIpv4(TransportKind transport) throws IOException {
        assumeThat(Loopback.hasIpv6()).as("this host has ::1").isTrue();
        SakerServer server = SakerServer.create(config().transport(transport).build(), ex -> ex.send("both")).start();
        try {
            assertThat(server.config().host()).isNull();
            assertThat(statusLine(InetAddress.getByName("127.0.0.1"), server.port())).isEqualTo("HTTP/1.1 200 OK");
            assertThat(statusLine(InetAddress.getByName("::1"), server.port())).isEqualTo("HTTP/1.1 200 OK");
            // Every listener (one per loop with SO_REUSEPORT) took both families: nothing else can bind IPv4 there.
            try (ServerSocket other = new ServerSocket()) {
                assertThatThrownBy(() -> other.bind(new InetSocketAddress("127.0.0.1", server.port())))
                        .isInstanceOf(IOException.class);
            }
        } finally {
            server.stop();
        }
    }

    @Test
    void anExplicitIpv4HostIsNotReachableOverIpv6() throws IOException {
        assumeThat(Loopback.hasIpv6()).as("this host has ::1").isTrue();
        SakerServer server = SakerServer.create(config().host("127.0.0.1").build(), ex -> ex.send("v4")).start();
        try {
            int port = server.port();
            assertThatThrownBy(() -> statusLine(InetAddress.getByName("::1"), port)).isInstanceOf(IOException.class);
        } finally {
            server.stop();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"EPOLL", "NIO"})
    void portMinusOneStartsWithNoListener(TransportKind transport) {
        SakerServer server = SakerServer.create(config().port(ServerConfig.NO_LISTENER).transport(transport).build(),
                ex -> ex.send("never"));
        server.start();
        try {
            assertThat(server.isRunning()).isTrue();
            assertThat(server.port()).isEqualTo(-1);
            assertThat(server.listenerCount()).isZero();
        } finally {
            server.stop();
        }
        assertThat(server.isRunning()).isFalse();
        server.start();
        server.stop();
    }

    @ParameterizedTest
    @EnumSource(value = TransportKind.class, names = {"EPOLL", "NIO"})
    void anAddressOfAnotherHostFailsNamingItAndIsNotAPortInUse(TransportKind transport) throws IOException {
        // TEST-NET-3 (RFC 5737): never assigned to a real interface; only bound here, never sent to.
        InetAddress foreign = InetAddress.getByName("203.0.113.1");
        assumeThat(NetworkInterface.getByInetAddress(foreign)).isNull();
        for (int port : new int[] {0, freePort()}) {
            SakerServer server = SakerServer.create(config().host("203.0.113.1").port(port).transport(transport).build(),
                    ex -> ex.send("x"));
            assertThatThrownBy(server::start).isInstanceOf(ServerStartException.class)
                    .hasMessageContaining("203.0.113.1")
                    .satisfies(e -> assertThat(((ServerStartException) e).isPortInUse()).isFalse());
            assertThat(server.isRunning()).isFalse();
        }
    }

    @Test
    void aTakenPortOnTheWildcardIsAPortInUse() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(0));
            SakerServer server = SakerServer.create(config().port(taken.getLocalPort()).build(), ex -> ex.send("x"));
            assertThatThrownBy(server::start).isInstanceOf(ServerStartException.class)
                    .satisfies(e -> assertThat(((ServerStartException) e).isPortInUse()).isTrue());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String statusLine(InetAddress address, int port) throws IOException {
        String response = Loopback.fetch(address, port, "/");
        return response.substring(0, response.indexOf("\r\n"));
    }
}
