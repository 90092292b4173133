package dev.saker.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.testing.LeakCheckExtension;
import dev.saker.server.testing.Poll;
import dev.saker.server.testing.RawClient;
import dev.saker.server.testing.TestTls;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCounted;
import java.io.IOException;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OpenSSL contexts are released when Saker replaces them (reload) or stops: their reference count
 * reaches zero once the last connection made with them closes, with no finalizer involved.
 */
class TlsContextReleaseTest {

    private static final int CLIENT_THREADS = 3;
    /** Handshakes each client thread makes: bounds the load whatever the reloads do. */
    private static final int HANDSHAKES_PER_THREAD = 150;
    private static final int MAX_RELOADS = 40;

    private SakerServer server;

    @BeforeEach
    void needsOpenSsl() {
        assumeTrue(OpenSsl.isAvailable(), "netty-tcnative is not available on this platform");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private void start() {
        TlsConfig tls = TlsConfig.builder(TestTls.material("server")).provider(TlsProvider.OPENSSL)
                .serverName("alt.example", TestTls.material("alt")).build();
        server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(2)
                .dispatchMode(DispatchMode.EVENT_LOOP).tls(tls).build(), ex -> ex.send("ok")).start();
    }

    @Test
    void stopReleasesTheContexts() throws Exception {
        start();
        List<ReferenceCounted> contexts = currentContexts();
        assertThat(contexts).hasSize(2);
        try (RawClient plain = new RawClient(TestTls.connect(TestTls.clientContext(), server.port(), null));
                RawClient named = new RawClient(TestTls.connect(TestTls.clientContext(), server.port(), "alt.example"))) {
            assertThat(request(plain)).isEqualTo(200);
            assertThat(request(named)).isEqualTo(200);
            // The set's reference and the open connection's engine.
            assertThat(contexts).allSatisfy(context -> assertThat(context.refCnt()).isGreaterThanOrEqualTo(2));
            server.stop();
        }
        assertThat(contexts).allSatisfy(context -> assertThat(context.refCnt()).isZero());
        assertThat(LeakCheckExtension.collect()).isEmpty();
    }

    @Test
    void aReloadReleasesTheReplacedContextsOnceTheirConnectionsClose() throws Exception {
        start();
        List<ReferenceCounted> old = currentContexts();
        ReferenceCounted oldDefault = old.get(0);
        try (SSLSocket socket = TestTls.connect(TestTls.clientContext(), server.port(), null);
                RawClient open = new RawClient(socket)) {
            assertThat(request(open)).isEqualTo(200);
            server.reloadTls(TestTls.material("server2"), Map.of("alt.example", TestTls.material("alt")));
            // No connection uses the old alt context: released with the set.
            assertThat(old.get(1).refCnt()).isZero();
            // The connection made before the reload keeps its context alive and is still served.
            assertThat(oldDefault.refCnt()).isEqualTo(1);
            assertThat(request(open)).isEqualTo(200);
            assertThat(TestTls.peer(socket)).isEqualTo(TestTls.certificate("server"));
        }
        assertThat(Poll.until(Duration.ofSeconds(10), () -> oldDefault.refCnt() == 0))
                .as("the old default context is released when its last connection closes").isTrue();
        List<ReferenceCounted> current = currentContexts();
        try (SSLSocket fresh = TestTls.connect(TestTls.clientContext(), server.port(), null)) {
            assertThat(TestTls.peer(fresh)).isEqualTo(TestTls.certificate("server2"));
        }
        server.stop();
        assertThat(current).allSatisfy(context -> assertThat(context.refCnt()).isZero());
        assertThat(LeakCheckExtension.collect()).isEmpty();
    }

    @Test
    void reloadsDuringHandshakesReleaseEveryContextAndFailNone() throws Exception {
        start();
        SSLContext client = TestTls.clientContext();
        AtomicLong handshakes = new AtomicLong();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<ReferenceCounted> replaced = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENT_THREADS);
        List<Future<?>> loops = new ArrayList<>();
        try {
            for (int t = 0; t < CLIENT_THREADS; t++) {
                String serverName = t % 2 == 0 ? null : "alt.example";
                loops.add(clients.submit(() -> handshakes(client, serverName, handshakes, failures)));
            }
            String[] materials = {"server2", "server"};
            long total = (long) CLIENT_THREADS * HANDSHAKES_PER_THREAD;
            for (int i = 0; i < MAX_RELOADS && handshakes.get() < total && failures.isEmpty(); i++) {
                long before = handshakes.get();
                // Each reload lands while handshakes run: wait for a few between reloads.
                Poll.until(Duration.ofSeconds(10), () -> handshakes.get() >= Math.min(total, before + 3));
                replaced.addAll(currentContexts());
                server.reloadTls(TestTls.material(materials[i % 2]), Map.of("alt.example", TestTls.material("alt")));
            }
            for (Future<?> loop : loops) {
                loop.get(60, TimeUnit.SECONDS);
            }
        } finally {
            clients.shutdownNow();
            assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(failures).isEmpty();
        assertThat(handshakes.get()).isEqualTo((long) CLIENT_THREADS * HANDSHAKES_PER_THREAD);
        assertThat(replaced).as("reloads happened").isNotEmpty();
        assertThat(Poll.until(Duration.ofSeconds(10), () -> server.stats().connectionsActive() == 0)).isTrue();
        assertThat(server.stats().tls().handshakesFailedTotal()).isZero();
        // Every connection has closed: the replaced contexts are all released before the stop.
        assertThat(replaced).allSatisfy(context -> assertThat(context.refCnt()).isZero());
        List<ReferenceCounted> current = currentContexts();
        server.stop();
        assertThat(current).allSatisfy(context -> assertThat(context.refCnt()).isZero());
        assertThat(LeakCheckExtension.collect()).isEmpty();
    }

    private void handshakes(SSLContext client, String serverName, AtomicLong handshakes,
            ConcurrentLinkedQueue<Throwable> failures) {
        try {
            for (int i = 0; i < HANDSHAKES_PER_THREAD; i++) {
                try (RawClient connection = new RawClient(TestTls.connect(client, server.port(), serverName))) {
                    int status = request(connection);
                    if (status != 200) {
                        failures.add(new AssertionError("status " + status));
                        return;
                    }
                }
                handshakes.incrementAndGet();
            }
        } catch (IOException | RuntimeException e) {
            failures.add(e);
        }
    }

    /** The contexts new handshakes use now, default first, as reference-counted OpenSSL contexts. */
    private List<ReferenceCounted> currentContexts() {
        List<ReferenceCounted> contexts = new ArrayList<>();
        for (SslContext context : selection().currentContexts().all()) {
            assertThat(context).isInstanceOf(ReferenceCounted.class);
            contexts.add((ReferenceCounted) context);
        }
        return contexts;
    }

    /** The server's TLS selection: a test-only read of SakerServer's private field (another package). */
    private TlsSelection selection() {
        try {
            Field field = SakerServer.class.getDeclaredField("tls");
            field.setAccessible(true);
            return (TlsSelection) field.get(server);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("SakerServer has no field tls", e);
        }
    }

    private static int request(RawClient client) throws IOException {
        client.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
        return client.read().status();
    }
}
