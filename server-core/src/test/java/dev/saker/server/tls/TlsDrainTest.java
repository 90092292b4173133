package dev.saker.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.lifecycle.ShutdownResult;
import dev.saker.server.observe.CloseReason;
import dev.saker.server.observe.HandshakeFailure;
import dev.saker.server.testing.LeakCheckExtension;
import dev.saker.server.testing.Poll;
import dev.saker.server.testing.RawClient;
import dev.saker.server.testing.TestTls;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A graceful drain over TLS loopback sockets: a handshake under way when the drain begins may
 * finish and its first request is served with {@code Connection: close}; a connection idle after
 * its handshake closes once idle for the drain grace, counted from the handshake's end; one that
 * never finishes its handshake is closed at the drain grace, the handshake timeout or the drain's
 * deadline, whichever comes first, and leaves no buffer behind.
 */
class TlsDrainTest {

    private static final int CLOSE_WAIT_MILLIS = 10_000;

    private SakerServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        assertThat(LeakCheckExtension.collect()).as("leaked buffers").isEmpty();
    }

    private void start(TlsProvider provider, Duration grace, Duration handshakeTimeout) {
        TlsConfig tls = TlsConfig.builder(TestTls.material("server")).provider(provider).handshakeTimeout(handshakeTimeout).build();
        server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1).tls(tls).http2(true)
                .drainIdleGrace(grace).build(), ex -> ex.send("done " + ex.path())).start();
    }

    /** A plain TCP connection to the server, with the TLS handshake not begun. */
    private Socket tcp() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
        socket.setSoTimeout(CLOSE_WAIT_MILLIS);
        socket.setTcpNoDelay(true);
        assertThat(Poll.until(Duration.ofSeconds(5), () -> server.stats().connectionsActive() == 1)).isTrue();
        return socket;
    }

    /** TLS over {@code plain}; the handshake is not started. */
    private static SSLSocket tls(Socket plain, String... alpn) throws IOException {
        SSLSocket socket = (SSLSocket) TestTls.clientContext().getSocketFactory()
                .createSocket(plain, "localhost", plain.getPort(), true);
        if (alpn.length > 0) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setApplicationProtocols(alpn);
            socket.setSSLParameters(parameters);
        }
        socket.setSoTimeout(CLOSE_WAIT_MILLIS);
        return socket;
    }

    private static void pause(Duration duration) {
        Poll.until(duration, () -> false);
    }

    private static void assertServedWithConnectionClose(SSLSocket socket) throws IOException {
        RawClient client = new RawClient(socket);
        client.send("GET /first HTTP/1.1\r\nHost: localhost\r\n\r\n");
        RawClient.Response response = client.read();
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo("done /first");
        assertThat(response.header("Connection")).isEqualTo("close");
        assertThat(TestTls.awaitClose(socket, CLOSE_WAIT_MILLIS)).as("closed after that response").isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void aClientThatHasNotSentItsHelloWhenTheDrainBeginsIsServed(TlsProvider provider) throws Exception {
        start(provider, Duration.ofSeconds(30), Duration.ofSeconds(10));
        try (Socket plain = tcp()) {
            server.beginGracefulShutdown();
            SSLSocket socket = tls(plain);
            socket.startHandshake();
            assertServedWithConnectionClose(socket);
        }
        assertThat(server.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(server.stats().tls().handshakesSucceededTotal()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void aHandshakeHalfDoneWhenTheDrainBeginsFinishesAndItsRequestIsServed(TlsProvider provider) throws Exception {
        Duration grace = Duration.ofMillis(500);
        start(provider, grace, Duration.ofSeconds(10));
        try (GatedSocket plain = new GatedSocket()) {
            plain.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            plain.setTcpNoDelay(true);
            assertThat(Poll.until(Duration.ofSeconds(5), () -> server.stats().connectionsActive() == 1)).isTrue();
            // Connected longer ago than the grace: the hello, not the accept, is the client's last word.
            pause(grace.multipliedBy(2));
            SSLSocket socket = tls(plain);
            CompletableFuture<Void> handshake = CompletableFuture.runAsync(() -> {
                try {
                    socket.startHandshake();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            // Hello sent, the server's flight read: the client is about to send its Finished.
            assertThat(plain.held.await(10, TimeUnit.SECONDS)).isTrue();
            server.beginGracefulShutdown();
            plain.release.countDown();
            handshake.get(10, TimeUnit.SECONDS);
            assertServedWithConnectionClose(socket);
        }
        assertThat(server.awaitIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(server.stats().tls().handshakesFailedTotal()).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void aConnectionIdleAfterItsHandshakeClosesOnceIdleForTheGraceFromItsEnd(TlsProvider provider) throws Exception {
        Duration grace = Duration.ofMillis(500);
        start(provider, grace, Duration.ofSeconds(10));
        try (Socket plain = tcp()) {
            // The handshake ends well after accept: the grace counts from its end.
            pause(grace.multipliedBy(2));
            SSLSocket socket = tls(plain, "http/1.1");
            socket.startHandshake();
            long handshakeDone = System.nanoTime();
            server.beginGracefulShutdown();
            assertThat(TestTls.awaitClose(socket, CLOSE_WAIT_MILLIS)).as("closed by the sweep, with no deadline").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - handshakeDone)).isGreaterThanOrEqualTo(grace);
        }
        assertThat(Poll.until(Duration.ofSeconds(5), () -> server.stats().connectionsClosed(CloseReason.SHUTDOWN) == 1)).isTrue();
        assertThat(server.stats().requestsTotal()).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void anHttp2ConnectionThatSentNothingGetsAGoawayAndClosesAfterTheGrace(TlsProvider provider) throws Exception {
        Duration grace = Duration.ofMillis(500);
        start(provider, grace, Duration.ofSeconds(10));
        try (Socket plain = tcp()) {
            pause(grace.multipliedBy(2));
            SSLSocket socket = tls(plain, "h2");
            socket.startHandshake();
            long handshakeDone = System.nanoTime();
            assertThat(socket.getApplicationProtocol()).isEqualTo("h2");
            server.beginGracefulShutdown();
            byte[] received = readUntilClose(socket.getInputStream());
            assertThat(Duration.ofNanos(System.nanoTime() - handshakeDone)).isGreaterThanOrEqualTo(grace);
            assertThat(frameTypes(received)).as("SETTINGS, then GOAWAY").contains(0x4, 0x7);
        }
        assertThat(Poll.until(Duration.ofSeconds(5), () -> server.stats().connectionsClosed(CloseReason.SHUTDOWN) == 1)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void aHandshakeThatStopsAfterTheHelloIsClosedOnceIdleForTheGrace(TlsProvider provider) throws Exception {
        Duration grace = Duration.ofMillis(300);
        start(provider, grace, Duration.ofSeconds(30));
        try (Socket plain = tcp()) {
            plain.getOutputStream().write(TestTls.clientHello("localhost"));
            plain.getOutputStream().flush();
            long helloSent = System.nanoTime();
            server.beginGracefulShutdown();
            assertThat(TestTls.awaitClose(plain, CLOSE_WAIT_MILLIS)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - helloSent)).isGreaterThanOrEqualTo(grace);
        }
        assertThat(Poll.until(Duration.ofSeconds(5), () -> server.stats().connectionsActive() == 0)).isTrue();
        assertThat(server.stats().tls().handshakesFailed(HandshakeFailure.SHUTDOWN)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void theHandshakeTimeoutStillEndsAHandshakeWhenItComesBeforeTheGrace(TlsProvider provider) throws Exception {
        Duration timeout = Duration.ofMillis(400);
        start(provider, Duration.ofMinutes(5), timeout);
        long started = System.nanoTime();
        try (Socket plain = tcp()) {
            server.beginGracefulShutdown();
            assertThat(TestTls.awaitClose(plain, CLOSE_WAIT_MILLIS)).isTrue();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(timeout).isLessThan(Duration.ofMinutes(5));
        assertThat(Poll.until(Duration.ofSeconds(5), () -> server.stats().connectionsActive() == 0)).isTrue();
        assertThat(server.stats().tls().handshakesFailed(HandshakeFailure.TIMEOUT)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void theDrainsDeadlineEndsAHandshakeWhenItComesFirst(TlsProvider provider) throws Exception {
        start(provider, Duration.ofMinutes(5), Duration.ofMinutes(5));
        try (Socket plain = tcp()) {
            byte[] hello = TestTls.clientHello("localhost");
            plain.getOutputStream().write(hello, 0, hello.length / 2);
            plain.getOutputStream().flush();
            ShutdownResult outcome = server.shutdownGracefully(Duration.ofMillis(300));
            assertThat(outcome.took()).isGreaterThanOrEqualTo(Duration.ofMillis(300)).isLessThan(Duration.ofMinutes(5));
            assertThat(outcome.idle()).isFalse();
            assertThat(TestTls.awaitClose(plain, CLOSE_WAIT_MILLIS)).isTrue();
        }
        assertThat(server.stats().tls().handshakesFailed(HandshakeFailure.SHUTDOWN)).isEqualTo(1);
    }

    private static byte[] readUntilClose(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        try {
            for (int n; (n = in.read(chunk)) >= 0;) {
                all.write(chunk, 0, n);
            }
        } catch (javax.net.ssl.SSLException | java.net.SocketException closed) {
            // A reset after the last frames: they were read already.
        }
        return all.toByteArray();
    }

    /** The types of the HTTP/2 frames in {@code bytes}, in order. */
    private static java.util.List<Integer> frameTypes(byte[] bytes) {
        java.util.List<Integer> types = new java.util.ArrayList<>();
        for (int at = 0; at + 9 <= bytes.length;) {
            int length = (bytes[at] & 0xFF) << 16 | (bytes[at + 1] & 0xFF) << 8 | bytes[at + 2] & 0xFF;
            types.add(bytes[at + 3] & 0xFF);
            at += 9 + length;
        }
        return types;
    }

    /** A socket whose output lets the first write through and holds the next until released. */
    private static final class GatedSocket extends Socket {
        final CountDownLatch held = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private OutputStream gated;

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (gated == null) {
                gated = new FilterOutputStream(super.getOutputStream()) {
                    private int writes;

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        if (writes++ == 1) {
                            held.countDown();
                            try {
                                release.await(10, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                throw new IOException(e);
                            }
                        }
                        out.write(b, off, len);
                    }
                };
            }
            return gated;
        }
    }
}
