package dev.saker.server.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.saker.server.dispatch.DispatchMode;
import dev.saker.server.http.HttpHandler;
import dev.saker.server.lifecycle.SakerServer;
import dev.saker.server.lifecycle.ServerConfig;
import dev.saker.server.observe.AdmissionRejection;
import dev.saker.server.observe.AdmissionStats;
import dev.saker.server.testing.Loopback;
import dev.saker.server.testing.Poll;
import dev.saker.server.testing.RawClient;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Admission control over real loopback sockets, HTTP/1.1. */
class AdmissionEndToEndTest {

    private static final String GET = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";

    private SakerServer server;
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.stop();
        }
    }

    private int start(AdmissionConfig.Builder admission, DispatchMode mode, HttpHandler handler) {
        server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(2).dispatchMode(mode)
                .admission(admission.nanoClock(clock::get).build()).build(), handler).start();
        return server.port();
    }

    private AdmissionStats admission() {
        return server.stats().admission();
    }

    @Test
    void pastTheBurstAClientGets429WithRetryAfterOnAKeptConnectionUntilATokenRefills() throws Exception {
        int port = start(AdmissionConfig.builder().requestsPerSecond(1).burst(3), DispatchMode.EVENT_LOOP, ex -> ex.send("ok"));
        try (RawClient client = new RawClient(port)) {
            for (int i = 0; i < 3; i++) {
                assertThat(client.send(GET).read().status()).as("request %d of the burst", i).isEqualTo(200);
            }
            RawClient.Response refused = client.send(GET).read();
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.header("Retry-After")).isEqualTo("1");
            assertThat(refused.header("Connection")).isNull();
            assertThat(refused.bodyText()).isEqualTo("Too many requests\n");
            assertThat(client.send(GET).read().status()).as("still empty, same connection").isEqualTo(429);

            clock.addAndGet(1_000_000_000L);
            assertThat(client.send(GET).read().status()).as("one token refilled").isEqualTo(200);
            assertThat(client.send(GET).read().status()).isEqualTo(429);
        }
        assertThat(admission().rejectedCount(AdmissionRejection.CLIENT_RATE)).isEqualTo(3);
        assertThat(admission().rejectedTotal()).isEqualTo(3);
        assertThat(admission().trackedClients()).isEqualTo(1);
    }

    @Test
    void theRateIsPerClientAcrossItsConnections() throws Exception {
        int port = start(AdmissionConfig.builder().requestsPerSecond(1).burst(2), DispatchMode.EVENT_LOOP, ex -> ex.send("ok"));
        try (RawClient a = new RawClient(port); RawClient b = new RawClient(port)) {
            assertThat(a.send(GET).read().status()).isEqualTo(200);
            assertThat(b.send(GET).read().status()).isEqualTo(200);
            assertThat(a.send(GET).read().status()).isEqualTo(429);
            assertThat(b.send(GET).read().status()).isEqualTo(429);
        }
    }

    @Test
    void aConnectionOverTheClientsLimitIsClosedAtAccept() throws Exception {
        int port = start(AdmissionConfig.builder().maxConnectionsPerClient(2), DispatchMode.EVENT_LOOP, ex -> ex.send("ok"));
        try (RawClient a = new RawClient(port); RawClient b = new RawClient(port)) {
            assertThat(a.send(GET).read().status()).isEqualTo(200);
            assertThat(b.send(GET).read().status()).isEqualTo(200);
            try (RawClient c = new RawClient(port)) {
                assertThat(c.closedByServer(10_000)).isTrue();
            }
            assertThat(admission().rejectedCount(AdmissionRejection.CLIENT_CONNECTIONS)).isEqualTo(1);
            assertThat(a.send(GET).read().status()).as("the admitted ones still serve").isEqualTo(200);
            a.close();
            assertThat(Poll.until(Duration.ofSeconds(10), () -> server.stats().connectionsActive() == 1)).isTrue();
            try (RawClient d = new RawClient(port)) {
                assertThat(d.send(GET).read().status()).as("a slot freed by a close").isEqualTo(200);
            }
        }
        assertThat(admission().rejectedTotal()).isEqualTo(1);
    }

    @Test
    void atTheConcurrencyLimitRequestsGet503WithRetryAfterAndThenAreServedAgain() throws Exception {
        CountDownLatch entered = new CountDownLatch(2);
        int port = start(AdmissionConfig.builder().maxConcurrentRequests(2).retryAfter(Duration.ofSeconds(3)),
                DispatchMode.WORKER_POOL, ex -> {
                    if (ex.path().equals("/hold")) {
                        entered.countDown();
                        release.await(20, TimeUnit.SECONDS);
                    }
                    ex.send("done");
                });
        try (RawClient a = new RawClient(port); RawClient b = new RawClient(port); RawClient c = new RawClient(port)) {
            a.send("GET /hold HTTP/1.1\r\nHost: a\r\n\r\n");
            b.send("GET /hold HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();

            RawClient.Response refused = c.send(GET).read();
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("Retry-After")).isEqualTo("3");
            assertThat(refused.bodyText()).startsWith("Service unavailable");
            assertThat(admission().rejectedCount(AdmissionRejection.CONCURRENCY)).isEqualTo(1);
            assertThat(admission().concurrencyLimit()).isEqualTo(2);

            release.countDown();
            assertThat(a.read().status()).isEqualTo(200);
            assertThat(b.read().status()).isEqualTo(200);
            assertThat(Poll.until(Duration.ofSeconds(10), () -> server.stats().requestsActive() == 0)).isTrue();
            assertThat(c.send(GET).read().status()).as("same connection, permits back").isEqualTo(200);
        }
        assertThat(admission().rejectedTotal()).isEqualTo(1);
    }

    @Test
    void adaptiveLimitLowersAfterSlowRequests() throws Exception {
        int port = start(AdmissionConfig.builder().maxConcurrentRequests(10).adaptive(true).adaptiveMinLimit(1)
                .adaptiveBackoffRatio(0.5).adaptiveLatencyThreshold(Duration.ofMillis(100)), DispatchMode.EVENT_LOOP, ex -> {
                    if (ex.path().equals("/slow")) {
                        clock.addAndGet(Duration.ofSeconds(1).toNanos());
                    }
                    ex.send("ok");
                });
        try (RawClient client = new RawClient(port)) {
            assertThat(client.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n").read().status()).isEqualTo(200);
            assertThat(Poll.until(Duration.ofSeconds(10), () -> admission().concurrencyLimit() == 5)).isTrue();
            assertThat(client.send("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n").read().status()).isEqualTo(200);
            assertThat(Poll.until(Duration.ofSeconds(10), () -> admission().concurrencyLimit() == 2)).isTrue();
        }
    }

    @Test
    void everythingIsOffByDefault() throws Exception {
        server = SakerServer.create(ServerConfig.builder().host("127.0.0.1").port(0).build(), ex -> ex.send("ok")).start();
        try (RawClient client = new RawClient(server.port())) {
            for (int i = 0; i < 50; i++) {
                assertThat(client.send(GET).read().status()).isEqualTo(200);
            }
        }
        assertThat(ServerConfig.builder().build().admission().enabled()).isFalse();
        assertThat(admission().concurrencyLimit()).isEqualTo(-1);
        assertThat(admission().rejectedTotal()).isZero();
    }

    private static String from(String forwardedFor) {
        return "GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: " + forwardedFor + "\r\n\r\n";
    }

    @Test
    void behindATrustedProxyTheForwardedClientHasTheBucketAndTheProxyNoConnectionLimit() throws Exception {
        int port = start(AdmissionConfig.builder().requestsPerSecond(1).burst(1).maxConnectionsPerClient(1)
                .trustedProxies(java.util.List.of("127.0.0.0/8")), DispatchMode.EVENT_LOOP, ex -> ex.send("ok"));
        try (RawClient proxy = new RawClient(port); RawClient second = new RawClient(port)) {
            assertThat(proxy.send(from("203.0.113.5")).read().status()).isEqualTo(200);
            assertThat(proxy.send(from("203.0.113.5")).read().status()).isEqualTo(429);
            assertThat(proxy.send(from("203.0.113.6")).read().status()).as("another client").isEqualTo(200);
            assertThat(proxy.send(from("203.0.113.7, 203.0.113.5")).read().status())
                    .as("the proxy appended .5: a spoofed entry to its left changes nothing").isEqualTo(429);
            assertThat(second.send(from("203.0.113.8")).read().status())
                    .as("a trusted proxy's connections are not limited per client").isEqualTo(200);
        }
        assertThat(admission().rejectedCount(AdmissionRejection.CLIENT_CONNECTIONS)).isZero();
        assertThat(admission().rejectedCount(AdmissionRejection.CLIENT_RATE)).isEqualTo(2);
    }

    @Test
    void forwardedIpv6ClientsAreKeyedByTheirSlash64AndMappedOnesAsIpv4() throws Exception {
        assumeTrue(Loopback.hasIpv6(), "no IPv6 loopback");
        server = SakerServer.create(ServerConfig.builder().host("::1").port(0).ioThreads(1)
                .admission(AdmissionConfig.builder().requestsPerSecond(1).burst(1).trustedProxies(java.util.List.of("::1"))
                        .nanoClock(clock::get).build()).build(), ex -> ex.send("ok")).start();
        try (RawClient proxy = new RawClient(new Socket(InetAddress.getByName("::1"), server.port()))) {
            assertThat(proxy.send(from("2001:db8:1:2::a")).read().status()).isEqualTo(200);
            assertThat(proxy.send(from("[2001:db8:1:2:ffff::b]:4711")).read().status()).as("same /64").isEqualTo(429);
            assertThat(proxy.send(from("2001:db8:1:3::a")).read().status()).as("another /64").isEqualTo(200);
            assertThat(proxy.send(from("203.0.113.5")).read().status()).isEqualTo(200);
            assertThat(proxy.send(from("::ffff:203.0.113.5")).read().status()).as("IPv4-mapped: the same client").isEqualTo(429);
        }
        assertThat(admission().trackedClients()).isEqualTo(3);
    }

    @Test
    void thousandsOfSpoofedClientsLeaveTheTableAtItsBound() throws Exception {
        int port = start(AdmissionConfig.builder().requestsPerSecond(1).burst(1).maxClients(64)
                .trustedProxies(java.util.List.of("127.0.0.1")), DispatchMode.EVENT_LOOP, ex -> ex.send("ok"));
        int max = 0;
        try (RawClient proxy = new RawClient(port)) {
            for (int i = 0; i < 5_000; i++) {
                String spoofed = "198.18." + (i >>> 8 & 0xFF) + "." + (i & 0xFF);
                assertThat(proxy.send(from(spoofed)).read().status()).isEqualTo(200);
                max = Math.max(max, admission().trackedClients());
            }
        }
        assertThat(max).isLessThanOrEqualTo(64);
        assertThat(admission().trackedClients()).isEqualTo(64);
    }
}
