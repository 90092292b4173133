package dev.saker.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.observe.ServedCertificate;
import dev.saker.server.testing.Poll;
import dev.saker.server.testing.RawClient;
import dev.saker.server.testing.TestTls;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Replacing the certificates while clients keep connecting and sending requests. */
class TlsReloadTest {

    private static final int CLIENT_THREADS = 4;
    private static final int RELOADS = 4;
    /** Requests every client thread sends at most: bounds the loop if the reloads stall. */
    private static final int MAX_REQUESTS_PER_THREAD = 5_000;

    private SakerServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private void start(TlsProvider provider) {
        TlsConfig tls = TlsConfig.builder(TestTls.material("server")).provider(provider)
                .serverName("alt.example", TestTls.material("alt")).build();
        server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(2)
                .dispatchMode(DispatchMode.EVENT_LOOP).tls(tls).build(), ex -> ex.send("ok")).start();
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void reloadUnderLoadFailsNoRequest(TlsProvider provider) throws Exception {
        start(provider);
        SSLContext trustingBoth = TestTls.clientContext();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong requests = new AtomicLong();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENT_THREADS);
        List<Future<?>> loops = new ArrayList<>();
        try (SSLSocket oldSocket = TestTls.connect(TestTls.clientContext(), server.port(), null);
                RawClient old = new RawClient(oldSocket)) {
            assertThat(TestTls.peer(oldSocket)).isEqualTo(TestTls.certificate("server"));
            assertThat(request(old)).isEqualTo(200);
            for (int t = 0; t < CLIENT_THREADS; t++) {
                boolean keepAlive = t % 2 == 0;
                loops.add(clients.submit(() -> load(trustingBoth, keepAlive, running, requests, failures)));
            }
            String[] materials = {"server2", "server"};
            for (int i = 0; i < RELOADS; i++) {
                long before = requests.get();
                assertThat(Poll.until(Duration.ofSeconds(20), () -> requests.get() >= before + 100))
                        .as("clients make progress").isTrue();
                String next = materials[i % 2];
                server.reloadTls(TestTls.material(next), Map.of("alt.example", TestTls.material("alt")));
                try (SSLSocket fresh = TestTls.connect(TestTls.clientContext(), server.port(), null)) {
                    assertThat(TestTls.peer(fresh)).as("reload %d", i).isEqualTo(TestTls.certificate(next));
                }
                try (SSLSocket named = TestTls.connect(TestTls.clientContext(), server.port(), "alt.example")) {
                    assertThat(TestTls.peer(named)).isEqualTo(TestTls.certificate("alt"));
                }
                assertThat(certificateSerials()).contains(TestTls.certificate(next).getSerialNumber().toString(16));
            }
            long before = requests.get();
            assertThat(Poll.until(Duration.ofSeconds(20), () -> requests.get() >= before + 100)).isTrue();
            running.set(false);
            for (Future<?> loop : loops) {
                loop.get(30, TimeUnit.SECONDS);
            }
            // The connection made before the first reload is still served, with its first certificate.
            assertThat(request(old)).isEqualTo(200);
            assertThat(TestTls.peer(oldSocket)).isEqualTo(TestTls.certificate("server"));
        } finally {
            running.set(false);
            clients.shutdownNow();
            assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(failures).isEmpty();
        assertThat(requests.get()).isGreaterThanOrEqualTo(RELOADS * 100L);
        assertThat(server.stats().tls().handshakesFailedTotal()).isZero();
        assertThat(server.stats().responses(2)).isEqualTo(server.stats().requestsTotal());
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK", "OPENSSL"})
    void aRefusedReloadKeepsTheOldCertificates(TlsProvider provider) throws Exception {
        start(provider);
        TlsMaterial refused = new TlsMaterial(TestTls.keyManagers("server2"), null, ClientAuth.NONE, List.of(),
                List.of("TLS_NO_SUCH_CIPHER"), List.of());
        assertThatThrownBy(() -> server.reloadTls(TestTls.material("server2"), Map.of("bad.example", refused)))
                .isInstanceOf(TlsSetupException.class).hasMessageContaining("bad.example");
        try (SSLSocket socket = TestTls.connect(TestTls.clientContext(), server.port(), null)) {
            assertThat(TestTls.peer(socket)).isEqualTo(TestTls.certificate("server"));
        }
        try (SSLSocket socket = TestTls.connect(TestTls.clientContext(), server.port(), "alt.example")) {
            assertThat(TestTls.peer(socket)).isEqualTo(TestTls.certificate("alt"));
        }
        assertThat(certificateSerials()).doesNotContain(TestTls.certificate("server2").getSerialNumber().toString(16));
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK"})
    void aRestartServesTheReloadedCertificates(TlsProvider provider) throws Exception {
        start(provider);
        server.reloadTls(TestTls.material("server2"), Map.of());
        server.stop();
        server.start();
        try (SSLSocket socket = TestTls.connect(TestTls.clientContext(), server.port(), "alt.example")) {
            assertThat(TestTls.peer(socket)).as("the reload dropped the server name").isEqualTo(TestTls.certificate("server2"));
        }
        assertThat(certificateSerials()).containsExactly(TestTls.certificate("server2").getSerialNumber().toString(16));
    }

    @ParameterizedTest
    @EnumSource(value = TlsProvider.class, names = {"JDK"})
    void reloadNeedsATlsServer(TlsProvider provider) {
        server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(1).build(),
                ex -> ex.send("ok")).start();
        assertThatThrownBy(() -> server.reloadTls(TestTls.material("server"), Map.of()))
                .isInstanceOf(IllegalStateException.class);
    }

    private List<String> certificateSerials() {
        List<String> serials = new ArrayList<>();
        for (ServedCertificate certificate : server.stats().tls().certificates()) {
            serials.add(certificate.serial().toString(16));
        }
        return serials;
    }

    private void load(SSLContext context, boolean keepAlive, AtomicBoolean running, AtomicLong requests,
            ConcurrentLinkedQueue<Throwable> failures) {
        RawClient connection = null;
        try {
            for (int i = 0; i < MAX_REQUESTS_PER_THREAD && running.get(); i++) {
                if (connection == null) {
                    connection = new RawClient(TestTls.connect(context, server.port(), null));
                }
                int status = request(connection);
                if (status != 200) {
                    failures.add(new AssertionError("status " + status));
                    return;
                }
                requests.incrementAndGet();
                if (!keepAlive || i % 50 == 49) {
                    connection.close();
                    connection = null;
                }
            }
        } catch (IOException | RuntimeException e) {
            failures.add(e);
        } finally {
            if (connection != null) {
                try {
                    connection.close();
                } catch (IOException e) {
                    failures.add(e);
                }
            }
        }
    }

    private static int request(RawClient client) throws IOException {
        client.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
        return client.read().status();
    }
}
