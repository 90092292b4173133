package dev.saker.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.observe.HandshakeFailure;
import dev.saker.server.testing.LeakCheckExtension;
import dev.saker.server.testing.Poll;
import dev.saker.server.testing.RawClient;
import dev.saker.server.testing.TestTls;
import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Ten thousand connections to a TLS listener, good handshakes mixed with every kind of bad one:
 * every connection is answered or closed, counted once, and neither buffers nor direct memory leak.
 */
class TlsHandshakeSoakTest {

    private static final int CONNECTIONS = 10_000;
    private static final int WARM_UP = 1_000;
    private static final int THREADS = 4;
    private static final int KINDS = 6;
    /** Direct memory may grow this much after warm-up (pool chunks settling), not with the connection count. */
    private static final long DIRECT_MEMORY_SLACK = 32L * 1024 * 1024;

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void tenThousandHandshakesLeakNothing(TlsProvider provider) throws Exception {
        TlsConfig tls = TlsConfig.builder(TestTls.material("server")).provider(provider)
                .maxClientHelloSize(4096).handshakeTimeout(Duration.ofSeconds(5)).build();
        SakerServer server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(2)
                .dispatchMode(DispatchMode.EVENT_LOOP).tls(tls).build(), ex -> ex.send("ok")).start();
        SSLContext client = TestTls.clientContext();
        byte[] hello = TestTls.clientHello("localhost");
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        long directAfterWarmUp;
        try {
            run(pool, 0, WARM_UP, server, client, hello, failures);
            assertThat(Poll.until(Duration.ofSeconds(10), () -> server.stats().connectionsActive() == 0)).isTrue();
            directAfterWarmUp = directMemory();
            run(pool, WARM_UP, CONNECTIONS, server, client, hello, failures);
            assertThat(Poll.until(Duration.ofSeconds(10), () -> server.stats().connectionsActive() == 0)).isTrue();
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        long directAtEnd = directMemory();
        assertThat(failures).isEmpty();
        assertThat(server.stats().connectionsAccepted()).isEqualTo(CONNECTIONS);
        assertThat(server.stats().connectionsClosed()).isEqualTo(CONNECTIONS);
        int perKind = CONNECTIONS / KINDS;
        assertThat(server.stats().tls().handshakesSucceededTotal()).isBetween(2L * perKind, 2L * perKind + 2);
        assertThat(server.stats().tls().handshakesFailed(HandshakeFailure.NOT_TLS)).isBetween(2L * perKind, 2L * perKind + 2);
        assertThat(server.stats().tls().handshakesFailed(HandshakeFailure.CLIENT_HELLO_TOO_LARGE)).isBetween((long) perKind, perKind + 1L);
        assertThat(server.stats().tls().handshakesFailed(HandshakeFailure.CLOSED)).isBetween((long) perKind, perKind + 1L);
        assertThat(server.stats().requestsTotal()).isEqualTo(server.stats().tls().handshakesSucceededTotal());
        server.stop();
        assertThat(LeakCheckExtension.collect()).isEmpty();
        if (directAfterWarmUp >= 0) {
            assertThat(directAtEnd - directAfterWarmUp).as("direct memory growth after warm-up")
                    .isLessThan(DIRECT_MEMORY_SLACK);
        }
    }

    private static void run(ExecutorService pool, int from, int to, SakerServer server, SSLContext client, byte[] hello,
            ConcurrentLinkedQueue<Throwable> failures) throws Exception {
        AtomicInteger next = new AtomicInteger(from);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            workers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < to; i = next.getAndIncrement()) {
                    try {
                        connect(i % KINDS, server.port(), client, hello);
                    } catch (IOException | RuntimeException | AssertionError e) {
                        failures.add(new AssertionError("connection " + i + " (kind " + i % KINDS + ")", e));
                        return;
                    }
                }
            }));
        }
        for (Future<?> worker : workers) {
            worker.get(120, TimeUnit.SECONDS);
        }
    }

    private static void connect(int kind, int port, SSLContext client, byte[] hello) throws IOException {
        switch (kind) {
            case 0:
            case 1: {
                try (RawClient http = new RawClient(TestTls.connect(client, port, null))) {
                    http.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
                    assertThat(http.read().status()).isEqualTo(200);
                }
                break;
            }
            case 2: {
                try (RawClient raw = new RawClient(port)) {
                    raw.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
                    assertThat(raw.read().status()).isEqualTo(400);
                    assertThat(TestTls.awaitClose(raw.socket(), 10_000)).isTrue();
                }
                break;
            }
            case 3: {
                try (RawClient raw = new RawClient(port)) {
                    raw.send(new byte[] {0x05, 0x01, 0x00, 0x7f});
                    assertThat(TestTls.awaitClose(raw.socket(), 10_000)).isTrue();
                }
                break;
            }
            case 4: {
                try (RawClient raw = new RawClient(port)) {
                    // A handshake record declaring a ClientHello above the 4 KiB bound.
                    raw.send(new byte[] {0x16, 0x03, 0x01, 0x00, 0x08, 0x01, 0x00, 0x20, 0x00, 0, 0, 0, 0});
                    assertThat(TestTls.awaitClose(raw.socket(), 10_000)).isTrue();
                }
                break;
            }
            default: {
                // Half a ClientHello, then gone.
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    socket.getOutputStream().write(hello, 0, hello.length / 2);
                    socket.getOutputStream().flush();
                }
                break;
            }
        }
    }

    /** @return direct memory in use: Netty's own count when it keeps one, else the JVM's direct buffer pool */
    private static long directMemory() {
        long netty = PlatformDependent.usedDirectMemory();
        long jvm = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                jvm = pool.getMemoryUsed();
            }
        }
        return Math.max(netty, 0) + jvm;
    }
}
