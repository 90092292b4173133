package dev.saker.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.lifecycle.ServerStartException;
import dev.saker.server.observe.HandshakeFailure;
import dev.saker.server.testing.Poll;
import dev.saker.server.testing.RawClient;
import dev.saker.server.testing.TestTls;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Client authentication, protocol versions, cipher suites and session resumption of a TLS listener, on both providers. */
class TlsOptionsTest {

    private SakerServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private void start(TlsProvider provider, TlsMaterial material) {
        TlsConfig tls = TlsConfig.builder(material).provider(provider).build();
        server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1).tls(tls).build(),
                ex -> ex.send(peer(ex.sslSession())))
                .start();
    }

    private static String peer(javax.net.ssl.SSLSession session) {
        try {
            return ((X509Certificate) session.getPeerCertificates()[0]).getSubjectX500Principal().getName();
        } catch (SSLPeerUnverifiedException e) {
            return "anonymous";
        }
    }

    private static TlsMaterial withClientAuth(ClientAuth auth) {
        return new TlsMaterial(TestTls.keyManagers("server"), TestTls.trusting("client"), auth, List.of(), List.of(),
                List.of());
    }

    private static String get(SSLSocket socket) throws IOException {
        try (RawClient http = new RawClient(socket)) {
            http.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
            return http.read().bodyText();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void requiredClientCertificate(TlsProvider provider) throws Exception {
        start(provider, withClientAuth(ClientAuth.NEED));
        assertThat(get(TestTls.connect(TestTls.clientContext("client", "server"), server.port(), null)))
                .isEqualTo("CN=test client,O=Saker test");
        // Without a certificate: TLS 1.3 clients learn of the refusal only when they read.
        assertThatThrownBy(() -> get(TestTls.connect(TestTls.clientContext(null, "server"), server.port(), null)))
                .isInstanceOf(IOException.class);
        assertThat(Poll.until(Duration.ofSeconds(5), () -> server.stats().connectionsActive() == 0)).isTrue();
        assertThat(server.stats().tls().handshakesSucceededTotal()).isEqualTo(1);
        assertThat(server.stats().tls().handshakesFailed(HandshakeFailure.REJECTED)).isEqualTo(1);
        assertThat(server.stats().requestsTotal()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void wantedClientCertificate(TlsProvider provider) throws Exception {
        start(provider, withClientAuth(ClientAuth.WANT));
        assertThat(get(TestTls.connect(TestTls.clientContext("client", "server"), server.port(), null)))
                .isEqualTo("CN=test client,O=Saker test");
        assertThat(get(TestTls.connect(TestTls.clientContext(null, "server"), server.port(), null)))
                .isEqualTo("anonymous");
        // The server names the issuers it trusts: a client holding only another certificate sends none.
        assertThat(get(TestTls.connect(TestTls.clientContext("alt", "server"), server.port(), null)))
                .isEqualTo("anonymous");
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void protocolsAndCiphersAreRestricted(TlsProvider provider) throws Exception {
        String cipher = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
        start(provider, new TlsMaterial(TestTls.keyManagers("server"), null, ClientAuth.NONE, List.of("TLSv1.2"),
                List.of(cipher), List.of()));
        try (SSLSocket socket = TestTls.connect(TestTls.clientContext(), server.port(), null)) {
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
            assertThat(socket.getSession().getCipherSuite()).isEqualTo(cipher);
            assertThat(get(socket)).isEqualTo("anonymous");
        }
        SSLSocket only13 = (SSLSocket) TestTls.clientContext().getSocketFactory().createSocket("127.0.0.1", server.port());
        only13.setEnabledProtocols(new String[] {"TLSv1.3"});
        assertThatThrownBy(only13::startHandshake).isInstanceOf(IOException.class);
        only13.close();
        assertThat(Poll.until(Duration.ofSeconds(5), () -> server.stats().connectionsActive() == 0)).isTrue();
        assertThat(server.stats().tls().handshakesSucceeded("TLSv1.2").count()).isEqualTo(1);
        assertThat(server.stats().tls().handshakesSucceeded("TLSv1.3").count()).isZero();
        assertThat(server.stats().tls().handshakesFailed(HandshakeFailure.REJECTED)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void anUnknownCipherOrProtocolFailsTheStartNamingIt(TlsProvider provider) {
        TlsMaterial badCipher = new TlsMaterial(TestTls.keyManagers("server"), null, ClientAuth.NONE, List.of(),
                List.of("TLS_NO_SUCH_CIPHER"), List.of());
        assertThatThrownBy(() -> start(provider, badCipher)).isInstanceOf(ServerStartException.class)
                .hasMessageContaining("TLS").hasCauseInstanceOf(TlsSetupException.class);
        server = null;
        TlsMaterial badProtocol = new TlsMaterial(TestTls.keyManagers("server"), null, ClientAuth.NONE,
                List.of("TLSv9"), List.of(), List.of());
        assertThatThrownBy(() -> start(provider, badProtocol)).isInstanceOf(ServerStartException.class)
                .hasMessageContaining("TLSv9");
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void sessionsAreResumed(TlsProvider provider) throws Exception {
        start(provider, TestTls.material("server"));
        SSLContext client = TestTls.clientContext();
        byte[] firstId;
        long firstCreated;
        try (SSLSocket first = tls12(client)) {
            firstId = first.getSession().getId();
            firstCreated = first.getSession().getCreationTime();
            assertThat(get(first)).isEqualTo("anonymous");
        }
        try (SSLSocket second = tls12(client)) {
            assertThat(second.getSession().getCreationTime()).isEqualTo(firstCreated);
            assertThat(Arrays.equals(second.getSession().getId(), firstId)).isTrue();
        }
    }

    private SSLSocket tls12(SSLContext client) throws IOException {
        SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", server.port());
        socket.setEnabledProtocols(new String[] {"TLSv1.2"});
        socket.startHandshake();
        return socket;
    }
}
