package dev.saker.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.observe.CloseReason;
import dev.saker.server.observe.HandshakeFailure;
import dev.saker.server.testing.Poll;
import dev.saker.server.testing.RawClient;
import dev.saker.server.testing.TestTls;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a TLS listener does with clients that do not complete a proper handshake: each is closed
 * within its bound, counted by reason, and leaves no connection or buffer behind.
 */
class TlsBadInputTest {

    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofMillis(400);
    /** How long a test waits for a close that the server makes at its bound: far above every bound here. */
    private static final int CLOSE_WAIT_MILLIS = 10_000;

    private SakerServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private void start(TlsProvider provider, int maxClientHello) {
        TlsConfig tls = TlsConfig.builder(TestTls.material("server")).provider(provider)
                .handshakeTimeout(HANDSHAKE_TIMEOUT).maxClientHelloSize(maxClientHello).build();
        server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1).tls(tls).build(),
                ex -> ex.send("ok")).start();
    }

    private void assertClosedAndCounted(HandshakeFailure failure, CloseReason reason) {
        assertThat(Poll.until(Duration.ofSeconds(5), () -> server.stats().connectionsActive() == 0)).isTrue();
        assertThat(server.stats().tls().handshakesFailed(failure)).isEqualTo(1);
        assertThat(server.stats().tls().handshakesFailedTotal()).isEqualTo(1);
        assertThat(server.stats().connectionsClosed(reason)).isEqualTo(1);
        assertThat(server.stats().connectionsAccepted()).isEqualTo(1);
        assertThat(server.stats().tls().handshakesSucceededTotal()).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void cleartextHttpGetsA400SayingThePortNeedsTls(TlsProvider provider) throws Exception {
        start(provider, TlsConfig.DEFAULT_MAX_CLIENT_HELLO_SIZE);
        try (RawClient client = new RawClient(server.port())) {
            client.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
            RawClient.Response response = client.read();
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(response.bodyText()).contains("needs TLS");
            assertThat(TestTls.awaitClose(client.socket(), CLOSE_WAIT_MILLIS)).isTrue();
        }
        assertClosedAndCounted(HandshakeFailure.NOT_TLS, CloseReason.NOT_TLS);
        assertThat(server.stats().requestsTotal()).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void garbageIsClosedWithoutAnAnswer(TlsProvider provider) throws Exception {
        start(provider, TlsConfig.DEFAULT_MAX_CLIENT_HELLO_SIZE);
        try (RawClient client = new RawClient(server.port())) {
            client.send(new byte[] {0x00, (byte) 0xff, 0x13, 0x37, 0x42, 0x00, 0x01});
            assertThat(client.readAvailable(200)).isEmpty();
            assertThat(TestTls.awaitClose(client.socket(), CLOSE_WAIT_MILLIS)).isTrue();
        }
        assertClosedAndCounted(HandshakeFailure.NOT_TLS, CloseReason.NOT_TLS);
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void aHandshakeRecordHoldingGarbageIsNotTls(TlsProvider provider) throws Exception {
        start(provider, TlsConfig.DEFAULT_MAX_CLIENT_HELLO_SIZE);
        try (RawClient client = new RawClient(server.port())) {
            // Handshake content type, then a version and length no TLS record has.
            client.send(new byte[] {0x16, 0x7f, 0x7f, (byte) 0xff, (byte) 0xff, 1, 2, 3, 4, 5, 6, 7, 8, 9});
            assertThat(TestTls.awaitClose(client.socket(), CLOSE_WAIT_MILLIS)).isTrue();
        }
        assertThat(Poll.until(Duration.ofSeconds(5), () -> server.stats().connectionsActive() == 0)).isTrue();
        assertThat(server.stats().tls().handshakesFailed(HandshakeFailure.NOT_TLS)
                + server.stats().tls().handshakesFailed(HandshakeFailure.REJECTED)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void aClientHelloDeclaredLargerThanTheBoundIsClosed(TlsProvider provider) throws Exception {
        start(provider, 1024);
        try (RawClient client = new RawClient(server.port())) {
            // One record whose handshake header declares a 4 KiB ClientHello.
            byte[] record = new byte[5 + 64];
            record[0] = 0x16;
            record[1] = 0x03;
            record[2] = 0x01;
            record[4] = 64;
            record[5] = 0x01;
            record[7] = 0x10;
            client.send(record);
            assertThat(TestTls.awaitClose(client.socket(), CLOSE_WAIT_MILLIS)).isTrue();
        }
        assertClosedAndCounted(HandshakeFailure.CLIENT_HELLO_TOO_LARGE, CloseReason.TLS_HANDSHAKE_FAILED);
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void aRealClientHelloOverTheBoundFailsTheHandshake(TlsProvider provider) throws Exception {
        byte[] hello = TestTls.clientHello("localhost");
        int bound = 256;
        assertThat(hello.length).as("a JDK ClientHello is larger than the bound").isGreaterThan(bound + 9);
        start(provider, bound);
        assertThatThrownBy(() -> TestTls.connect(TestTls.clientContext(), server.port(), "localhost").close())
                .isInstanceOf(IOException.class);
        assertClosedAndCounted(HandshakeFailure.CLIENT_HELLO_TOO_LARGE, CloseReason.TLS_HANDSHAKE_FAILED);
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void aHandshakeTrickledOneByteAtATimeIsClosedAtTheTimeout(TlsProvider provider) throws Exception {
        start(provider, TlsConfig.DEFAULT_MAX_CLIENT_HELLO_SIZE);
        byte[] hello = TestTls.clientHello("localhost");
        long started = System.nanoTime();
        boolean closedBeforeTheEnd = false;
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            // One byte every 20 ms: the whole hello would take far longer than the timeout.
            assertThat(hello.length * 20L).isGreaterThan(HANDSHAKE_TIMEOUT.toMillis() * 3);
            for (byte b : hello) {
                try {
                    out.write(b);
                    out.flush();
                } catch (IOException closed) {
                    closedBeforeTheEnd = true;
                    break;
                }
                if (server.stats().connectionsActive() == 0) {
                    closedBeforeTheEnd = true;
                    break;
                }
                Poll.until(Duration.ofMillis(20), () -> false);
            }
            assertThat(TestTls.awaitClose(socket, CLOSE_WAIT_MILLIS)).isTrue();
        }
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(closedBeforeTheEnd).isTrue();
        assertThat(tookMillis).isGreaterThanOrEqualTo(HANDSHAKE_TIMEOUT.toMillis());
        assertClosedAndCounted(HandshakeFailure.TIMEOUT, CloseReason.TLS_HANDSHAKE_TIMEOUT);
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void aClientThatNeverSpeaksIsClosedAtTheTimeout(TlsProvider provider) throws Exception {
        start(provider, TlsConfig.DEFAULT_MAX_CLIENT_HELLO_SIZE);
        long started = System.nanoTime();
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            assertThat(Poll.until(Duration.ofSeconds(5), () -> server.stats().connectionsActive() == 1)).isTrue();
            assertThat(TestTls.awaitClose(socket, CLOSE_WAIT_MILLIS)).isTrue();
        }
        assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(HANDSHAKE_TIMEOUT.toMillis());
        assertClosedAndCounted(HandshakeFailure.TIMEOUT, CloseReason.TLS_HANDSHAKE_TIMEOUT);
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void aClientThatStopsAfterItsHelloIsClosedAtTheTimeout(TlsProvider provider) throws Exception {
        start(provider, TlsConfig.DEFAULT_MAX_CLIENT_HELLO_SIZE);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write(TestTls.clientHello("localhost"));
            socket.getOutputStream().flush();
            assertThat(TestTls.awaitClose(socket, CLOSE_WAIT_MILLIS)).isTrue();
        }
        assertClosedAndCounted(HandshakeFailure.TIMEOUT, CloseReason.TLS_HANDSHAKE_TIMEOUT);
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void aClientThatLeavesMidHandshakeIsCountedAsClosed(TlsProvider provider) throws Exception {
        start(provider, TlsConfig.DEFAULT_MAX_CLIENT_HELLO_SIZE);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            byte[] hello = TestTls.clientHello("localhost");
            socket.getOutputStream().write(hello, 0, hello.length / 2);
            socket.getOutputStream().flush();
            assertThat(Poll.until(Duration.ofSeconds(5), () -> server.stats().connectionsActive() == 1)).isTrue();
        }
        assertClosedAndCounted(HandshakeFailure.CLOSED, CloseReason.CLIENT);
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void anUntrustingClientFailsTheHandshake(TlsProvider provider) throws Exception {
        start(provider, TlsConfig.DEFAULT_MAX_CLIENT_HELLO_SIZE);
        // The client trusts only the client certificate: it rejects the server's and alerts.
        assertThatThrownBy(() -> TestTls.connect(TestTls.clientContext(null, "client"), server.port(), null).close())
                .isInstanceOf(SSLException.class);
        assertThat(Poll.until(Duration.ofSeconds(5), () -> server.stats().connectionsActive() == 0)).isTrue();
        assertThat(server.stats().tls().handshakesFailed(HandshakeFailure.REJECTED)).isEqualTo(1);
        assertThat(server.stats().connectionsClosed(CloseReason.TLS_HANDSHAKE_FAILED)).isEqualTo(1);
    }
}
