package dev.saker.boot.servlet;

import static dev.saker.boot.servlet.SakerServletWebServerFactorySslTest.pemBundle;
import static org.assertj.core.api.Assertions.assertThat;

import dev.saker.server.testing.Poll;
import dev.saker.server.testing.RawClient;
import dev.saker.server.tls.TlsProvider;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.boot.web.server.Ssl;

/**
 * Hot reload through Spring Boot's own bundle registry ({@link DefaultSslBundleRegistry#updateBundle},
 * what {@code reload-on-update} calls when the files change): new connections get the new
 * certificate, connections opened before keep theirs and keep working.
 */
class SslBundleReloadTest extends FactoryTestSupport {

    @Test
    void anUpdateReachesNewConnectionsWhileAKeptAliveOneKeepsWorking() throws Exception {
        DefaultSslBundleRegistry bundles = startWithBundle("web", pemBundle("alpha"));
        try (SSLSocket before = TlsTestClient.anonymous().connect(webServer.getPort()); RawClient kept = new RawClient(before)) {
            assertThat(TlsTestClient.get(kept, "/hello").status()).isEqualTo(200);
            assertThat(TlsTestClient.servedName(before)).isEqualTo("alpha.example");
            bundles.updateBundle("web", pemBundle("beta"));
            assertThat(newConnectionServes()).isEqualTo("beta.example");
            assertThat(TlsTestClient.get(kept, "/hello").bodyText()).isEqualTo("hello");
            assertThat(TlsTestClient.servedName(before)).isEqualTo("alpha.example");
        }
    }

    @Test
    void aServerNameBundleUpdateReloadsThatNameOnly() throws Exception {
        SakerServletWebServerFactory factory = sslFactory();
        Ssl ssl = Ssl.forBundle("web");
        ssl.setServerNameBundles(List.of(new Ssl.ServerNameSslBundle("alpha.example", "named")));
        factory.setSsl(ssl);
        DefaultSslBundleRegistry bundles = new DefaultSslBundleRegistry("web", pemBundle("test"));
        bundles.registerBundle("named", pemBundle("alpha"));
        factory.setSslBundles(bundles);
        webServer = factory.getWebServer(servlet("/hello", text("hello")));
        webServer.start();
        bundles.updateBundle("named", pemBundle("beta"));
        try (SSLSocket socket = TlsTestClient.anonymous().serverName("alpha.example").connect(webServer.getPort())) {
            assertThat(TlsTestClient.servedName(socket)).isEqualTo("beta.example");
        }
        assertThat(newConnectionServes()).isEqualTo("localhost");
    }

    @Test
    void aRestartServesTheLatestUpdateIncludingOneMadeWhileStopped() throws Exception {
        DefaultSslBundleRegistry bundles = startWithBundle("web", pemBundle("alpha"));
        bundles.updateBundle("web", pemBundle("beta"));
        webServer.stop();
        webServer.start();
        assertThat(newConnectionServes()).isEqualTo("beta.example");
        webServer.stop();
        bundles.updateBundle("web", pemBundle("test"));
        webServer.start();
        assertThat(newConnectionServes()).isEqualTo("localhost");
    }

    @Test
    void anUnusableUpdateKeepsThePreviousCertificate() throws Exception {
        DefaultSslBundleRegistry bundles = startWithBundle("web", pemBundle("alpha"));
        PemSslStoreDetails beta = PemSslStoreDetails.forCertificate("classpath:tls/beta-cert.pem")
                .withPrivateKey("classpath:tls/beta-key.pem");
        bundles.updateBundle("web", SslBundle.of(new PemSslStoreBundle(beta, null), SslBundleKey.of(null, "no-such-alias")));
        assertThat(newConnectionServes()).isEqualTo("alpha.example");
        // Usable by Boot, refused by the TLS provider: the engine keeps the old contexts.
        SslBundle unknownCipher = SslBundle.of(pemBundle("beta").getStores(), SslBundleKey.NONE,
                SslOptions.of(new String[] {"TLS_NO_SUCH_CIPHER"}, null));
        bundles.updateBundle("web", unknownCipher);
        assertThat(newConnectionServes()).isEqualTo("alpha.example");
        bundles.updateBundle("web", pemBundle("beta"));
        assertThat(newConnectionServes()).isEqualTo("beta.example");
    }

    /**
     * Clients keep requesting (keep-alive, and a new connection every few requests) while the
     * bundle flips between two certificates: no request fails, and new connections see both.
     */
    @Test
    void reloadsUnderLoadFailNoRequest() throws Exception {
        DefaultSslBundleRegistry bundles = startWithBundle("web", pemBundle("alpha"));
        int clients = 4;
        int requestsPerClient = 300;
        int reloads = 12;
        AtomicInteger completed = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        Set<String> served = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            Future<?>[] runs = new Future<?>[clients];
            for (int c = 0; c < clients; c++) {
                runs[c] = pool.submit(() -> {
                    SSLSocket socket = null;
                    RawClient client = null;
                    try {
                        for (int i = 0; i < requestsPerClient && !stop.get(); i++) {
                            if (i % 10 == 0) {
                                if (client != null) {
                                    client.close();
                                }
                                socket = TlsTestClient.anonymous().connect(webServer.getPort());
                                served.add(TlsTestClient.servedName(socket));
                                client = new RawClient(socket);
                            }
                            RawClient.Response response = TlsTestClient.get(client, "/hello");
                            if (response.status() != 200 || !response.bodyText().equals("hello")) {
                                failures.add(new AssertionError("unexpected " + response.statusLine()));
                            }
                            completed.incrementAndGet();
                        }
                    } catch (IOException | RuntimeException e) {
                        failures.add(e);
                    } finally {
                        if (client != null) {
                            try {
                                client.close();
                            } catch (IOException ignored) {
                                // closing only
                            }
                        }
                    }
                    return null;
                });
            }
            for (int r = 0; r < reloads && failures.isEmpty(); r++) {
                int mark = completed.get();
                // Each reload waits for some traffic since the previous one, so reloads interleave with requests.
                Poll.until(Duration.ofSeconds(20), () -> completed.get() >= mark + 40 || !failures.isEmpty());
                bundles.updateBundle("web", pemBundle(r % 2 == 0 ? "beta" : "alpha"));
            }
            for (Future<?> run : runs) {
                run.get(60, TimeUnit.SECONDS);
            }
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
        assertThat(failures).isEmpty();
        assertThat(completed.get()).isEqualTo(clients * requestsPerClient);
        assertThat(served).containsExactlyInAnyOrder("alpha.example", "beta.example");
    }

    private DefaultSslBundleRegistry startWithBundle(String name, SslBundle bundle) {
        SakerServletWebServerFactory factory = sslFactory();
        factory.setSsl(Ssl.forBundle(name));
        DefaultSslBundleRegistry bundles = new DefaultSslBundleRegistry(name, bundle);
        factory.setSslBundles(bundles);
        webServer = factory.getWebServer(servlet("/hello", text("hello")));
        webServer.start();
        return bundles;
    }

    private String newConnectionServes() throws IOException {
        try (SSLSocket socket = TlsTestClient.anonymous().connect(webServer.getPort()); RawClient client = new RawClient(socket)) {
            assertThat(TlsTestClient.get(client, "/hello").status()).isEqualTo(200);
            return TlsTestClient.servedName(socket);
        }
    }
}
