package dev.saker.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.observe.CloseReason;
import dev.saker.server.testing.Poll;
import dev.saker.server.testing.RawClient;
import dev.saker.server.testing.TestTls;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import io.netty.handler.ssl.OpenSsl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A TLS listener end to end over loopback: handshake, ALPN, SNI and the session seen by the handler, on both providers. */
class TlsListenerTest {

    private SakerServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private SakerServer start(TlsConfig tls) {
        server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(2).tls(tls).build(),
                ex -> ex.send(ex.sslSession() == null ? "cleartext" : ex.sslSession().getProtocol() + " "
                        + ex.sslSession().getPeerHost() + " " + ex.path()));
        return server.start();
    }

    private static TlsConfig.Builder config(TlsProvider provider) {
        return TlsConfig.builder(TestTls.material("server")).provider(provider)
                .serverName("alt.example", TestTls.material("alt"));
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void servesHttp1OverTlsWithAndWithoutAlpn(TlsProvider provider) throws Exception {
        start(config(provider).build());
        assertThat(server.tlsProvider()).isEqualTo(provider);
        SSLContext client = TestTls.clientContext();
        // No ALPN, or only protocols this listener does not serve: no ALPN answer, HTTP/1.1.
        for (String[] alpn : new String[][] {{"http/1.1"}, {}, {"h2", "http/1.1"}, {"h2"}}) {
            try (SSLSocket socket = TestTls.connect(client, server.port(), null, alpn);
                    RawClient http = new RawClient(socket)) {
                boolean offered = java.util.Arrays.asList(alpn).contains("http/1.1");
                assertThat(socket.getApplicationProtocol()).isEqualTo(offered ? "http/1.1" : "");
                http.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n");
                RawClient.Response first = http.read();
                assertThat(first.status()).isEqualTo(200);
                assertThat(first.bodyText()).startsWith(socket.getSession().getProtocol()).endsWith("/a");
                assertThat(http.read().bodyText()).endsWith("/b");
            }
        }
        assertThat(Poll.until(Duration.ofSeconds(5), () -> server.stats().connectionsActive() == 0)).isTrue();
        assertThat(server.stats().connectionsAccepted()).isEqualTo(4);
        assertThat(server.stats().connectionsClosed()).isEqualTo(4);
        assertThat(server.stats().tls().handshakesSucceededTotal()).isEqualTo(4);
        assertThat(server.stats().tls().handshakesFailedTotal()).isZero();
        assertThat(server.stats().requestsTotal()).isEqualTo(8);
    }

    @Test
    void autoUsesOpenSslWhenItLoads() throws Exception {
        start(TlsConfig.builder(TestTls.material("server")).build());
        assertThat(server.tlsProvider()).isEqualTo(OpenSsl.isAvailable() ? TlsProvider.OPENSSL : TlsProvider.JDK);
        try (SSLSocket socket = TestTls.connect(TestTls.clientContext(), server.port(), null)) {
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void choosesTheCertificateByServerName(TlsProvider provider) throws Exception {
        start(config(provider).build());
        // A fresh client context for each connection: the JDK client resumes a cached session of the
        // same address and then sends that session's server name, whatever it was asked to send.
        try (SSLSocket socket = TestTls.connect(TestTls.clientContext(), server.port(), "alt.example")) {
            assertThat(TestTls.peer(socket)).isEqualTo(TestTls.certificate("alt"));
        }
        try (SSLSocket socket = TestTls.connect(TestTls.clientContext(), server.port(), "ALT.Example")) {
            assertThat(TestTls.peer(socket)).isEqualTo(TestTls.certificate("alt"));
        }
        try (SSLSocket socket = TestTls.connect(TestTls.clientContext(), server.port(), "other.example")) {
            assertThat(TestTls.peer(socket)).isEqualTo(TestTls.certificate("server"));
        }
        try (SSLSocket socket = TestTls.connect(TestTls.clientContext(), server.port(), null)) {
            assertThat(TestTls.peer(socket)).isEqualTo(TestTls.certificate("server"));
        }
        try (SSLSocket socket = TestTls.connect(TestTls.clientContext(), server.port(), "sub.alt.example")) {
            assertThat(TestTls.peer(socket)).as("exact names only").isEqualTo(TestTls.certificate("server"));
        }
        assertThat(Poll.until(Duration.ofSeconds(5), () -> server.stats().connectionsActive() == 0)).isTrue();
        assertThat(server.stats().connectionsClosed(CloseReason.CLIENT)).isEqualTo(5);
    }
}
