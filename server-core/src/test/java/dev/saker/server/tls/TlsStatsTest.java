package dev.saker.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.lifecycle.ShutdownResult;
import dev.saker.server.observe.CloseReason;
import dev.saker.server.observe.HandshakeFailure;
import dev.saker.server.observe.ServedCertificate;
import dev.saker.server.observe.TlsStats;
import dev.saker.server.testing.Poll;
import dev.saker.server.testing.RawClient;
import dev.saker.server.testing.TestTls;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a TLS listener reports: connections in their handshake, handshake timings, served certificates. */
class TlsStatsTest {

    private SakerServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private void start() {
        TlsConfig tls = TlsConfig.builder(TestTls.material("server")).provider(TlsProvider.JDK)
                .serverName("Alt.Example", TestTls.material("alt")).build();
        server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1).tls(tls).build(),
                ex -> ex.send("ok")).start();
    }

    @Test
    void aConnectionInItsHandshakeCountsAsActive() throws Exception {
        start();
        try (Socket idle = new Socket("127.0.0.1", server.port())) {
            assertThat(Poll.until(Duration.ofSeconds(5), () -> server.stats().connectionsActive() == 1)).isTrue();
            try (SSLSocket socket = TestTls.connect(TestTls.clientContext(), server.port(), null);
                    RawClient http = new RawClient(socket)) {
                http.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
                assertThat(http.read().status()).isEqualTo(200);
                // One handshaking, one handed to HTTP/1.1: each counted once.
                assertThat(server.stats().connectionsActive()).isEqualTo(2);
                assertThat(server.stats().connectionsAccepted()).isEqualTo(2);
            }
        }
        assertThat(Poll.until(Duration.ofSeconds(5), () -> server.stats().connectionsActive() == 0)).isTrue();
        assertThat(server.stats().connectionsClosed()).isEqualTo(2);
        assertThat(server.stats().connectionsClosed(CloseReason.CLIENT)).isEqualTo(2);
    }

    @Test
    void handshakesAreTimedByProtocolVersion() throws Exception {
        start();
        for (String protocol : new String[] {"TLSv1.3", "TLSv1.2", "TLSv1.3"}) {
            SSLSocket socket = (SSLSocket) TestTls.clientContext().getSocketFactory().createSocket("127.0.0.1", server.port());
            socket.setEnabledProtocols(new String[] {protocol});
            socket.startHandshake();
            try (RawClient http = new RawClient(socket)) {
                http.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
                assertThat(http.read().status()).isEqualTo(200);
            }
        }
        TlsStats tls = server.stats().tls();
        assertThat(tls.handshakesSucceeded().keySet()).containsExactly("TLSv1.2", "TLSv1.3");
        TlsStats.HandshakeTiming v13 = tls.handshakesSucceeded("TLSv1.3");
        assertThat(v13.count()).isEqualTo(2);
        assertThat(v13.totalNanos()).isPositive();
        assertThat(v13.maxNanos()).isPositive().isLessThanOrEqualTo(v13.totalNanos());
        assertThat(tls.handshakesSucceeded("TLSv1.2").count()).isEqualTo(1);
        assertThat(tls.handshakesSucceededTotal()).isEqualTo(3);
        assertThat(tls.handshakesFailedTotal()).isZero();
    }

    @Test
    void servedCertificatesAreListedAndFollowReloads() {
        start();
        assertThat(server.stats().tls().certificates()).containsExactlyInAnyOrder(
                served("default", TestTls.certificate("server")), served("alt.example", TestTls.certificate("alt")));
        server.reloadTls(TestTls.material("server2"), Map.of());
        assertThat(server.stats().tls().certificates()).containsExactly(served("default", TestTls.certificate("server2")));
    }

    @Test
    void certificatesComeFromTheKeyManagersWhenTheMaterialListsNone() {
        TlsMaterial unlisted = TlsMaterial.of(TestTls.keyManagers("alt"));
        server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1)
                .tls(TlsConfig.builder(unlisted).provider(TlsProvider.JDK).build()).build(), ex -> ex.send("ok")).start();
        assertThat(server.stats().tls().certificates()).containsExactly(served("default", TestTls.certificate("alt")));
    }

    @Test
    void gracefulShutdownClosesHandshakingConnections() throws Exception {
        start();
        try (Socket idle = new Socket("127.0.0.1", server.port())) {
            assertThat(Poll.until(Duration.ofSeconds(5), () -> server.stats().connectionsActive() == 1)).isTrue();
            ShutdownResult result = server.shutdownGracefully(Duration.ofSeconds(5));
            assertThat(result.idle()).isTrue();
            assertThat(TestTls.awaitClose(idle, 5_000)).isTrue();
        }
        assertThat(server.stats().tls().handshakesFailed(HandshakeFailure.SHUTDOWN)).isEqualTo(1);
        assertThat(server.stats().connectionsClosed(CloseReason.SHUTDOWN)).isEqualTo(1);
        server = null;
    }

    private static ServedCertificate served(String name, X509Certificate certificate) {
        return new ServedCertificate(name, certificate.getSubjectX500Principal().getName(), certificate.getSerialNumber(),
                certificate.getNotAfter().toInstant());
    }

    @Test
    void servedCertificateListIsEmptyWithoutTls() {
        server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1).build(),
                ex -> ex.send("ok")).start();
        assertThat(server.stats().tls().certificates()).isEqualTo(List.of());
        assertThat(server.tlsProvider()).isNull();
    }
}
